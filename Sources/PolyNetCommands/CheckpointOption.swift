import ArgumentParser
import Foundation
import PolynomialConversion
import Training

/// The model file a `--checkpoint` (or `--run`) path names, resolved by
/// `RunDirectory.resolveCheckpoint` as every command does: a file as given; for a run
/// directory its model.safetensors, else its highest epoch-K.safetensors. A path that names
/// no checkpoint is a usage error.
func resolveCheckpoint(_ path: String) throws -> URL {
    do {
        return try RunDirectory.resolveCheckpoint(path)
    } catch let error as RunDirectoryError {
        throw ValidationError(error.description)
    }
}

/// The PolyNet checkpoint at `url` in Double, for the commands that convert it (convert,
/// explain); a file without architecture metadata is pointed to `convert --weights`, as these
/// commands take no --arch.
func loadConvertibleCheckpoint(_ url: URL) throws -> Checkpoint<Double> {
    do {
        return try Checkpoint<Double>(contentsOf: url)
    } catch CheckpointError.missingArchitecture {
        throw ConversionError.badCheckpoint("\(url.path) has no '\(CheckpointMetadata.architecture)' metadata; for files written elsewhere use polynet convert --weights with --activation")
    }
}
