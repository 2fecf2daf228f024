import Datasets
import Foundation
import LinearAlgebra
import NeuralNetworks
import Training

/// Training throughput of a PolyNet model against the same model in PyTorch, in one run.
///
/// For every batch size and thread count: one epoch of our `Trainer` (Adam, the model built
/// from the architecture) and one epoch of `benchmarks/pytorch_seed001.py` on the same data,
/// run as a subprocess with `torch.set_num_threads(threads)` and `OMP_WAIT_POLICY=PASSIVE`
/// when `torch` imports in the given Python. Samples per second count training steps only;
/// with several epochs each side reports its fastest one, so a moment of load on a shared
/// machine distorts the ratio less.
public enum TrainingBenchmark {
    /// What to measure.
    public struct Setup: Sendable {
        /// `seed001-poly` or `seed001-linear` (PyTorch is compared only for these presets).
        public var architecture = "seed001-poly"
        public var batchSizes = [64, 512]
        public var threadCounts = [1, 2]
        /// Epochs per configuration (each side reports its fastest).
        public var epochs = 1
        /// Train on the first N examples (nil: the whole training set).
        public var limit: Int?
        /// The Python interpreter that should have torch.
        public var python = "python3"
        /// The PyTorch baseline script.
        public var script = TrainingBenchmark.bundledScript
        /// The MNIST directory (passed to the script too).
        public var dataDirectory: URL

        public init(dataDirectory: URL) { self.dataDirectory = dataDirectory }
    }

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
        let pytorchModel = ["seed001-poly": "poly", "seed001-linear": "linear"][setup.architecture]
        let torchAvailable = pytorchModel != nil && pythonImportsTorch(setup.python)
        for threads in setup.threadCounts {
            for batchSize in setup.batchSizes {
                BLASRuntime.setThreadCount(threads)
                var configuration = TrainingConfiguration(architecture: setup.architecture)
                configuration.epochs = setup.epochs
                configuration.batchSize = batchSize
                var trainer = try Trainer(configuration: configuration, training: training, test: test)
                let ours = try trainer.run().map(\.samplesPerSecond).max()!
                var fields = ["batch_size": Double(batchSize), "threads": Double(threads), "epochs": Double(setup.epochs),
                              "polynet_samples_per_second": ours, "examples": Double(training.count)]
                var labels = ["architecture": setup.architecture]
                if torchAvailable, let model = pytorchModel,
                   let theirs = pytorchSamplesPerSecond(setup, model: model, batchSize: batchSize, threads: threads) {
                    fields["pytorch_samples_per_second"] = theirs
                    fields["polynet_over_pytorch"] = ours / theirs
                } else {
                    labels["pytorch"] = pytorchModel == nil ? "no PyTorch version of this architecture"
                        : "torch not importable by \(setup.python) (pass --python)"
                }
                emit(BenchmarkRecord(benchmark: "train", fields: fields, labels: labels))
            }
        }
        BLASRuntime.setThreadCount(1)
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
