import ArgumentParser

/// `polynet bench …`: release-mode speed measurements, each against a baseline in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed against a baseline in the same run (build with -c release).",
        subcommands: [
            BenchGEMMCommand.self,
            BenchConvCommand.self,
            BenchElementwiseCommand.self,
            BenchConvertCommand.self,
            BenchActivationsCommand.self,
            BenchTrainCommand.self,
            BenchApproxCommand.self,
        ])
}
