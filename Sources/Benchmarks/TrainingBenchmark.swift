import Datasets
import Foundation
import LinearAlgebra
import NeuralNetworks
import Training

/// Training throughput of PolyNet models against the same models in PyTorch, in one run.
///
/// For every model, batch size and thread count: one epoch of our `Trainer` (Adam, the model
/// built from the architecture) and one epoch of `benchmarks/pytorch_seed001.py` on the same
/// data, run as a subprocess with `torch.set_num_threads(threads)` and `OMP_WAIT_POLICY=PASSIVE`
/// when `torch` imports in the given Python. Samples per second count training steps only;
/// with several epochs each side reports its fastest one, so a moment of load on a shared
/// machine distorts the ratio less.
///
/// The GEMM bound. The matrix products of one training step (forward, weight gradient and
/// input gradient of every dense and polynomial layer, shapes from the model) are also timed
/// alone, back to back, with the same thread count: `gemm_gflops` is their flops over that
/// time, `step_gflops` the same flops at the measured training rate, and `share_of_gemm` the
/// ratio — how close the whole step comes to the speed of its own products.
public enum TrainingBenchmark {
    /// What to measure.
    public struct Setup: Sendable {
        /// The architectures (PyTorch is compared for those in ``pytorchModels``).
        public var architectures = TrainingBenchmark.pytorchModels.map(\.architecture)
        public var batchSizes = [64, 128, 256, 512, 1024]
        public var threadCounts = [1, 2]
        /// Epochs per configuration (each side reports its fastest).
        public var epochs = 1
        /// Train on the first N examples (nil: the whole training set).
        public var limit: Int?
        /// The Python interpreter that should have torch.
        public var python = "python3"
        /// The PyTorch baseline script.
        public var script = TrainingBenchmark.bundledScript
        /// How our steps use the threads (the trainer's own choice by default).
        public var parallelism = ParallelismChoice.automatic
        /// The MNIST directory (passed to the script too).
        public var dataDirectory: URL

        public init(dataDirectory: URL) { self.dataDirectory = dataDirectory }
    }

    /// Which ``StepParallelism`` the measured steps use.
    public enum ParallelismChoice: String, CaseIterable, Sendable {
        /// ``StepParallelism/suited(threads:batchSize:stepFlops:)``, as `polynet train` does.
        case automatic = "auto"
        /// The batch split across as many workers as threads.
        case batchSplit = "batch-split"
        /// One pass with as many OpenBLAS threads as threads.
        case blas

        /// The parallelism to impose with `threads` threads (nil: the trainer's choice).
        func parallelism(threads: Int) -> StepParallelism? {
            switch self {
            case .automatic: nil
            case .batchSplit: .batchSplit(workers: threads)
            case .blas: .blas(threads: threads)
            }
        }
    }

    /// The architectures `benchmarks/pytorch_seed001.py` has twins of, and its names for them.
    public static let pytorchModels: [(architecture: String, model: String)] = [
        ("seed001-poly", "poly"), ("seed001-linear", "linear"),
        ("dense(784,128) hermite(deg=3) dense(128,10)", "hermite"),
        ("dense(784,128) relu dense(128,128) relu dense(128,10)", "relu128"),
    ]

    /// `benchmarks/pytorch_seed001.py` in this repository.
    public static let bundledScript = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("benchmarks/pytorch_seed001.py")

    /// Runs every configuration, passing each record to `emit` as soon as it is measured.
    public static func run(_ setup: Setup, emit: (BenchmarkRecord) -> Void) throws {
        BLASRuntime.warmUp()
        var training = try MNIST.load(.train, from: setup.dataDirectory)
        if let limit = setup.limit { training = training.prefix(limit) }
        let test = try MNIST.load(.test, from: setup.dataDirectory).prefix(100)
        let torchImports = pythonImportsTorch(setup.python)
        for architecture in setup.architectures {
            let pytorchModel = pytorchModels.first { $0.architecture == architecture }?.model
            var generator = SystemRandomNumberGenerator()
            let model = try Architecture(parsing: architecture).makeModel(as: Float.self, using: &generator)
            for threads in setup.threadCounts {
                for batchSize in setup.batchSizes {
                    BLASRuntime.setThreadCount(threads)
                    var configuration = TrainingConfiguration(architecture: architecture)
                    configuration.epochs = setup.epochs
                    configuration.batchSize = batchSize
                    var trainer = try Trainer(configuration: configuration, training: training, test: test)
                    trainer.parallelism = setup.parallelism.parallelism(threads: threads)
                    let parallelism = trainer.stepParallelism
                    let ours = try trainer.run().map(\.samplesPerSecond).max() ?? 0
                    let products = productShapes(of: model, batchSize: Swift.min(batchSize, training.count))
                    let flops = products.reduce(0.0) { $0 + $1.flops }
                    let gemmGFLOPs = flops / timeProducts(products) / 1e9
                    let stepGFLOPs = flops * ours / Double(Swift.min(batchSize, training.count)) / 1e9
                    var fields = ["batch_size": Double(batchSize), "threads": Double(threads), "epochs": Double(setup.epochs),
                                  "polynet_samples_per_second": ours, "examples": Double(training.count),
                                  "gemm_gflops": gemmGFLOPs, "step_gflops": stepGFLOPs, "share_of_gemm": stepGFLOPs / gemmGFLOPs]
                    var labels = ["architecture": architecture, "parallelism": parallelism.description]
                    if torchImports, let pytorchModel,
                       let theirs = pytorchSamplesPerSecond(setup, model: pytorchModel, batchSize: batchSize, threads: threads) {
                        fields["pytorch_samples_per_second"] = theirs
                        fields["polynet_over_pytorch"] = ours / theirs
                    } else {
                        labels["pytorch"] = pytorchModel == nil ? "no PyTorch version of this architecture"
                            : "torch not importable by \(setup.python) (pass --python)"
                    }
                    emit(BenchmarkRecord(benchmark: "train", fields: fields, labels: labels))
                }
            }
        }
        BLASRuntime.setThreadCount(1)
    }

    /// One matrix product C = op(A)·op(B) of a training step: m × n, inner dimension k.
    struct Product {
        var m, n, k: Int
        var transposingA, transposingB: Bool
        var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }

    /// The products of one step of `model` at `batchSize`: per dense or polynomial layer the
    /// forward product, the weight gradient and (after the first layer) the input gradient, as
    /// the layers issue them (a polynomial layer multiplies its in·d power features).
    static func productShapes(of model: Sequential<Float>, batchSize: Int) -> [Product] {
        var products = [Product]()
        for (index, layer) in model.layers.enumerated() {
            let (inner, outputs): (Int, Int)
            switch layer {
            case let dense as Dense<Float>: (inner, outputs) = (dense.weight.columns, dense.weight.rows)
            case let polynomial as PolynomialLayer<Float>:
                (inner, outputs) = (polynomial.weight.columns / (polynomial.degree + 1) * polynomial.degree, polynomial.weight.rows)
            default: continue
            }
            products.append(Product(m: batchSize, n: outputs, k: inner, transposingA: false, transposingB: true))
            products.append(Product(m: outputs, n: inner, k: batchSize, transposingA: true, transposingB: false))
            if index > 0 { products.append(Product(m: batchSize, n: inner, k: outputs, transposingA: false, transposingB: false)) }
        }
        return products
    }

    /// Seconds for the products back to back (the median of 7 timings of enough repetitions to
    /// take about 50 ms), on random operands.
    static func timeProducts(_ products: [Product]) -> Double {
        var generator = SystemRandomNumberGenerator()
        var operands = products.map { product -> (Matrix<Float>, Matrix<Float>, Matrix<Float>) in
            let a = product.transposingA ? (product.k, product.m) : (product.m, product.k)
            let b = product.transposingB ? (product.n, product.k) : (product.k, product.n)
            return (.randomUniform(rows: a.0, columns: a.1, in: -1 ... 1, using: &generator),
                    .randomUniform(rows: b.0, columns: b.1, in: -1 ... 1, using: &generator),
                    Matrix(rows: product.m, columns: product.n))
        }
        func step() {
            for index in products.indices {
                let product = products[index]
                operands[index].2.setProduct(operands[index].0, operands[index].1, transposingA: product.transposingA,
                                             transposingB: product.transposingB)
            }
        }
        let estimate = Stopwatch.time(step)
        let repetitions = Stopwatch.repetitions(estimate: estimate, budget: 0.05)
        return Stopwatch.median(repetitions: 7) { for _ in 0 ..< repetitions { step() } } / Double(repetitions)
    }

    private static func pythonImportsTorch(_ python: String) -> Bool {
        (try? runPython(python, ["-c", "import torch"], threads: 1))?.status == 0
    }

    private static func pytorchSamplesPerSecond(_ setup: Setup, model: String, batchSize: Int, threads: Int) -> Double? {
        var arguments = [setup.script.path, "--model", model, "--batch-size", String(batchSize),
                         "--threads", String(threads), "--epochs", String(setup.epochs), "--data-dir", setup.dataDirectory.path]
        if let limit = setup.limit { arguments += ["--limit", String(limit)] }
        guard let result = try? runPython(setup.python, arguments, threads: threads), result.status == 0,
              let line = result.output.split(separator: "\n").last,
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        return object["samples_per_second"] as? Double
    }

    private static func runPython(_ python: String, _ arguments: [String], threads: Int) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_WAIT_POLICY"] = "PASSIVE"
        environment["OMP_NUM_THREADS"] = String(threads)
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
