/// Why training stopped early or could not start.
public enum TrainingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The loss or a gradient became NaN or infinite.
    case diverged(step: Int, epoch: Int, place: String, lastGoodCheckpoint: String?)
    /// The configuration is inconsistent with the data or the model.
    case invalidConfiguration(String)
    /// A setting lies outside the range training can use: `setting` was given `value`, which
    /// must be `requirement`.
    case outOfRange(setting: TrainingSetting, value: String, requirement: String)

    public var description: String {
        switch self {
        case let .diverged(step, epoch, place, checkpoint):
            return "training diverged at step \(step) (epoch \(epoch)): \(place) is not finite. "
                + (checkpoint.map { "The last good checkpoint is \($0). " } ?? "No checkpoint was written yet. ")
                + "Try a smaller learning rate, gradient clipping, or an orthogonal polynomial basis (basis=chebyshev)."
        case let .invalidConfiguration(message):
            return message
        case let .outOfRange(setting, value, requirement):
            return "\(setting) \(value) is out of range: it must be \(requirement)"
        }
    }
}
