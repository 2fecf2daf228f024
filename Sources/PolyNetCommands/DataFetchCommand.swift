import ArgumentParser
import Datasets
import Foundation

/// `polynet data fetch fashion-mnist`: download a data set, verifying every file's SHA-256.
struct DataFetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a data set and verify each file's SHA-256 (fashion-mnist).",
        discussion: "Files land in <data-dir>/<name>/ and are moved in only once verified, so an interrupted or corrupt download loses nothing. Then train with --dataset fashion-mnist.")

    @Argument(help: "The data set: \(DatasetManifest.known.keys.sorted().joined(separator: ", ")).")
    var dataset: String

    @Option(help: "Root directory to download into (default: $POLYNET_DATA, else ./Data).")
    var dataDir: String?

    @Option(help: "Fetch from this URL or local directory instead of the publisher's (same file names).")
    var mirror: String?

    func validate() throws {
        guard DatasetManifest.known[dataset] != nil else {
            throw ValidationError("unknown data set '\(dataset)'; fetchable: \(DatasetManifest.known.keys.sorted().joined(separator: ", "))")
        }
    }

    func run() throws {
        let root = dataDir ?? ProcessInfo.processInfo.environment["POLYNET_DATA"] ?? "Data"
        let mirrorURL = mirror.map { $0.contains("://") ? URL(string: $0)! : URL(fileURLWithPath: $0, isDirectory: true) }
        let directory = try DatasetFetcher.fetch(DatasetManifest.known[dataset]!, into: URL(fileURLWithPath: root),
                                                 mirror: mirrorURL) { print($0) }
        print("\(dataset) ready in \(directory.path)")
    }
}
