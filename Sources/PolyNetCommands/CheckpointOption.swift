import ArgumentParser
import Foundation
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
