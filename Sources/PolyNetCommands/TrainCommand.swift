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
        every epoch and DIR/model.safetensors. DIR must be missing or empty unless --overwrite \
        is given; it is locked (DIR/.lock) while the run lasts, so a second run into it fails.

        --resume DIR continues a run from its last completed epoch, exactly as if it had not \
        stopped (optimizer moments, step count and shuffling are restored), appending to \
        DIR/metrics.jsonl; --epochs N raises the total. Other options may be repeated but must \
        match the saved run.
        """)

    @Option(help: "The architecture text or preset name (default: seed001-poly).")
    var arch: String?

    @Option(help: "The data set: \(datasetChoices()) (default: \(Dataset.mnist.name)).")
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

    @Option(help: "Run directory for metrics and checkpoints, e.g. runs/poly (must be missing or empty).")
    var out: String?

    @Flag(help: "Replace the run in a non-empty --out directory (its metrics and checkpoints are removed first).")
    var overwrite = false

    @Option(help: ArgumentHelp("Refuse architectures with more parameters than this (default: 100000000, 1.6 GB of Float training state).",
                               valueName: "count"))
    var maxParameters: Int?

    @Option(help: ArgumentHelp("Continue the run in this directory (an earlier --out) after its last completed epoch.",
                               valueName: "dir"))
    var resume: String?

    @Option(help: ArgumentHelp("Start from this trained model (a checkpoint or run directory) instead of a fresh one; its architecture is used.",
                               valueName: "run"))
    var initFrom: String?

    @Option(help: ArgumentHelp("With --init-from: replace every fixed activation by this learnable one, fitted to it unless init= is given, e.g. 'hermite(deg=8)'.",
                               valueName: "layer"))
    var swapActivations: String?

    @Option(help: "Comma-separated optimizer steps after which to save step-N.safetensors, e.g. 0,1,2,4,8.")
    var checkpointSteps: String?

    @Option(help: "Train this many times (at most 100) with consecutive seeds and report the test accuracy, test loss and train loss as mean ± sample std.")
    var `repeat` = 1

    @Option(help: "Threads, 1 to 1024: a batch with at least \(StepParallelism.minimumRowsPerWorker) rows per thread is split across threads, a smaller one uses multithreaded OpenBLAS (one thread for steps under ~\(Int(StepParallelism.multithreadedBLASMinimumFlops / 1e6)) MFLOP).")
    var threads = 1

    @Option(help: "Use only the first N training examples.")
    var limit: Int?

    @Option(help: "Use only the first N test examples.")
    var testLimit: Int?

    func validate() throws {
        if let dataset { _ = try knownDataset(named: dataset) }
        guard (1 ... Self.maximumThreads).contains(threads) else {
            throw ValidationError("--threads must be between 1 and \(Self.maximumThreads), got \(threads)")
        }
        guard (1 ... Self.maximumRepeat).contains(`repeat`) else {
            throw ValidationError("--repeat must be between 1 and \(Self.maximumRepeat), got \(`repeat`)")
        }
        if let seed, UInt64.max - seed < UInt64(`repeat` - 1) {
            throw ValidationError("--seed \(seed) with --repeat \(`repeat`) runs past the largest seed \(UInt64.max)")
        }
        if let maxParameters, maxParameters < 1 {
            throw ValidationError("--max-parameters must be at least 1, got \(maxParameters)")
        }
        _ = try parsedCheckpointSteps()
        if let out, out.isEmpty { throw ValidationError("--out needs a directory path, got an empty string") }
        if let resume, resume.isEmpty { throw ValidationError("--resume needs a run directory path, got an empty string") }
        if resume != nil {
            guard out == nil else { throw ValidationError("--resume continues in its own run directory; drop --out") }
            guard `repeat` == 1 else {
                throw ValidationError("--resume continues one run; resume each seed-S directory of a --repeat run on its own")
            }
            guard !overwrite else { throw ValidationError("--overwrite starts a new run; drop it to resume, or use --out with --overwrite") }
            guard maxParameters == nil else {
                throw ValidationError("--max-parameters applies to new runs; a resumed model is read from its run directory")
            }
        } else {
            if checkpointSteps != nil && out == nil {
                throw ValidationError("--checkpoint-steps saves step-N.safetensors into a run directory; pass --out DIR")
            }
            if overwrite && out == nil { throw ValidationError("--overwrite replaces the run in an --out directory; pass --out DIR") }
        }
        _ = try Architecture(parsing: arch ?? Self.defaultArchitecture)
        if let swapActivations {
            guard initFrom != nil else { throw ValidationError("--swap-activations replaces the activations of a trained model: pass --init-from RUN") }
            _ = try Architecture(parsing: swapActivations)
        }
        if initFrom != nil {
            guard resume == nil, arch == nil, `repeat` == 1 else {
                throw ValidationError("--init-from starts one run from a trained model; drop --resume, --arch and --repeat")
            }
        }
    }

    /// The most OpenBLAS threads `--threads` accepts (far above any core count OpenBLAS is built for).
    static let maximumThreads = 1024
    /// The most runs `--repeat` accepts (each holds its run directory's lock while the command runs).
    static let maximumRepeat = 100

    /// The size limits for new models.
    var limits: ArchitectureLimits {
        ArchitectureLimits(maximumParameters: maxParameters ?? ArchitectureLimits.defaultMaximumParameters)
    }

    func run() throws {
        BLASRuntime.setThreadCount(threads)
        BLASRuntime.warmUp()
        if let resume { return try continueRun(in: resume) }
        if let initFrom { return try startRun(from: initFrom) }
        var base = TrainingConfiguration(architecture: Self.defaultArchitecture)
        for setting in try givenSettings() { setting.apply(&base) }
        if let epochs { base.epochs = epochs }
        // Everything that can be checked without the data is checked before anything is
        // read or written: options, the model's size, and every run directory.
        try base.validate()
        try Architecture(parsing: base.architecture).checkSize(within: limits)
        let configurations = (0 ..< `repeat`).map { run in
            var configuration = base
            configuration.seed += UInt64(run)
            return configuration
        }
        let mode: RunDirectory.Mode = overwrite ? .overwrite : .new
        let runURLs = out.map { out in
            configurations.map { `repeat` > 1 ? URL(fileURLWithPath: out).appendingPathComponent(RunDirectory.seedDirectoryName($0.seed)) : URL(fileURLWithPath: out) }
        } ?? []
        for url in runURLs { try RunDirectory.check(url, mode: mode) }
        let (training, test) = try loadData(base.dataset)
        // The first trainer is built before any directory is created: it checks the model
        // against the data.
        var first: Trainer? = try Trainer(configuration: configurations[0], training: training, test: test, limits: limits)
        let directories = try runURLs.map { try RunDirectory($0, mode: mode) }
        var finalEpochs = [EpochMetrics]()
        for (run, configuration) in configurations.enumerated() {
            var trainer = try first.take() ?? Trainer(configuration: configuration, training: training, test: test, limits: limits)
            if run == 0 {
                print("\(trainer.model.specification): \(trainer.model.parameterCount) parameters; "
                      + "\(min(limit ?? training.count, training.count)) training examples, \(threads) thread\(threads == 1 ? "" : "s")")
            }
            finalEpochs.append(try train(&trainer, into: directories.isEmpty ? nil : directories[run],
                                        label: `repeat` > 1 ? "seed \(configuration.seed)" : nil))
        }
        if finalEpochs.count > 1 {
            let summary = RepeatSummary(finalEpochs: finalEpochs)
            let (accuracy, testLoss, trainLoss) = (summary.testAccuracy, summary.testLoss, summary.trainLoss)
            print("over \(finalEpochs.count) seeds (\(base.seed)…\(base.seed + UInt64(finalEpochs.count - 1))), mean ± sample std: "
                  + "test accuracy \(String(format: "%.2f ± %.2f", 100 * accuracy.mean, 100 * accuracy.standardDeviation)) %, "
                  + "test loss \(String(format: "%.4f ± %.4f", testLoss.mean, testLoss.standardDeviation)), "
                  + "train loss \(String(format: "%.4f ± %.4f", trainLoss.mean, trainLoss.standardDeviation))")
        }
    }

    static let defaultArchitecture = "seed001-poly"

    /// The training and test sets of `dataset`.
    func loadData(_ dataset: String) throws -> (training: LabeledImages, test: LabeledImages) {
        let directory = try DataLocator.directory(for: dataset, dataDirectory: dataDir)
        return (try MNIST.load(.train, from: directory), try MNIST.load(.test, from: directory))
    }

    /// Runs `trainer` with a progress display, prints its final test accuracy and returns the
    /// last epoch's metrics.
    func train(_ trainer: inout Trainer, into runDirectory: RunDirectory?, label: String?) throws -> EpochMetrics {
        var progress = ProgressPrinter(prefix: label.map { "\($0) " } ?? "")
        if let runDirectory, !runDirectory.removedTemporaries.isEmpty {
            print("removed \(runDirectory.removedTemporaries.count) temporary file(s) an interrupted run left in \(runDirectory.url.path)")
        }
        let history = try trainer.run(in: runDirectory) { progress.report($0) }
        guard let final = history.last else {
            throw TrainingError.invalidConfiguration("no epoch was left to train")
        }
        print("\(label.map { "\($0): " } ?? "")test accuracy \(accuracyPercent(final.testAccuracy))"
              + (runDirectory.map { " — saved \($0.checkpointURL(.model).path)" } ?? ""))
        return final
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
