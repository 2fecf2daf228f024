import ArgumentParser
import Benchmarks
import Datasets

/// `polynet bench convert`: closed-form conversion speed (MNIST block with the data distribution,
/// GPT-2-sized block at degree 4 with exact R² and peak memory).
struct BenchConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Degree-2 conversion of a 784→256→10 block (data distribution, R²) and degree-4 of a 768→3072→768 block (exact R², peak memory).")

    @OptionGroup var blas: BLASThreadsOption

    @Option(help: "Directory holding MNIST (default: $POLYNET_DATA, then the repository's Data/); the MNIST record is skipped when it is missing.")
    var dataDir: String?

    func run() throws {
        let directory = try? DataLocator.mnistDirectory(dataDirectory: dataDir)
        for record in try ConversionBenchmark.run(mnistDirectory: directory, threads: blas.threads) { print(record.jsonLine) }
    }
}
