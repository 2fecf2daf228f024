import ArgumentParser
import Benchmarks
import Datasets
import Foundation
import NeuralNetworks

/// `polynet bench train`: training samples/s against PyTorch on the same model, in one run.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "One training epoch per batch size and thread count, PolyNet vs PyTorch (samples/s and ratio).")

    @Option(help: "seed001-poly or seed001-linear (PyTorch runs only for these), or any architecture.")
    var arch = "seed001-poly"

    @Option(parsing: .upToNextOption, help: "Batch sizes.")
    var batchSizes = [64, 512]

    @Option(parsing: .upToNextOption, help: "Thread counts (OpenBLAS for us, torch.set_num_threads for PyTorch).")
    var threads = [1, 2]

    @Option(help: "Epochs per configuration; each side reports its fastest (steadier on a busy machine).")
    var epochs = 1

    @Option(help: "Train on the first N examples only.")
    var limit: Int?

    @Option(help: "Python with torch installed (default: $POLYNET_PYTHON, else python3).")
    var python = ProcessInfo.processInfo.environment["POLYNET_PYTHON"] ?? "python3"

    @Option(help: "Directory holding MNIST.")
    var dataDir: String?

    func validate() throws {
        guard batchSizes.allSatisfy({ $0 >= 1 }), threads.allSatisfy({ $0 >= 1 }), epochs >= 1 else {
            throw ValidationError("batch sizes, thread counts and epochs must be positive")
        }
        _ = try Architecture(parsing: arch)
    }

    func run() throws {
        var setup = TrainingBenchmark.Setup(dataDirectory: try DataLocator.mnistDirectory(dataDirectory: dataDir))
        setup.architecture = arch
        setup.batchSizes = batchSizes
        setup.threadCounts = threads
        setup.epochs = epochs
        setup.limit = limit
        setup.python = python
        try TrainingBenchmark.run(setup) { print($0.jsonLine) }
    }
}
