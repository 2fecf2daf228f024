import ArgumentParser
import Testing
@testable import PolyNetCommands

/// Every option of every `polynet` subcommand, given extreme values, through ArgumentParser's
/// parse and each command's `validate()`: a result or an error, never a trap.
@Suite("Command option fuzzing")
struct CommandOptionFuzzTests {
    /// The least each command needs to reach validation; a command missing here fails the
    /// test, so a new command cannot escape the fuzzing.
    static let baseArguments: [String: [String]] = [
        "approx": ["gelu"], "train": [], "eval": ["--checkpoint", "x"], "init-report": [],
        "convert": ["--weights", "x", "--activation", "relu"], "data info": [], "data fetch": ["fashion-mnist"],
        "bench gemm": [], "bench elementwise": [], "bench train": [], "bench approx": [], "bench activations": [],
        "bench convert": [], "explain eigen": ["--checkpoint", "x"], "explain svd-attack": ["--checkpoint", "x"],
        "explain eigen-attack": ["--checkpoint", "x"], "explain complexity": ["--run", "x"], "explain report": ["--run", "x"],
    ]

    static let values = Mutator.extremeNumbers + ["-5", "1...0", "-1e308...1e308", "nan...1", "a,b", ",", "/dev/full",
                                                  "/nonexistent/dir/x", "step:0:0", "step:-1:nan", "3,7,1000000000"]

    /// Leaf commands with their names, e.g. ("explain eigen", ExplainEigenCommand.self).
    static func leaves(of command: any ParsableCommand.Type, path: [String] = []) -> [(String, any ParsableCommand.Type)] {
        let subcommands = command.configuration.subcommands
        if subcommands.isEmpty { return [(path.joined(separator: " "), command)] }
        return subcommands.flatMap { leaves(of: $0, path: path + [$0._commandName]) }
    }

    /// The long names of the options that take a value, read from the command's help.
    static func valueOptions(of command: any ParsableCommand.Type) -> [String] {
        let help = PolyNetCommand.helpMessage(for: command, columns: 10_000)
        return help.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop(while: { $0 == " " })
            guard trimmed.hasPrefix("--"), let space = trimmed.firstIndex(of: " "),
                  trimmed[space...].dropFirst().hasPrefix("<") else { return nil }
            return String(trimmed[..<space])
        }
    }

    @Test func everyOptionAtItsExtremes() throws {
        var parsed = 0, refused = 0, options = 0
        for (name, command) in Self.leaves(of: PolyNetCommand.self) {
            let base = try #require(Self.baseArguments[name], "add '\(name)' to baseArguments")
            let names = Self.valueOptions(of: command)
            #expect(!names.isEmpty || ["bench elementwise", "bench approx", "bench activations"].contains(name), "no options found in the help of \(name)")
            options += names.count
            for option in names {
                for value in Self.values {
                    do {
                        _ = try PolyNetCommand.parseAsRoot(name.split(separator: " ").map(String.init) + base + ["\(option)=\(value)"])
                        parsed += 1
                    } catch {
                        refused += 1
                        // Every refusal is worded for a user (the architecture language adds the
                        // text and a caret under the fault), never a raw system error.
                        let text = PolyNetCommand.message(for: error)
                        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                        let readable = !text.isEmpty
                            && (lines.count == 1 || lines.count == 3 && lines[2].allSatisfy { " ^".contains($0) })
                        #expect(readable && !text.contains("Error Domain") && !text.contains("could not be completed"),
                                "\(name) \(option)=\(value): \(text)")
                    }
                }
            }
        }
        #expect(options > 50 && parsed > 0 && refused > 0)
    }
}
