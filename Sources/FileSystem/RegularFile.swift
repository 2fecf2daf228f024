import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing whole regular files safely.
///
/// Writes are atomic: the bytes go to a temporary file beside the target (named
/// `.<name>.polynet-tmp.<pid>.<n>`), are flushed with `fsync`, and the temporary file is then
/// renamed over the target, so a reader sees the old file or the new one, never a mixture.
/// A target that exists and is not a regular file (a directory, `/dev/full`, a FIFO) is refused
/// rather than replaced, and a symbolic link is written *through*: the file it points to is
/// replaced and the link stays.
///
/// Reads check that the path names a regular file before opening it, so a FIFO or a device
/// yields a clear error instead of a hang or an endless read, and accept at most a stated
/// number of bytes.
public enum RegularFile {
    /// The marker in the names of temporary files that ``write(_:to:)-(Data,String)`` creates.
    public static let temporaryMarker = ".polynet-tmp."

    /// Writes `data` to `path` atomically (see the type's discussion).
    /// - Returns: the path actually written (the final target of a symbolic link).
    @discardableResult
    public static func write(_ data: Data, to path: String) throws(FileSystemError) -> String {
        let (target, directory) = try destination(of: path)
        return try replace(target, in: directory, with: data, reportedAs: path)
    }

    /// Checks, before any work is done, that ``write(_:to:)-(Data,String)`` could write `path`: it is not
    /// empty, whatever stands there is a regular file (or nothing), and its folder exists.
    public static func checkWritable(_ path: String) throws(FileSystemError) {
        _ = try destination(of: path)
    }

    /// The file a write to `path` replaces (symbolic links followed) and its folder.
    private static func destination(of path: String) throws(FileSystemError) -> (target: String, directory: String) {
        guard !path.isEmpty else { throw .emptyPath }
        let target = try resolvingLinks(path)
        switch try FileKind(at: target) {
        case .missing, .regular: break
        case let kind: throw .notRegularFile(path: path, kind: kind.phrase)
        }
        let folder = PathText.parent(of: target)
        let directory = folder.isEmpty ? "." : folder
        var info = stat()
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw .missingDirectory(path: path)
        }
        return (target, directory)
    }

    /// Writes `data` to `url` atomically; see ``write(_:to:)-(Data,String)``.
    @discardableResult
    public static func write(_ data: Data, to url: URL) throws(FileSystemError) -> String {
        try write(data, to: url.path)
    }

    /// Writes `text` as UTF-8 to `path` atomically.
    @discardableResult
    public static func write(_ text: String, to path: String) throws(FileSystemError) -> String {
        try write(Data(text.utf8), to: path)
    }

    /// Reads the whole regular file at `path` (following symbolic links), refusing anything
    /// else and files over `maximumBytes`.
    public static func read(_ path: String, maximumBytes: Int = Int.max) throws(FileSystemError) -> Data {
        guard !path.isEmpty else { throw .emptyPath }
        let target = try resolvingLinks(path)
        let size: Int
        switch try FileKind(at: target) {
        case .missing: throw .notFound(path: path)
        case let .regular(bytes): size = bytes
        case let kind: throw .notRegularFile(path: path, kind: kind.phrase)
        }
        guard size <= maximumBytes else { throw .tooLarge(path: path, bytes: size, limit: maximumBytes) }
        let descriptor = open(target, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .failed(operation: "read", path: path, reason: systemReason()) }
        defer { close(descriptor) }
        var data = Data(count: size)
        var done = 0
        let failed: Bool = data.withUnsafeMutableBytes { buffer in
            while done < size {
                let count = Glibc.read(descriptor, buffer.baseAddress! + done, size - done)
                if count < 0 { if errno == EINTR { continue }; return true }
                if count == 0 { break }
                done += count
            }
            return false
        }
        if failed { throw .failed(operation: "read", path: path, reason: systemReason()) }
        // A file that shrank while being read is returned as it was read.
        return done == size ? data : data.prefix(done)
    }

    /// Removes temporary files that an interrupted ``write(_:to:)-(Data,String)`` left in `directory`
    /// (those whose writing process no longer runs), and Foundation's `.dat.nosync` leftovers.
    /// - Returns: the names removed.
    @discardableResult
    public static func removeStaleTemporaries(in directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed = [String]()
        for name in names {
            let stale: Bool
            if let range = name.range(of: temporaryMarker) {
                let rest = name[range.upperBound...]
                let pid = rest.split(separator: ".").first.flatMap { Int32($0) }
                stale = pid.map { $0 != getpid() && kill($0, 0) != 0 && errno == ESRCH } ?? false
            } else {
                stale = name.hasPrefix(".dat.nosync")
            }
            let path = (directory as NSString).appendingPathComponent(name)
            if stale, case .regular = (try? FileKind(at: path)) ?? .missing, unlink(path) == 0 {
                removed.append(name)
            }
        }
        return removed
    }

    /// Follows symbolic links at `path` to the path they end at (which need not exist).
    static func resolvingLinks(_ path: String) throws(FileSystemError) -> String {
        var current = path
        for _ in 0 ..< 40 {
            guard case .symbolicLink = try FileKind(at: current) else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count >= 0 else { throw .failed(operation: "read the link", path: current, reason: systemReason()) }
            let destination = String(decoding: buffer[0 ..< count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if destination.hasPrefix("/") {
                current = destination
            } else {
                current = (PathText.parent(of: current) as NSString).appendingPathComponent(destination)
            }
        }
        throw .symlinkLoop(path: path)
    }

    nonisolated(unsafe) private static var counter = 0
    private static let counterLock = NSLock()

    private static func replace(_ target: String, in directory: String, with data: Data,
                                reportedAs path: String) throws(FileSystemError) -> String {
        let serial = counterLock.withLock { counter += 1; return counter }
        let name = (target as NSString).lastPathComponent
        let temporary = (directory as NSString).appendingPathComponent(".\(name)\(temporaryMarker)\(getpid()).\(serial)")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .failed(operation: "write", path: path, reason: systemReason()) }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + done, buffer.count - done)
                if count < 0 { if errno == EINTR { continue }; failure = systemReason(); return }
                done += count
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = systemReason() }
        if close(descriptor) != 0, failure == nil { failure = systemReason() }
        if failure == nil, rename(temporary, target) != 0 { failure = systemReason() }
        if let failure {
            unlink(temporary)
            throw .failed(operation: "write", path: path, reason: failure)
        }
        return target
    }
}
