import ArgumentParser

/// `polynet data …`: inspect and fetch data sets.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Inspect and fetch data sets.",
        subcommands: [DataInfoCommand.self, DataFetchCommand.self])
}
