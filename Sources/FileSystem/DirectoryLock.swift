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
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(descriptor, &buffer, buffer.count, 0)
            close(descriptor)
            if code == EWOULDBLOCK {
                let text = count > 0 ? String(decoding: buffer[0 ..< count], as: UTF8.self) : ""
                throw .locked(path: directory, holder: Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            }
            throw .failed(operation: "lock", path: directory, reason: String(cString: strerror(code)))
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, pid, pid.count, 0)
        self.descriptor = descriptor
    }

    deinit {
        // Closing the descriptor releases the lock; the file stays (removing it would race
        // with a process that opened it and is about to lock it).
        close(descriptor)
    }
}
