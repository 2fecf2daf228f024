import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock (`flock`) on a folder, held while this object lives.
///
/// The lock file `<folder>/.lock` records the holder's process id, so a second process that
/// finds the folder locked can name it. The kernel releases the lock when the holder exits,
/// however it exits, so a killed run never leaves a folder locked.
///
/// A `flock` belongs to the open file description, which a child process started at that
/// moment shares until it executes its program (and closes close-on-exec descriptors); a lock
/// released by this process can so stay held for a few milliseconds by a child that is still
/// starting. A lock that names this process while no `DirectoryLock` of this process holds the
/// folder is that case, and is retried for up to a second rather than refused.
public final class DirectoryLock {
    /// The name of the lock file inside the folder.
    public static let fileName = ".lock"

    /// The locked folder.
    public let directory: String
    private let descriptor: Int32

    /// Takes the lock on `directory` (which must exist), or throws
    /// ``FileSystemError/locked(path:holder:)`` at once if another holder has it.
    public init(_ directory: String) throws(FileSystemError) {
        self.directory = directory
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        if case let kind = try FileKind(at: path), kind != .missing {
            guard case .regular = kind else { throw .notRegularFile(path: path, kind: kind.phrase) }
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { throw .failed(operation: "lock", path: directory, reason: systemReason()) }
        var attempts = 0
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK else {
                close(descriptor)
                throw .failed(operation: "lock", path: directory, reason: String(cString: strerror(code)))
            }
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(descriptor, &buffer, buffer.count, 0)
            let text = count > 0 ? String(decoding: buffer[0 ..< count], as: UTF8.self) : ""
            let holder = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            // Only a lock naming this process that none of its DirectoryLocks holds is a
            // starting child's inherited description (see the type's discussion): wait for it.
            let inherited = holder == getpid() && !Self.registry.contains(path)
            guard inherited, attempts < 100 else {
                close(descriptor)
                throw .locked(path: directory, holder: holder)
            }
            attempts += 1
            usleep(10_000)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, pid, pid.count, 0)
        self.descriptor = descriptor
        lockPath = path
        Self.registry.insert(path)
    }

    private let lockPath: String

    deinit {
        // Closing the descriptor releases the lock; the file stays (removing it would race
        // with a process that opened it and is about to lock it).
        Self.registry.remove(lockPath)
        close(descriptor)
    }

    /// The lock files this process's live DirectoryLocks hold.
    private static let registry = HeldLocks()
}

/// A set of paths behind a lock.
private final class HeldLocks: @unchecked Sendable {
    private var paths = Set<String>()
    private let lock = NSLock()

    func insert(_ path: String) { lock.withLock { _ = paths.insert(path) } }
    func remove(_ path: String) { lock.withLock { _ = paths.remove(path) } }
    func contains(_ path: String) -> Bool { lock.withLock { paths.contains(path) } }
}
