/// The `__metadata__` keys PolyNet writes into checkpoints and training states.
public enum CheckpointMetadata {
    /// The architecture text.
    public static let architecture = "polynet.arch"
    /// The training configuration as JSON.
    public static let configuration = "polynet.config"
    /// Completed epochs.
    public static let epoch = "polynet.epoch"
    /// Completed optimizer steps.
    public static let step = "polynet.step"
    /// A training state's optimizer, generator and progress as JSON (`TrainingState`); its
    /// presence marks the file as a training state rather than a model checkpoint.
    public static let trainingState = "polynet.state"
}
