import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Folders PolyNet writes into.
public enum Directory {
    /// Makes the folder `path` and any missing parents, or accepts one that exists (a symbolic
    /// link to a folder counts). Something else standing at `path` or at a parent (a file, a
    /// device) is an error naming it, never replaced.
    public static func create(_ path: String) throws(FileSystemError) {
        guard !path.isEmpty else { throw .emptyPath }
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw .notDirectory(path: path, kind: (try? FileKind(at: path))?.phrase ?? "a special file")
            }
            return
        }
        let parent = PathText.parent(of: path)
        if !parent.isEmpty, parent != path { try create(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw .failed(operation: "create the folder", path: path, reason: systemReason())
        }
    }

    /// Checks, without creating anything, that ``create(_:)`` could make `path`: it is a folder
    /// already, or nothing stands there and its nearest existing ancestor is a folder.
    public static func checkCreatable(_ path: String) throws(FileSystemError) {
        guard !path.isEmpty else { throw .emptyPath }
        var current = path
        while true {
            var info = stat()
            if stat(current, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw .notDirectory(path: current, kind: (try? FileKind(at: current))?.phrase ?? "a special file")
                }
                return
            }
            let parent = PathText.parent(of: current)
            if parent.isEmpty || parent == current { return }
            current = parent
        }
    }

    /// Checks that `path` is an existing folder (following symbolic links).
    public static func checkExists(_ path: String) throws(FileSystemError) {
        guard !path.isEmpty else { throw .emptyPath }
        var info = stat()
        guard stat(path, &info) == 0 else { throw .notFound(path: path) }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw .notDirectory(path: path, kind: (try? FileKind(at: path))?.phrase ?? "a special file")
        }
    }
}
