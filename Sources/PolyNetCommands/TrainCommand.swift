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

        With --out DIR the run writes DIR/metrics.jsonl, DIR/epoch-K.safetensors, \
        DIR/step-N.safetensors for --checkpoint-steps, DIR/training-state.safetensors after \
        every epoch and DIR/model.safetensors.

        --resume DIR continues a run from its last completed epoch, exactly as if it had not \
        stopped (optimizer moments, step count and shuffling are restored), appending to \
        DIR/metrics.jsonl; --epochs N raises the total. Other options may be repeated but must \
        match the saved run.
        """)

    @Option(help: "The architecture text or preset name (default: seed001-poly).")
    var arch: String?

    @Option(help: "The data set: mnist or fashion-mnist (default: mnist).")
    var dataset: String?

    @Option(help: "Directory holding the data set's IDX files (default: $POLYNET_DATA, then the repository's Data/).")
    var dataDir: String?

    @Option(help: "Passes over the training set (default: 5; with --resume, the new total).")
    var epochs: Int?

    @Option(help: "Examples per optimizer step (default: 64).")
    var batchSize: Int?

    @Option(help: "sgd, adam or adamw (default: adam).")
    var optimizer: TrainingConfiguration.OptimizerName?

    @Option(help: "The base learning rate (default: 0.001).")
    var learningRate: Double?

    @Option(help: "SGD momentum (default: 0.9).")
    var momentum: Double?

    @Option(help: "Weight decay (L2 for sgd and adam, decoupled for adamw; default: 0).")
    var weightDecay: Double?

    @Option(help: "constant, cosine, or step:EPOCHS:FACTOR (default: constant).")
    var schedule: LearningRateSchedule?

    @Option(help: "Clip the joint gradient norm to this value.")
    var clipNorm: Double?

    @Option(help: "cross-entropy or mse (default: cross-entropy).")
    var loss: Loss?

    @Option(help: "Seed of initialization and shuffling (--repeat uses seed, seed+1, …; default: 0).")
    var seed: UInt64?

    @Option(help: "Run directory for metrics and checkpoints, e.g. runs/poly.")
    var out: String?

    @Option(help: ArgumentHelp("Continue the run in this directory (an earlier --out) after its last completed epoch.",
                               valueName: "dir"))
    var resume: String?

    @Option(help: "Comma-separated optimizer steps after which to save step-N.safetensors, e.g. 0,1,2,4,8.")
    var checkpointSteps: String?

    @Option(help: "Train this many times with consecutive seeds and report mean ± std.")
    var `repeat` = 1

    @Option(help: "OpenBLAS threads (steps under ~32 MFLOP, such as batch 64 of seed001-poly, use one).")
    var threads = 1

    @Option(help: "Use only the first N training examples.")
    var limit: Int?

    @Option(help: "Use only the first N test examples.")
    var testLimit: Int?

    func validate() throws {
        if let dataset, !["mnist", "fashion-mnist"].contains(dataset) {
            throw ValidationError("unknown data set '\(dataset)'; known: mnist, fashion-mnist")
        }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
        if resume != nil {
            guard out == nil else { throw ValidationError("--resume continues in its own run directory; drop --out") }
            guard `repeat` == 1 else {
                throw ValidationError("--resume continues one run; resume each seed-S directory of a --repeat run on its own")
            }
        }
        _ = try parsedCheckpointSteps()
        _ = try Architecture(parsing: arch ?? Self.defaultArchitecture)
    }

    func run() throws {
        BLASRuntime.setThreadCount(threads)
        BLASRuntime.warmUp()
        if let resume { return try continueRun(in: resume) }
        var base = TrainingConfiguration(architecture: Self.defaultArchitecture)
        for setting in try givenSettings() { setting.apply(&base) }
        if let epochs { base.epochs = epochs }
        let (training, test) = try loadData(base.dataset)
        var accuracies = [Double]()
        for run in 0 ..< `repeat` {
            var configuration = base
            configuration.seed += UInt64(run)
            var trainer = try Trainer(configuration: configuration, training: training, test: test)
            if run == 0 {
                print("\(trainer.model.specification): \(trainer.model.parameterCount) parameters; "
                      + "\(min(limit ?? training.count, training.count)) training examples, \(threads) thread\(threads == 1 ? "" : "s")")
            }
            let runDirectory = out.map { URL(fileURLWithPath: `repeat` > 1 ? "\($0)/seed-\(configuration.seed)" : $0) }
            accuracies.append(try train(&trainer, into: runDirectory, label: `repeat` > 1 ? "seed \(configuration.seed)" : nil))
        }
        if accuracies.count > 1 {
            let mean = accuracies.reduce(0, +) / Double(accuracies.count)
            let variance = accuracies.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(accuracies.count - 1)
            print("test accuracy over \(accuracies.count) seeds (\(base.seed)…\(base.seed + UInt64(accuracies.count - 1))): "
                  + "\(String(format: "%.2f ± %.2f", 100 * mean, 100 * variance.squareRoot())) % (mean ± sample std)")
        }
    }

    static let defaultArchitecture = "seed001-poly"

    /// The training and test sets of `dataset`.
    func loadData(_ dataset: String) throws -> (training: LabeledImages, test: LabeledImages) {
        let directory = try DataLocator.directory(for: dataset, dataDirectory: dataDir)
        return (try MNIST.load(.train, from: directory), try MNIST.load(.test, from: directory))
    }

    /// Runs `trainer` with a progress display, prints its final test accuracy and returns it.
    func train(_ trainer: inout Trainer, into runDirectory: URL?, label: String?) throws -> Double {
        var progress = ProgressPrinter(prefix: label.map { "\($0) " } ?? "")
        let history = try trainer.run(outputDirectory: runDirectory) { progress.report($0) }
        let final = history.last!
        print("\(label.map { "\($0): " } ?? "")test accuracy \(accuracyPercent(final.testAccuracy))"
              + (runDirectory.map { " — saved \($0.path)/model.safetensors" } ?? ""))
        return final.testAccuracy
    }

    func parsedCheckpointSteps() throws -> [Int]? {
        try checkpointSteps?.split(separator: ",").map { part in
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
