/// A setting of a `TrainingConfiguration`, as `TrainingError.outOfRange` names it.
public enum TrainingSetting: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `epochs`.
    case epochs
    /// `batchSize`.
    case batchSize = "batch size"
    /// `learningRate`.
    case learningRate = "learning rate"
    /// `momentum`.
    case momentum
    /// `weightDecay`.
    case weightDecay = "weight decay"
    /// `clipNorm`.
    case clipNorm = "clip norm"
    /// `schedule`.
    case schedule
    /// `checkpointSteps`.
    case checkpointSteps = "checkpoint steps"
    /// `trainingLimit`.
    case trainingLimit = "training limit"
    /// `testLimit`.
    case testLimit = "test limit"

    /// The setting in words.
    public var description: String { rawValue }
}
