import ArgumentParser

/// The root `polynet` command: every subcommand hangs off it.
///
/// Commands live in this library (not the executable) so tests can run them with
/// `PolyNetCommand.parseAsRoot([...])`.
public struct PolyNetCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "polynet",
        abstract: "Polynomial neural networks: approximate activations, train polynomial networks, convert MLPs to polynomials and interpret them.",
        version: PolyNetVersion.current,
        subcommands: [
            DataCommand.self,
            BenchCommand.self,
            ConvertCommand.self,
            InitReportCommand.self,
            TrainCommand.self,
            EvalCommand.self,
            ApproxCommand.self,
            ExplainCommand.self,
            PolyizeCommand.self,
        ]
    )

    public init() {}
}

/// The version `polynet --version` prints.
public enum PolyNetVersion {
    public static let current = "0.1.0"
}

extension PolyNetCommand {
    /// Parses the command line and runs the command; an error is printed, worded by
    /// `CommandError.wording(_:)`, and the process exits non-zero.
    public static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: CommandError.wording(error))
        }
    }

    /// The message `polynet` prints for `error`: library errors worded with the flags that set
    /// or fix what they name.
    public static func message(for error: any Error) -> String {
        argumentParserMessage(PolyNetCommand.self, for: CommandError.wording(error))
    }
}

/// ArgumentParser's own message for `error`.
private func argumentParserMessage<Command: ParsableCommand>(_: Command.Type, for error: any Error) -> String {
    Command.message(for: error)
}
