/// Why a run cannot be resumed.
public enum TrainingStateError: Error, Equatable, CustomStringConvertible, Sendable {
    /// No run directory at the path.
    case noRunDirectory(String)
    /// The run directory holds no training state.
    case missing(directory: String)
    /// The state file cannot be read back.
    case unreadable(path: String, reason: String)
    /// Every configured epoch is done and no higher total was given.
    case finished(directory: String, epochs: Int)
    /// The training data has another size than the run used.
    case dataChanged(directory: String, saved: Int, found: Int)

    public var description: String {
        switch self {
        case let .noRunDirectory(path):
            return "no run directory at \(path); give the directory of an earlier training run"
        case let .missing(directory):
            return "\(directory) has no \(TrainingState<Float>.fileName): it was written by an older polynet or the run "
                + "never finished an epoch. Start a new run (its epoch-K.safetensors hold weights but no optimizer state)."
        case let .unreadable(path, reason):
            return "\(path) is not a usable training state (\(reason)). It is replaced atomically after each epoch, so "
                + "only an outside change breaks it; start a new run, or evaluate the run's epoch-K.safetensors."
        case let .finished(directory, epochs):
            return "the run in \(directory) already completed \(epochs) epoch\(epochs == 1 ? "" : "s"); "
                + "raise the number of epochs above \(epochs) to train further"
        case let .dataChanged(directory, saved, found):
            return "the run in \(directory) trained on \(saved) examples per epoch but the data now gives \(found); "
                + "resuming needs the same data set and training-example limit"
        }
    }
}
