#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What stands at a path, as `lstat` sees it (a symbolic link is not followed).
public enum FileKind: Equatable, Sendable {
    /// Nothing exists at the path.
    case missing
    /// A regular file of this many bytes.
    case regular(bytes: Int)
    /// A directory.
    case directory
    /// A symbolic link (not followed).
    case symbolicLink
    /// Something else (a FIFO, a socket, a device), described.
    case other(String)

    /// Inspects `path` without following a final symbolic link.
    public init(at path: String) throws(FileSystemError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { self = .missing; return }
            throw .failed(operation: "inspect", path: path, reason: String(cString: strerror(code)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: self = .regular(bytes: Int(info.st_size))
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symbolicLink
        case S_IFCHR: self = .other("a character device")
        case S_IFBLK: self = .other("a block device")
        case S_IFIFO: self = .other("a FIFO")
        case S_IFSOCK: self = .other("a socket")
        default: self = .other("a special file")
        }
    }

    /// A phrase for messages: "a directory", "a FIFO", ….
    public var phrase: String {
        switch self {
        case .missing: return "missing"
        case .regular: return "a regular file"
        case .directory: return "a directory"
        case .symbolicLink: return "a symbolic link"
        case let .other(phrase): return phrase
        }
    }
}

/// The `strerror` text of the current `errno`.
func systemReason() -> String { String(cString: strerror(errno)) }
