import ArgumentParser
import Datasets
import Foundation

/// `polynet data fetch fashion-mnist`: download a data set, verifying every file's SHA-256.
struct DataFetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a data set and verify each file's SHA-256 (fashion-mnist).",
        discussion: "Files land in <data-dir>/<name>/ and are moved in only once verified, so an interrupted or corrupt download loses nothing. Then train with --dataset fashion-mnist.")

    @Argument(help: "The data set: \(Self.fetchable.joined(separator: ", ")).")
    var dataset: String

    @Option(help: "Root directory to download into (default: $POLYNET_DATA, else ./Data).")
    var dataDir: String?

    @Option(help: "Fetch from this URL or local directory instead of the publisher's (same file names).")
    var mirror: String?

    func validate() throws {
        guard Self.fetchable.contains(dataset) else {
            throw ValidationError("unknown data set '\(dataset)'; fetchable: \(Self.fetchable.joined(separator: ", "))")
        }
        if let mirror, mirror.contains("://"), URL(string: mirror) == nil {
            throw ValidationError("--mirror '\(mirror)' is not a valid URL")
        }
        if dataDir?.isEmpty == true { throw ValidationError("--data-dir must not be empty") }
    }

    /// The data sets that have a download source.
    static var fetchable: [String] { Dataset.known.filter { $0.source != nil }.map(\.name) }

    func run() throws {
        let root = dataDir ?? ProcessInfo.processInfo.environment["POLYNET_DATA"] ?? "Data"
        let mirrorURL = mirror.flatMap { $0.contains("://") ? URL(string: $0) : URL(fileURLWithPath: $0, isDirectory: true) }
        let directory = try DatasetFetcher.fetch(try Dataset.named(dataset), into: URL(fileURLWithPath: root),
                                                 mirror: mirrorURL) { print($0) }
        print("\(dataset) ready in \(directory.path)")
    }
}
