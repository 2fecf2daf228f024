import FileSystem
import Foundation

/// Why a checkpoint could not be turned back into a model.
public enum CheckpointError: Error, Equatable, CustomStringConvertible, Sendable {
    /// No `polynet.arch` metadata and no architecture given.
    case missingArchitecture(source: String)
    /// The tensors do not fit the architecture.
    case tensors(source: String, problem: String)
    /// `polynet.config` is not a valid training configuration.
    case badConfiguration(source: String, reason: String)
    /// `polynet.arch` is not a valid architecture.
    case badArchitecture(source: String, architecture: String, reason: String)
    /// The file is a training state (model and optimizer), not a model checkpoint.
    case trainingState(source: String)

    /// The run directory of a training-state file at `source` ("." for a bare file name).
    public static func runDirectory(of source: String) -> String {
        let directory = PathText.parent(of: source)
        return directory.isEmpty ? "." : directory
    }

    public var description: String {
        switch self {
        case let .missingArchitecture(source):
            return "\(source): no '\(CheckpointMetadata.architecture)' metadata; give the architecture for files written elsewhere"
        case let .tensors(source, problem):
            return "\(source): \(problem)"
        case let .badConfiguration(source, reason):
            return "\(source): '\(CheckpointMetadata.configuration)' metadata is not a training configuration (\(reason))"
        case let .badArchitecture(source, architecture, reason):
            return "\(source): its '\(CheckpointMetadata.architecture)' metadata '\(architecture)' is not a valid architecture (\(reason))"
        case let .trainingState(source):
            return "\(source) is a training state (the model with its optimizer state), not a model checkpoint; "
                + "evaluate the run's \(RunDirectory.modelFileName) or epoch-K.safetensors, or resume the run in \(Self.runDirectory(of: source))"
        }
    }
}
