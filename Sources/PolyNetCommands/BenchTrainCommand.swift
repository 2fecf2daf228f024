import ArgumentParser
import Benchmarks
import Datasets
import Foundation
import NeuralNetworks

/// `polynet bench train`: training samples/s against PyTorch on the same model, in one run.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "One training epoch per model, batch size and thread count, PolyNet vs PyTorch (samples/s and ratio) and against the step's own matrix products (GFLOP/s).",
        discussion: """
        Without --arch the grid covers seed001-poly, seed001-linear, dense(784,128) hermite(deg=3) dense(128,10), \
        dense(784,128) relu dense(128,128) relu dense(128,10) (twins in benchmarks/pytorch_seed001.py) and cryptonets \
        (benchmarks/pytorch_cryptonets.py). gemm_gflops: the step's products timed alone; step_gflops: the same \
        flops, plus those of direct (phase-plane) convolutions, at the training rate; share_of_gemm: their ratio; \
        pytorch_step_gflops: the same flops at PyTorch's rate; share_of_gemm_for_2x: the share a step twice as fast \
        as PyTorch's would need (above 1 the products alone are too slow for it). Flops count the full products, \
        though dense layers skip zero inputs (a batch at most a quarter nonzero, or columns zero in the whole \
        batch). \
        scripts/bench-train-table.py prints the medians of several runs' records as tables.
        """)

    @Option(parsing: .upToNextOption, help: "Architectures or presets (default: the five models PyTorch has twins of).")
    var arch: [String] = TrainingBenchmark.pytorchTwins.map(\.architecture)

    @Option(parsing: .upToNextOption, help: "Batch sizes.")
    var batchSizes = [64, 128, 256, 512, 1024]

    @Option(parsing: .upToNextOption, help: "Thread counts (OpenBLAS for us, torch.set_num_threads for PyTorch).")
    var threads = [1, 2]

    @Option(help: "How our steps use the threads: auto (the trainer's rule), batch-split or blas.")
    var parallelism = TrainingBenchmark.ParallelismChoice.automatic

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
        for text in arch { _ = try Architecture(parsing: text) }
    }

    func run() throws {
        var setup = TrainingBenchmark.Setup(dataDirectory: try DataLocator.mnistDirectory(dataDirectory: dataDir))
        setup.architectures = arch
        setup.batchSizes = batchSizes
        setup.threadCounts = threads
        setup.epochs = epochs
        setup.parallelism = parallelism
        setup.limit = limit
        setup.python = python
        try TrainingBenchmark.run(setup) { print($0.jsonLine) }
    }
}

extension TrainingBenchmark.ParallelismChoice: ExpressibleByArgument {}
