import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Why fetching a data set failed. Nothing already in place is lost: files are written to a
/// temporary name and moved in only after their checksum matches.
public enum FetchError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file could not be downloaded.
    case unreachable(url: String, reason: String)
    /// The downloaded bytes do not have the published SHA-256.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// The destination could not be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreachable(url, reason):
            return "cannot download \(url) (\(reason)); check the network, or pass --mirror with a URL or directory holding the files"
        case let .checksumMismatch(file, expected, actual):
            return "\(file): SHA-256 is \(actual), expected \(expected); the download is corrupt or not the published file, and was discarded"
        case let .cannotWrite(path, reason):
            return "cannot write \(path) (\(reason))"
        }
    }
}

/// Downloads a data set's files, verifying each one's SHA-256.
public enum DatasetFetcher {
    /// The lowercase hex SHA-256 of `data`.
    public static func sha256(of data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Fetches every file of `manifest` into `directory/<manifest.name>/`, from `mirror`
    /// (an http(s) or file URL) or the manifest's own URL. Files already present with the
    /// right checksum are kept; `log` receives one line per file.
    /// - Returns: the directory holding the verified files.
    @discardableResult
    public static func fetch(_ manifest: DatasetManifest, into directory: URL, mirror: URL? = nil,
                             log: (String) -> Void = { _ in }) throws -> URL {
        let destination = directory.appendingPathComponent(manifest.name)
        do {
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        } catch {
            throw FetchError.cannotWrite(path: destination.path, reason: (error as NSError).localizedDescription)
        }
        let base = mirror ?? manifest.baseURL
        for file in manifest.files {
            let target = destination.appendingPathComponent(file.name)
            if let existing = try? Data(contentsOf: target), sha256(of: existing) == file.sha256 {
                log("\(file.name): already present, SHA-256 verified")
                continue
            }
            let source = base.appendingPathComponent(file.name)
            log("\(file.name): fetching \(source.absoluteString)")
            let data: Data
            do {
                data = try Data(contentsOf: source)
            } catch {
                throw FetchError.unreachable(url: source.absoluteString, reason: (error as NSError).localizedDescription)
            }
            let digest = sha256(of: data)
            guard digest == file.sha256 else {
                throw FetchError.checksumMismatch(file: file.name, expected: file.sha256, actual: digest)
            }
            do {
                try data.write(to: target, options: .atomic)
            } catch {
                throw FetchError.cannotWrite(path: target.path, reason: (error as NSError).localizedDescription)
            }
            log("\(file.name): \(data.count) bytes, SHA-256 verified")
        }
        return destination
    }
}
