import ArgumentParser
import Datasets
import Foundation

/// `polynet data info mnist`: counts, shape, class balance and pixel statistics.
struct DataInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print counts, image shape, class balance and pixel mean/std of a data set.")

    @Argument(help: ArgumentHelp("The data set: \(Dataset.knownNames.joined(separator: ", ")).", valueName: "dataset"))
    var dataset: String = Dataset.mnist.name

    @Option(help: "Directory holding the data set's IDX files (default: $POLYNET_DATA, then the repository's Data/).")
    var dataDir: String?

    func validate() throws {
        _ = try Dataset.named(dataset)
    }

    func run() throws {
        let directory = try DataLocator.directory(for: dataset, dataDirectory: dataDir)
        print("\(dataset) in \(directory.path)")
        for split in MNIST.Split.allCases {
            let data = try MNIST.load(split, from: directory)
            let (mean, deviation) = data.pixelStatistics()
            let balance = data.classCounts().enumerated().map { "\($0.offset):\($0.element)" }
            print("\(split.rawValue): \(data.count) images of \(data.imageRows)×\(data.imageColumns), \(data.classCount) classes")
            print("  pixels in [0,1]: mean \(format(mean)), std \(format(deviation))")
            print("  class counts: \(balance.joined(separator: " "))")
        }
    }

    private func format(_ value: Double) -> String { String(format: "%.4f", value) }
}
