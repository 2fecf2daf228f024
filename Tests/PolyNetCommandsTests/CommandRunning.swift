import ArgumentParser
@testable import PolyNetCommands

/// Parses and runs a `polynet` command line; returns the message a user would see for its
/// error, or "" when it succeeds.
func message(_ arguments: [String]) -> String {
    do {
        var command = try PolyNetCommand.parseAsRoot(arguments)
        try command.run()
        return ""
    } catch {
        return PolyNetCommand.message(for: error)
    }
}
