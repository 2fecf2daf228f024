/// Why a checkpoint could not be turned back into a model.
public enum CheckpointError: Error, Equatable, CustomStringConvertible, Sendable {
    /// No `polynet.arch` metadata and no architecture given.
    case missingArchitecture(source: String)
    /// The tensors do not fit the architecture.
    case tensors(source: String, problem: String)
    /// `polynet.config` is not a valid training configuration.
    case badConfiguration(source: String, reason: String)

    public var description: String {
        switch self {
        case let .missingArchitecture(source):
            return "\(source): no 'polynet.arch' metadata; pass the architecture (--arch) for files written elsewhere"
        case let .tensors(source, problem):
            return "\(source): \(problem)"
        case let .badConfiguration(source, reason):
            return "\(source): 'polynet.config' metadata is not a training configuration (\(reason))"
        }
    }
}
