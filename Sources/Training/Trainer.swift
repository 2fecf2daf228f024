import Datasets
import Foundation
import LinearAlgebra
import NeuralNetworks

/// Trains a Float model on labeled images by mini-batch gradient descent.
///
/// Each step gathers a shuffled batch into reused buffers, runs the forward pass, the fused
/// loss, the backward pass (skipping the first layer's input gradient), the divergence guard,
/// optional clipping and one optimizer update; no buffer is reallocated while the batch size
/// stays the same. With several threads (OpenBLAS's thread count as set) the passes either run
/// on slices of the batch in parallel or use multithreaded BLAS on the whole batch, as
/// ``StepParallelism/suited(threads:batchSize:stepFlops:)`` decides unless ``parallelism`` is set.
///
/// Output directory layout (when given): `metrics.jsonl` (one `EpochMetrics` per line),
/// `epoch-K.safetensors` after epoch K, `step-N.safetensors` after optimizer step N for
/// each N in `checkpointSteps` (`step-0` is the initialization), `training-state.safetensors`
/// after every epoch (what `init(resuming:training:test:)` continues from), `model.safetensors`
/// at the end.
public struct Trainer {
    /// The run's settings.
    public let configuration: TrainingConfiguration
    /// The model being trained.
    public private(set) var model: Sequential<Float>
    /// Epochs completed so far (by this trainer or the run it resumed).
    public private(set) var completedEpochs = 0
    /// Optimizer steps completed so far.
    public private(set) var step = 0
    /// How steps use the threads, or nil (the default) to let
    /// ``StepParallelism/suited(threads:batchSize:stepFlops:)`` choose from OpenBLAS's thread
    /// count as set when `run` starts (see ``stepParallelism``). A worker count changes results
    /// only in rounding.
    public var parallelism: StepParallelism?

    /// How `run` would use the threads now: ``parallelism`` when set, else the suited choice for
    /// OpenBLAS's thread count as set (at most the number of active processors: each batch-split
    /// worker holds its own gradient buffers, so a thread count far above the cores would only
    /// cost memory), the batch size and about 2·batch·parameters flops per step.
    public var stepParallelism: StepParallelism {
        let batchSize = min(configuration.batchSize, training.count)
        let threads = min(BLASRuntime.threadCount, ProcessInfo.processInfo.activeProcessorCount)
        return parallelism ?? StepParallelism.suited(threads: max(threads, 1), batchSize: batchSize,
                                                     stepFlops: 2 * Double(batchSize) * Double(model.parameterCount))
    }
    // Positioned for the next epoch's shuffle.
    private var shuffler: SeededGenerator
    private let training: LabeledImages
    private let test: LabeledImages
    private var optimizer: TrainingOptimizer

    /// Builds the model from the configuration's architecture, initialized from its seed.
    ///
    /// - Throws: `TrainingError`, `ArchitectureError` or `OptimizerError` for a bad
    ///   configuration, or when the model's input or output width does not fit the data;
    ///   `ModelError` when the model or a batch of its activations is larger than `limits` allow.
    public init(configuration: TrainingConfiguration, training: LabeledImages, test: LabeledImages,
                limits: ArchitectureLimits = .standard) throws {
        try configuration.validate()
        var generator = SeededGenerator(seed: configuration.seed)
        let model: Sequential<Float> = try Architecture(parsing: configuration.architecture)
            .makeModel(limits: limits, using: &generator)
        try self.init(configuration: configuration, model: model, training: training, test: test, limits: limits)
    }

    /// Continues a saved run after its last completed epoch, with `state.configuration` (whose
    /// `epochs` may have been raised): the model, optimizer moments, step count and shuffling
    /// generator are restored, so the run goes on exactly as if it had never stopped.
    ///
    /// - Throws: `TrainingStateError.finished` when no epoch is left,
    ///   `TrainingStateError.dataChanged` when the training data has another size than the
    ///   run used, and the errors of `init(configuration:training:test:)`.
    public init(resuming state: TrainingState<Float>, training: LabeledImages, test: LabeledImages, runDirectory: String = "the saved state") throws {
        try state.configuration.validate()
        guard state.epoch < state.configuration.epochs else {
            throw TrainingStateError.finished(directory: runDirectory, epochs: state.epoch)
        }
        try self.init(configuration: state.configuration, model: state.model, training: training, test: test)
        guard self.training.count == state.trainingExamples else {
            throw TrainingStateError.dataChanged(directory: runDirectory, saved: state.trainingExamples, found: self.training.count)
        }
        try optimizer.restore(state.optimizer, for: &model)
        (completedEpochs, step, shuffler) = (state.epoch, state.step, state.shuffler)
    }

    /// The model, optimizer and position as they are now: after `run` returns, the state after
    /// its last epoch, to save and resume from.
    public var state: TrainingState<Float> {
        TrainingState(model: model, configuration: configuration, epoch: completedEpochs, step: step,
                      optimizer: optimizer.state, shuffler: shuffler, trainingExamples: training.count)
    }

    /// Trains `model` as it is (not built from the configuration's architecture, which then
    /// only names it), e.g. to fine-tune a network whose layers were replaced.
    ///
    /// - Throws: the errors of `init(configuration:training:test:limits:)`.
    public init(configuration: TrainingConfiguration, model: Sequential<Float>, training: LabeledImages, test: LabeledImages,
                limits: ArchitectureLimits = .standard) throws {
        try configuration.validate()
        self.configuration = configuration
        self.model = model
        self.training = configuration.trainingLimit.map { training.prefix($0) } ?? training
        self.test = configuration.testLimit.map { test.prefix($0) } ?? test
        shuffler = SeededGenerator(seed: configuration.seed ^ 0x9E37_79B9_7F4A_7C15)
        guard self.training.count >= 1, self.test.count >= 1 else {
            throw TrainingError.invalidConfiguration("the training and test sets need at least one example each")
        }
        let width = training.images.columns
        if let input = model.inputWidth, input != width {
            throw TrainingError.invalidConfiguration("the architecture takes \(input) inputs but \(configuration.dataset) images have \(width) pixels")
        }
        try model.checkBuffers(rows: min(configuration.batchSize, self.training.count), inputWidth: width, within: limits)
        let outputs = model.outputWidth(forInputWidth: width)
        guard outputs == training.classCount else {
            throw TrainingError.invalidConfiguration("the architecture gives \(outputs) outputs but \(configuration.dataset) has \(training.classCount) classes")
        }
        optimizer = try TrainingOptimizer(configuration)
    }

    /// Trains the epochs after `completedEpochs` up to the configured total, reporting to
    /// `observer` and writing metrics, checkpoints and the training state into `outputDirectory`
    /// when given: opened as a `RunDirectory`, `.new` for a fresh trainer (refused when it
    /// holds files) and `.resume` for a resumed one, and locked until `run` returns.
    /// Returns one `EpochMetrics` per epoch trained.
    ///
    /// - Throws: the errors of `run(in:observer:)` and `RunDirectory.init(_:mode:)`.
    @discardableResult
    public mutating func run(outputDirectory: URL? = nil, observer: (TrainingEvent) -> Void = { _ in }) throws -> [EpochMetrics] {
        let directory = try outputDirectory.map { try RunDirectory($0, mode: completedEpochs == 0 ? .new : .resume) }
        return try run(in: directory, observer: observer)
    }

    /// Trains the epochs after `completedEpochs` up to the configured total, reporting to
    /// `observer` and writing metrics, checkpoints and the training state into `directory`
    /// when given (a resumed run keeps the `metrics.jsonl` lines of its completed epochs and
    /// appends). Returns one `EpochMetrics` per epoch trained.
    ///
    /// - Throws: `TrainingError.diverged` naming the step and layer when the loss, a
    ///   gradient or the test-set output becomes NaN or infinite (checkpoints already written
    ///   are kept and the final `model.safetensors` is not written), or a file error.
    @discardableResult
    public mutating func run(in directory: RunDirectory?, observer: (TrainingEvent) -> Void = { _ in }) throws -> [EpochMetrics] {
        try directory?.startMetrics(keepingEpochs: completedEpochs)
        let plan = try StepPlan(configuration: configuration, trainingCount: training.count)
        let checkpoints = CheckpointPolicy(steps: configuration.checkpointSteps, directory: directory)
        let parallelism = stepParallelism
        return try BLASRuntime.withThreadCount(parallelism.blasThreads) {
            if step == 0 { try checkpoints.afterStep(0, checkpoint(epoch: 0, step: 0), observer: observer) }
            var workers = GradientWorkers(model: model, count: parallelism.workers)
            let source = BatchSource(images: training.images)
            var history = [EpochMetrics]()
            for epoch in stride(from: completedEpochs + 1, through: configuration.epochs, by: 1) {
                let metrics = try trainEpoch(epoch, plan: plan, checkpoints: checkpoints, workers: &workers, source: source,
                                             observer: observer)
                history.append(metrics)
                try directory?.append(metrics)
                observer(.epoch(metrics))
                try checkpoints.afterEpoch(epoch, checkpoint(epoch: epoch, step: step), state: state, observer: observer)
            }
            try checkpoints.atEnd(checkpoint(epoch: configuration.epochs, step: step), observer: observer)
            return history
        }
    }

    /// One pass over the shuffled training set, then the test-set evaluation. The step count and
    /// the shuffling generator advance (and `completedEpochs` becomes `epoch`) only when the
    /// epoch completes.
    ///
    /// - Throws: `TrainingError.diverged` (see `run(in:observer:)`), or a file error from a
    ///   step checkpoint.
    private mutating func trainEpoch(_ epoch: Int, plan: StepPlan, checkpoints: CheckpointPolicy, workers: inout GradientWorkers<Float>,
                                     source: BatchSource<Float>, observer: (TrainingEvent) -> Void) throws -> EpochMetrics {
        var (shuffler, step) = (self.shuffler, self.step)
        var (lossSum, correct, seen) = (0.0, 0, 0)
        var learningRate = 0.0
        let clock = ContinuousClock()
        var excluded = Duration.zero
        let start = clock.now
        for indices in training.shuffledBatches(size: plan.batchSize, using: &shuffler) {
            learningRate = configuration.learningRate
                * configuration.schedule.factor(step: step, stepsPerEpoch: plan.stepsPerEpoch, totalSteps: plan.totalSteps)
            let evaluation = try trainStep(on: indices, workers: &workers, source: source, learningRate: learningRate,
                                           divergence: (step: step + 1, epoch: epoch, lastGoodCheckpoint: checkpoints.lastCheckpoint))
            step += 1
            lossSum += evaluation.loss * Double(indices.count)
            correct += evaluation.correct
            seen += indices.count
            let saving = clock.now
            if try checkpoints.afterStep(step, checkpoint(epoch: epoch - 1, step: step), observer: observer) {
                excluded += clock.now - saving
            }
            let elapsed = (clock.now - start - excluded).seconds
            let rate = Double(seen) / max(elapsed, 1e-9)
            observer(.step(StepProgress(
                epoch: epoch, epochs: configuration.epochs,
                stepInEpoch: seen == training.count ? plan.stepsPerEpoch : step - (epoch - 1) * plan.stepsPerEpoch,
                stepsPerEpoch: plan.stepsPerEpoch, step: step, loss: lossSum / Double(seen),
                accuracy: Double(correct) / Double(seen), samplesPerSecond: rate,
                secondsRemaining: Double(training.count * configuration.epochs - (epoch - 1) * training.count - seen) / rate)))
        }
        let epochSeconds = (clock.now - start - excluded).seconds
        let testResult = Result { () throws(ModelError) in try evaluate(on: test) }
        guard case let .success((testLoss, testAccuracy)) = testResult else {
            var place = "the test-set output"
            if case let .failure(.nonFiniteOutput(layer, specification)) = testResult {
                place += " of layer \(layer) ('\(specification)')"
            }
            throw TrainingError.diverged(step: step, epoch: epoch, place: place, lastGoodCheckpoint: checkpoints.lastCheckpoint)
        }
        (completedEpochs, self.step, self.shuffler) = (epoch, step, shuffler)
        return EpochMetrics(
            epoch: epoch, step: step, trainLoss: lossSum / Double(seen), trainAccuracy: Double(correct) / Double(seen),
            testLoss: testLoss, testAccuracy: testAccuracy, samplesPerSecond: Double(seen) / epochSeconds,
            learningRate: learningRate)
    }

    /// One optimizer step on the training examples at `indices`: forward, fused loss and
    /// backward (without the first layer's input gradient) by `workers`, divergence guard,
    /// optional clipping and the update.
    ///
    /// - Throws: `TrainingError.diverged` at `divergence` when the loss or a gradient is NaN or
    ///   infinite (the model is then left unchanged).
    private mutating func trainStep(on indices: [Int], workers: inout GradientWorkers<Float>, source: BatchSource<Float>, learningRate: Double,
                                    divergence: (step: Int, epoch: Int, lastGoodCheckpoint: String?)) throws -> Loss.Evaluation {
        let evaluation = workers.computeGradients(of: &model, rows: indices, of: source, labels: training.labels,
                                                  loss: configuration.loss)
        guard evaluation.loss.isFinite else {
            throw TrainingError.diverged(step: divergence.step, epoch: divergence.epoch,
                                         place: "the loss (output of layer \(model.layers.count - 1), '\(model.layers.last?.specification ?? "")')",
                                         lastGoodCheckpoint: divergence.lastGoodCheckpoint)
        }
        if let bad = model.firstNonFiniteGradient() {
            throw TrainingError.diverged(step: divergence.step, epoch: divergence.epoch,
                                         place: "the gradient of \(bad.parameter) (layer \(bad.layer), '\(bad.specification)')",
                                         lastGoodCheckpoint: divergence.lastGoodCheckpoint)
        }
        if let clipNorm = configuration.clipNorm { model.clipGradientNorm(to: Float(clipNorm)) }
        optimizer.update(&model, learningRate: Float(learningRate), threads: workers.threads)
        return evaluation
    }

    /// Mean loss and accuracy (fraction) of the model on `data`, in batches of `batchSize` rows
    /// (fewer when a batch would pass the standard activation limit, see `Sequential.rowsFitting`).
    ///
    /// - Throws: `ModelError.nonFiniteOutput` naming the first layer whose output is NaN or infinite.
    public mutating func evaluate(on data: LabeledImages, batchSize: Int = 1000) throws(ModelError) -> (loss: Double, accuracy: Double) {
        let result = try Self.evaluate(&model, on: data, loss: configuration.loss, batchSize: batchSize)
        return (result.loss, result.accuracy)
    }

    /// Mean loss and accuracy (fraction) of any Float model on `data`, in batches of `batchSize`
    /// rows (fewer when a batch would pass the standard activation limit, see `Sequential.rowsFitting`).
    ///
    /// - Throws: `ModelError.nonFiniteOutput` naming the first layer whose output is NaN or
    ///   infinite on a batch whose loss is not finite (a mean over such outputs means nothing).
    public static func evaluate(_ model: inout Sequential<Float>, on data: LabeledImages, loss: Loss = .crossEntropy,
                                batchSize: Int = 1000) throws(ModelError) -> (loss: Double, accuracy: Double) {
        precondition(batchSize >= 1, "The evaluation batch size must be positive, got \(batchSize)")
        var (lossSum, correct) = (0.0, 0)
        var gradient = Matrix<Float>(rows: 0, columns: 0)
        // Fewer rows when a layer's buffers (a convolution's patch matrix) would pass the limit.
        let rows = model.rowsFitting(batchSize, inputWidth: data.images.columns)
        for start in stride(from: 0, to: data.count, by: rows) {
            let range = start ..< min(start + rows, data.count)
            let batch = data.images.rows(range)
            let evaluation = loss.evaluate(model.forward(batch, training: false),
                                           labels: Array(data.labels[range]), gradient: &gradient)
            if !evaluation.loss.isFinite, let bad = model.firstNonFiniteLayer(on: batch) {
                throw .nonFiniteOutput(layer: bad.layer, specification: bad.specification)
            }
            lossSum += evaluation.loss * Double(range.count)
            correct += evaluation.correct
        }
        let count = Double(max(data.count, 1))
        return (lossSum / count, Double(correct) / count)
    }

    private func checkpoint(epoch: Int, step: Int) -> Checkpoint<Float> {
        Checkpoint(model: model, configuration: configuration, epoch: epoch, step: step)
    }
}

/// The batch size and step counts of a run.
struct StepPlan {
    /// Examples per step: the configured size, or the whole training set when that is smaller.
    let batchSize: Int
    let stepsPerEpoch: Int
    /// Steps over all configured epochs (what the learning-rate schedule spans).
    let totalSteps: Int

    /// - Throws: `TrainingError.outOfRange` when the total step count overflows `Int`.
    init(configuration: TrainingConfiguration, trainingCount: Int) throws {
        // A batch larger than the training set is the whole set (and must not overflow below).
        batchSize = min(configuration.batchSize, trainingCount)
        stepsPerEpoch = (trainingCount + batchSize - 1) / batchSize
        let (totalSteps, overflow) = stepsPerEpoch.multipliedReportingOverflow(by: configuration.epochs)
        guard !overflow else {
            throw TrainingError.outOfRange(setting: .epochs, value: "\(configuration.epochs)",
                                           requirement: "at most \(Int.max / stepsPerEpoch) at \(stepsPerEpoch) steps per epoch")
        }
        self.totalSteps = totalSteps
    }
}

/// When a run writes checkpoints: `step-N` after each optimizer step N in the configured set
/// (`step-0` is the initialization), `epoch-K` and the training state after every epoch, and
/// `model` at the end — all only when the run has a directory.
struct CheckpointPolicy {
    let steps: Set<Int>
    let directory: RunDirectory?

    init(steps: [Int], directory: RunDirectory?) {
        self.steps = Set(steps)
        self.directory = directory
    }

    /// The last checkpoint written, for a divergence report.
    var lastCheckpoint: String? { directory?.lastCheckpoint }

    /// Saves `step-N` when `step` is one of the configured steps; returns whether it did.
    @discardableResult
    func afterStep(_ step: Int, _ checkpoint: @autoclosure () -> Checkpoint<Float>,
                   observer: (TrainingEvent) -> Void) throws -> Bool {
        guard steps.contains(step), let directory else { return false }
        observer(.checkpoint(try directory.save(checkpoint(), as: .step(step))))
        return true
    }

    /// Saves `epoch-K` and the training state.
    func afterEpoch(_ epoch: Int, _ checkpoint: @autoclosure () -> Checkpoint<Float>, state: @autoclosure () -> TrainingState<Float>,
                    observer: (TrainingEvent) -> Void) throws {
        guard let directory else { return }
        observer(.checkpoint(try directory.save(checkpoint(), as: .epoch(epoch))))
        try directory.save(state())
    }

    /// Saves the final `model`.
    func atEnd(_ checkpoint: @autoclosure () -> Checkpoint<Float>, observer: (TrainingEvent) -> Void) throws {
        guard let directory else { return }
        observer(.checkpoint(try directory.save(checkpoint(), as: .model)))
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
