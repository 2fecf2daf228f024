import Datasets
import Foundation
import LinearAlgebra
import NeuralNetworks
import Training

/// Training throughput of PolyNet models against the same models in PyTorch, in one run.
///
/// For every model, batch size and thread count: one epoch of our `Trainer` (Adam, the model
/// built from the architecture) and one epoch of its PyTorch twin (``pytorchTwins``:
/// `benchmarks/pytorch_seed001.py` or `benchmarks/pytorch_cryptonets.py`) on the same data, run
/// as a subprocess with `torch.set_num_threads(threads)` and `OMP_WAIT_POLICY=PASSIVE` when
/// `torch` imports in the given Python. Samples per second count training steps only; with
/// several epochs each side reports its fastest one, so a moment of load on a shared machine
/// distorts the ratio less.
///
/// The GEMM bound. The matrix products of one training step (forward, weight gradient and
/// input gradient of every dense and polynomial layer, and of every convolution computed by
/// ``ConvolutionScheme/patchMatrix`` its im2col products, shapes from the model) are also timed
/// alone, back to back, with the same thread count: `gemm_gflops` is their flops over that
/// time, `step_gflops` the same flops at the measured training rate, and `share_of_gemm` the
/// ratio — how close the whole step comes to the speed of its own products. With PyTorch,
/// `pytorch_step_gflops` is the same flops at PyTorch's rate and `share_of_gemm_for_2x` the
/// share of `gemm_gflops` a step twice as fast as PyTorch's would need: above 1, no work around
/// the products (gather, activations, loss, optimizer) can reach twice PyTorch's rate with
/// these products at this speed. The flops are the full products'; a dense layer that leaves
/// out zero inputs (`Dense`: the nonzero entries alone when at most a quarter of a batch's are
/// nonzero, else the columns that are not zero in the whole batch) does fewer, so on such data
/// `step_gflops` counts work not done and both shares can pass 1. A convolution
/// computed by ``ConvolutionScheme/phasePlanes`` issues no product; its flops are counted in
/// `step_gflops` and `conv_mflop`, and its own speed against the GEMM peak is
/// `polynet bench conv`'s.
public enum TrainingBenchmark {
    /// What to measure.
    public struct Setup: Sendable {
        /// The architectures (PyTorch is compared for those in ``pytorchTwins``).
        public var architectures = TrainingBenchmark.pytorchTwins.map(\.architecture)
        public var batchSizes = [64, 128, 256, 512, 1024]
        public var threadCounts = [1, 2]
        /// Epochs per configuration (each side reports its fastest).
        public var epochs = 1
        /// Train on the first N examples (nil: the whole training set).
        public var limit: Int?
        /// The Python interpreter that should have torch.
        public var python = "python3"
        /// How our steps use the threads (the trainer's own choice by default).
        public var parallelism = ParallelismChoice.automatic
        /// The MNIST directory (passed to the scripts too).
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

    /// An architecture and the script (in `benchmarks/`, with its arguments) that trains the
    /// same model in PyTorch. Each script takes `--batch-size`, `--threads`, `--epochs`,
    /// `--data-dir` and `--limit` and prints a JSON line with `samples_per_second`.
    public struct PyTorchTwin: Sendable {
        /// The architecture or preset, as `--arch` takes it.
        public var architecture: String
        /// The script's file name in `benchmarks/`.
        public var script: String
        /// The arguments that select the model (and, for cryptonets, one seed).
        public var arguments: [String]
    }

    /// The architectures with a PyTorch twin.
    public static let pytorchTwins: [PyTorchTwin] = [
        PyTorchTwin(architecture: "seed001-poly", script: "pytorch_seed001.py", arguments: ["--model", "poly"]),
        PyTorchTwin(architecture: "seed001-linear", script: "pytorch_seed001.py", arguments: ["--model", "linear"]),
        PyTorchTwin(architecture: "dense(784,128) hermite(deg=3) dense(128,10)", script: "pytorch_seed001.py",
                    arguments: ["--model", "hermite"]),
        PyTorchTwin(architecture: "dense(784,128) relu dense(128,128) relu dense(128,10)", script: "pytorch_seed001.py",
                    arguments: ["--model", "relu128"]),
        PyTorchTwin(architecture: "cryptonets", script: "pytorch_cryptonets.py", arguments: ["--seeds", "0"]),
    ]

    /// The `benchmarks/` directory of this repository.
    public static let scriptDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("benchmarks")

    /// Runs every configuration, passing each record to `emit` as soon as it is measured.
    public static func run(_ setup: Setup, emit: (BenchmarkRecord) -> Void) throws {
        BLASRuntime.warmUp()
        var training = try MNIST.load(.train, from: setup.dataDirectory)
        if let limit = setup.limit { training = training.prefix(limit) }
        let test = try MNIST.load(.test, from: setup.dataDirectory).prefix(100)
        let torchImports = pythonImportsTorch(setup.python)
        for architecture in setup.architectures {
            let twin = pytorchTwins.first { $0.architecture == architecture }
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
                    let rows = Swift.min(batchSize, training.count)
                    let products = productShapes(of: model, batchSize: rows)
                    let flops = products.reduce(0.0) { $0 + $1.flops }
                    let convolutionFlops = directConvolutionFlops(of: model, batchSize: rows)
                    let gemmGFLOPs = flops / timeProducts(products) / 1e9
                    let stepGFLOPs = (flops + convolutionFlops) * ours / Double(rows) / 1e9
                    var fields = ["batch_size": Double(batchSize), "threads": Double(threads), "epochs": Double(setup.epochs),
                                  "polynet_samples_per_second": ours, "examples": Double(training.count),
                                  "gemm_gflops": gemmGFLOPs, "step_gflops": stepGFLOPs, "share_of_gemm": stepGFLOPs / gemmGFLOPs,
                                  "conv_mflop": convolutionFlops / 1e6]
                    var labels = ["architecture": architecture, "parallelism": parallelism.description]
                    if torchImports, let twin,
                       let theirs = pytorchSamplesPerSecond(setup, twin: twin, batchSize: batchSize, threads: threads) {
                        let theirGFLOPs = (flops + convolutionFlops) * theirs / Double(rows) / 1e9
                        fields["pytorch_samples_per_second"] = theirs
                        fields["polynet_over_pytorch"] = ours / theirs
                        fields["pytorch_step_gflops"] = theirGFLOPs
                        fields["share_of_gemm_for_2x"] = 2 * theirGFLOPs / gemmGFLOPs
                    } else {
                        labels["pytorch"] = twin == nil ? "no PyTorch version of this architecture"
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
    /// the layers issue them (a polynomial layer multiplies its in·d power features); per
    /// convolution by patch matrix W · patches, its weight gradient and (after the first layer)
    /// Wᵀ · ∂Y, each out × in·k·k × B·P.
    static func productShapes(of model: Sequential<Float>, batchSize: Int) -> [Product] {
        var products = [Product]()
        for (index, layer) in model.layers.enumerated() {
            let (inner, outputs): (Int, Int)
            switch layer {
            case let dense as Dense<Float>: (inner, outputs) = (dense.weight.columns, dense.weight.rows)
            case let polynomial as PolynomialLayer<Float>:
                (inner, outputs) = (polynomial.weight.columns / (polynomial.degree + 1) * polynomial.degree, polynomial.weight.rows)
            case let convolution as Conv2D<Float> where convolution.scheme == .patchMatrix:
                let (width, columns) = (convolution.geometry.patchWidth, batchSize * convolution.geometry.positions)
                let channels = convolution.outputChannels
                products.append(Product(m: channels, n: columns, k: width, transposingA: false, transposingB: false))
                products.append(Product(m: channels, n: width, k: columns, transposingA: false, transposingB: true))
                if index > 0 { products.append(Product(m: width, n: columns, k: channels, transposingA: true, transposingB: false)) }
                continue
            default: continue
            }
            products.append(Product(m: batchSize, n: outputs, k: inner, transposingA: false, transposingB: true))
            products.append(Product(m: outputs, n: inner, k: batchSize, transposingA: true, transposingB: false))
            if index > 0 { products.append(Product(m: batchSize, n: inner, k: outputs, transposingA: false, transposingB: false)) }
        }
        return products
    }

    /// The flops of one step's convolutions computed by phase planes at `batchSize`: forward,
    /// weight gradient and (after the first layer) input gradient, each 2·B·P·out·in·k².
    static func directConvolutionFlops(of model: Sequential<Float>, batchSize: Int) -> Double {
        var flops = 0.0
        for (index, layer) in model.layers.enumerated() {
            guard let convolution = layer as? Conv2D<Float>, convolution.scheme == .phasePlanes else { continue }
            let g = convolution.geometry
            let pass = 2 * Double(batchSize) * Double(g.positions) * Double(g.patchWidth) * Double(convolution.outputChannels)
            flops += pass * (index > 0 ? 3 : 2)
        }
        return flops
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

    private static func pytorchSamplesPerSecond(_ setup: Setup, twin: PyTorchTwin, batchSize: Int, threads: Int) -> Double? {
        var arguments = [scriptDirectory.appendingPathComponent(twin.script).path] + twin.arguments
            + ["--batch-size", String(batchSize), "--threads", String(threads), "--epochs", String(setup.epochs),
               "--data-dir", setup.dataDirectory.path]
        if let limit = setup.limit { arguments += ["--limit", String(limit)] }
        guard let result = try? runPython(setup.python, arguments, threads: threads), result.status == 0 else { return nil }
        // The last JSON line with a rate (pytorch_cryptonets.py ends with a text summary).
        for line in result.output.split(separator: "\n").reversed() {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
               let rate = object["samples_per_second"] as? Double { return rate }
        }
        return nil
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
