import Crypto
import FileSystem
import Foundation

extension Dataset {
    /// Checks that the files in `directory` are this data set's, by SHA-256: each file must
    /// match its published checksum, or (for a copy compressed again or stored uncompressed)
    /// the checksum of its decompressed content.
    ///
    /// A file that belongs to another known data set is named as such, so MNIST files passed
    /// as Fashion-MNIST are refused rather than trained on under the wrong name. Results are
    /// remembered per file (path, size, modification time) for the life of the process.
    public func verifyFiles(in directory: URL) throws {
        for file in files {
            let compressed = directory.appendingPathComponent(file.name).path
            let plain = String(compressed.dropLast(3))
            let path = FileManager.default.fileExists(atPath: compressed) || !FileManager.default.fileExists(atPath: plain)
                ? compressed : plain
            let digest = try Self.digest(of: path, content: false)
            if digest == file.sha256 { continue }
            let content = try Self.digest(of: path, content: true)
            if content == file.contentSHA256 { continue }
            if let owner = Self.known.first(where: { other in
                other.files.contains { $0.sha256 == digest || $0.contentSHA256 == content }
            }) {
                throw DatasetError.belongsToAnotherDataset(path: path, expected: name, found: owner.name)
            }
            throw DatasetError.unverified(path: path, dataset: name, sha256: digest)
        }
    }

    /// The SHA-256 of the file at `path`, or of its decompressed content when `content` is
    /// true (the same for a file that is not gzip-compressed).
    private static func digest(of path: String, content: Bool) throws -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let key = "\(content)|\(path)|\(attributes?[.size] ?? 0)|\(modified)"
        if let cached = digestCache.withLock({ $0[key] }) { return cached }
        let data: Data
        data = try RegularFile.read(path, maximumBytes: IDXArray.maximumFileBytes)
        var bytes = data
        if content, Gzip.isCompressed([UInt8](data.prefix(2))) {
            bytes = Data(try Gzip.decompress([UInt8](data), path: path, limit: IDXArray.promisedSize))
        }
        let digest = DatasetFetcher.sha256(of: bytes)
        digestCache.withLock { $0[key] = digest }
        return digest
    }

    private static let digestCache = LockedDictionary()
}

/// A dictionary behind a lock, for the process-wide checksum cache.
private final class LockedDictionary: @unchecked Sendable {
    private var storage = [String: String]()
    private let lock = NSLock()

    func withLock<R>(_ body: (inout [String: String]) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&storage)
    }
}
