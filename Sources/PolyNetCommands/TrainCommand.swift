import ArgumentParser
import Datasets
import Foundation
import LinearAlgebra
import NeuralNetworks
import Training

/// `polynet train`: train a network on MNIST-format images, with checkpoints and metrics.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a network (e.g. the seed-001 polynomial MLP) on MNIST or Fashion-MNIST.",
        discussion: """
        Architectures are layers separated by spaces, e.g.
          poly(784,20,deg=3) layernorm(20) poly(20,10,deg=3)
          dense(784,256) relu dense(256,10)
        or a preset: \(Architecture.presets.keys.sorted().joined(separator: ", ")). Layer kinds:
        \(LayerRegistry.standard.summaries.map { "  " + $0 }.joined(separator: "\n"))

        With --out DIR the run writes DIR/metrics.jsonl, DIR/epoch-K.safetensors,
        DIR/step-N.safetensors for --checkpoint-steps and DIR/model.safetensors.
        """)

    @Option(help: "The architecture text or preset name.")
    var arch = "seed001-poly"

    @Option(help: "The data set: mnist or fashion-mnist.")
    var dataset = "mnist"

    @Option(help: "Directory holding the data set's IDX files (default: $POLYNET_DATA, then the repository's Data/).")
    var dataDir: String?

    @Option(help: "Passes over the training set.")
    var epochs = 5

    @Option(help: "Examples per optimizer step.")
    var batchSize = 64

    @Option(help: "sgd, adam or adamw.")
    var optimizer: TrainingConfiguration.OptimizerName = .adam

    @Option(help: "The base learning rate.")
    var learningRate = 1e-3

    @Option(help: "SGD momentum.")
    var momentum = 0.9

    @Option(help: "Weight decay (L2 for sgd and adam, decoupled for adamw).")
    var weightDecay = 0.0

    @Option(help: "constant, cosine, or step:EPOCHS:FACTOR.")
    var schedule: LearningRateSchedule = .constant

    @Option(help: "Clip the joint gradient norm to this value.")
    var clipNorm: Double?

    @Option(help: "cross-entropy or mse.")
    var loss: Loss = .crossEntropy

    @Option(help: "Seed of initialization and shuffling (--repeat uses seed, seed+1, …).")
    var seed: UInt64 = 0

    @Option(help: "Run directory for metrics and checkpoints, e.g. runs/poly.")
    var out: String?

    @Option(help: "Comma-separated optimizer steps after which to save step-N.safetensors, e.g. 0,1,2,4,8.")
    var checkpointSteps = ""

    @Option(help: "Train this many times with consecutive seeds and report mean ± std.")
    var `repeat` = 1

    @Option(help: "OpenBLAS threads (steps under ~32 MFLOP, such as batch 64 of seed001-poly, use one).")
    var threads = 1

    @Option(help: "Use only the first N training examples.")
    var limit: Int?

    @Option(help: "Use only the first N test examples.")
    var testLimit: Int?

    func validate() throws {
        guard ["mnist", "fashion-mnist"].contains(dataset) else {
            throw ValidationError("unknown data set '\(dataset)'; known: mnist, fashion-mnist")
        }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
        _ = try parsedCheckpointSteps()
        _ = try Architecture(parsing: arch)
    }

    func run() throws {
        BLASRuntime.setThreadCount(threads)
        BLASRuntime.warmUp()
        let directory = try DataLocator.directory(for: dataset, dataDirectory: dataDir)
        let training = try MNIST.load(.train, from: directory)
        let test = try MNIST.load(.test, from: directory)
        var accuracies = [Double]()
        for run in 0 ..< `repeat` {
            var configuration = TrainingConfiguration(architecture: arch)
            configuration.dataset = dataset
            configuration.epochs = epochs
            configuration.batchSize = batchSize
            configuration.optimizer = optimizer
            configuration.learningRate = learningRate
            configuration.momentum = momentum
            configuration.weightDecay = weightDecay
            configuration.schedule = schedule
            configuration.clipNorm = clipNorm
            configuration.loss = loss
            configuration.seed = seed + UInt64(run)
            configuration.checkpointSteps = try parsedCheckpointSteps()
            configuration.trainingLimit = limit
            configuration.testLimit = testLimit
            var trainer = try Trainer(configuration: configuration, training: training, test: test)
            if run == 0 {
                print("\(trainer.model.specification): \(trainer.model.parameterCount) parameters; "
                      + "\(min(limit ?? training.count, training.count)) training examples, \(threads) thread\(threads == 1 ? "" : "s")")
            }
            let runDirectory = out.map { URL(fileURLWithPath: `repeat` > 1 ? "\($0)/seed-\(configuration.seed)" : $0) }
            var progress = ProgressPrinter(prefix: `repeat` > 1 ? "seed \(configuration.seed) " : "")
            let history = try trainer.run(outputDirectory: runDirectory) { progress.report($0) }
            let final = history.last!
            accuracies.append(final.testAccuracy)
            print("\(`repeat` > 1 ? "seed \(configuration.seed): " : "")test accuracy \(accuracyPercent(final.testAccuracy))"
                  + (runDirectory.map { " — saved \($0.path)/model.safetensors" } ?? ""))
        }
        if accuracies.count > 1 {
            let mean = accuracies.reduce(0, +) / Double(accuracies.count)
            let variance = accuracies.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(accuracies.count - 1)
            print("test accuracy over \(accuracies.count) seeds (\(seed)…\(seed + UInt64(accuracies.count - 1))): "
                  + "\(String(format: "%.2f ± %.2f", 100 * mean, 100 * variance.squareRoot())) % (mean ± sample std)")
        }
    }

    private func parsedCheckpointSteps() throws -> [Int] {
        try checkpointSteps.split(separator: ",").map { part in
            guard let value = Int(part.trimmingCharacters(in: .whitespaces)), value >= 0 else {
                throw ValidationError("--checkpoint-steps: '\(part)' is not a non-negative step number")
            }
            return value
        }
    }
}

/// Formats an accuracy fraction as a percentage with two decimals (as the seed reports it).
func accuracyPercent(_ fraction: Double) -> String { String(format: "%.2f%%", 100 * fraction) }

extension TrainingConfiguration.OptimizerName: ExpressibleByArgument {}
extension Loss: ExpressibleByArgument {}

extension LearningRateSchedule: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
