import Foundation

/// What a running `Trainer` reports to its observer.
public enum TrainingEvent: Sendable {
    /// After every optimizer step.
    case step(StepProgress)
    /// After every epoch, with the test-set evaluation.
    case epoch(EpochMetrics)
    /// After a checkpoint file was written.
    case checkpoint(URL)
}

/// Progress within an epoch, for a progress bar.
public struct StepProgress: Sendable {
    /// The epoch, from 1.
    public var epoch: Int
    /// Epochs in the run.
    public var epochs: Int
    /// Steps done in this epoch.
    public var stepInEpoch: Int
    /// Steps per epoch.
    public var stepsPerEpoch: Int
    /// Optimizer steps done in the run.
    public var step: Int
    /// Mean training loss over this epoch so far.
    public var loss: Double
    /// Training accuracy over this epoch so far, as a fraction.
    public var accuracy: Double
    /// Training examples per second in this epoch so far.
    public var samplesPerSecond: Double
    /// Estimated seconds until the run's training steps finish.
    public var secondsRemaining: Double
}

/// One line of `metrics.jsonl`.
public struct EpochMetrics: Sendable, Codable, Equatable {
    /// The epoch, from 1.
    public var epoch: Int
    /// Optimizer steps done in the run.
    public var step: Int
    /// Mean training loss over the epoch (while the model changed).
    public var trainLoss: Double
    /// Training accuracy over the epoch, as a fraction.
    public var trainAccuracy: Double
    /// Mean loss on the test set after the epoch.
    public var testLoss: Double
    /// Accuracy on the test set after the epoch, as a fraction.
    public var testAccuracy: Double
    /// Training examples per second (training steps only; evaluation and checkpoints excluded).
    public var samplesPerSecond: Double
    /// The learning rate of the epoch's last step.
    public var learningRate: Double

    enum CodingKeys: String, CodingKey {
        case epoch, step
        case trainLoss = "train_loss", trainAccuracy = "train_accuracy"
        case testLoss = "test_loss", testAccuracy = "test_accuracy"
        case samplesPerSecond = "samples_per_second", learningRate = "learning_rate"
    }
}
