/// Why a file could not be read, written or locked. Each case prints as one line naming the
/// path and the cause.
public enum FileSystemError: Error, Equatable, CustomStringConvertible, Sendable {
    /// An empty string was given where a path was expected.
    case emptyPath
    /// Something other than a regular file stands at `path` (a directory, a device, a FIFO, …).
    case notRegularFile(path: String, kind: String)
    /// Something other than a folder stands where a folder is needed.
    case notDirectory(path: String, kind: String)
    /// The folder that should hold `path` does not exist or is not a folder.
    case missingDirectory(path: String)
    /// Nothing exists at `path`.
    case notFound(path: String)
    /// The operating system refused the operation; `reason` is its `strerror` text.
    case failed(operation: String, path: String, reason: String)
    /// The file is larger than the reader accepts.
    case tooLarge(path: String, bytes: Int, limit: Int)
    /// Another process holds the lock on `path`.
    case locked(path: String, holder: Int32?)
    /// A chain of symbolic links at `path` does not end (a loop, or more than 40 links).
    case symlinkLoop(path: String)

    public var description: String {
        switch self {
        case .emptyPath:
            return "an empty path was given"
        case let .notRegularFile(path, kind):
            return "\(path) is \(kind), not a regular file"
        case let .notDirectory(path, kind):
            return "\(path) is \(kind), not a folder"
        case let .missingDirectory(path):
            return "cannot write \(path): its folder does not exist"
        case let .notFound(path):
            return "\(path) does not exist"
        case let .failed(operation, path, reason):
            return "cannot \(operation) \(path): \(reason)"
        case let .tooLarge(path, bytes, limit):
            return "\(path) has \(bytes) bytes, more than the \(limit) accepted"
        case let .locked(path, holder):
            let who = holder.map { "process \($0)" } ?? "another process"
            return "\(path) is in use by \(who) (lock held); wait for it to finish or use another directory"
        case let .symlinkLoop(path):
            return "\(path): too many levels of symbolic links"
        }
    }
}
