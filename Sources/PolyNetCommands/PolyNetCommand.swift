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
