/// The `__metadata__` keys PolyNet writes into checkpoints.
public enum CheckpointMetadata {
    /// The architecture text.
    public static let architecture = "polynet.arch"
    /// The training configuration as JSON.
    public static let configuration = "polynet.config"
    /// Completed epochs.
    public static let epoch = "polynet.epoch"
    /// Completed optimizer steps.
    public static let step = "polynet.step"
}
