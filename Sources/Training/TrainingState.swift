import LinearAlgebra
import NeuralNetworks

/// Everything a `Trainer` needs to continue a run exactly where an epoch ended: the model, the
/// configuration, the completed epochs and optimizer steps, the optimizer's moments and the
/// shuffling generator.
///
/// The learning-rate schedule needs no state of its own: its position is `step` (with
/// `stepsPerEpoch` and the configured total, as `LearningRateSchedule.factor` takes them).
/// `Trainer.run(outputDirectory:)` writes it after every epoch as
/// `training-state.safetensors` (see `TrainingState+SafeTensors`), and
/// `Trainer(resuming:training:test:)` continues from it:
///
/// ```swift
/// var state = try TrainingState<Float>(runDirectory: URL(fileURLWithPath: "runs/poly"))
/// state.configuration.epochs = 10  // train further than planned
/// var trainer = try Trainer(resuming: state, training: training, test: test)
/// try trainer.run(outputDirectory: URL(fileURLWithPath: "runs/poly"))
/// ```
public struct TrainingState<Scalar: BLASScalar> {
    /// The file name inside a run directory.
    public static var fileName: String { "training-state.safetensors" }

    /// The model after `epoch` epochs.
    public var model: Sequential<Scalar>
    /// The run's settings; `epochs` may be raised before resuming.
    public var configuration: TrainingConfiguration
    /// Completed epochs.
    public var epoch: Int
    /// Completed optimizer steps.
    public var step: Int
    /// The optimizer's moments and step count.
    public var optimizer: OptimizerState<Scalar>
    /// The shuffling generator, positioned for the next epoch's shuffle.
    public var shuffler: SeededGenerator
    /// Training examples per epoch, so a resumed run can check that it sees the same data.
    public var trainingExamples: Int

    /// A state; see the properties.
    public init(model: Sequential<Scalar>, configuration: TrainingConfiguration, epoch: Int, step: Int,
                optimizer: OptimizerState<Scalar>, shuffler: SeededGenerator, trainingExamples: Int) {
        self.model = model
        self.configuration = configuration
        self.epoch = epoch
        self.step = step
        self.optimizer = optimizer
        self.shuffler = shuffler
        self.trainingExamples = trainingExamples
    }
}
