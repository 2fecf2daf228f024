import Crypto
import FileSystem
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
    /// The data set has no download source (it ships with PolyNet).
    case notDownloadable(dataset: String)

    public var description: String {
        switch self {
        case let .unreachable(url, reason):
            return "cannot download \(url) (\(reason)); check the network, or fetch from a mirror (a URL or directory holding the files)"
        case let .checksumMismatch(file, expected, actual):
            return "\(file): SHA-256 is \(actual), expected \(expected); the download is corrupt or not the published file, and was discarded"
        case let .cannotWrite(path, reason):
            return "cannot write \(path) (\(reason))"
        case let .notDownloadable(dataset):
            return "\(dataset) ships with PolyNet and is not downloaded"
        }
    }
}

/// Downloads a data set's files, verifying each one's SHA-256.
public enum DatasetFetcher {
    /// The name of the checksum list written beside fetched files (`sha256sum -c` reads it).
    public static let checksumFileName = "SHA256SUMS"
    /// Seconds a download may stall before it is abandoned.
    public static let timeout: TimeInterval = 30

    /// The lowercase hex SHA-256 of `data`.
    public static func sha256(of data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Fetches every file of `dataset` into `directory/<dataset.name>/`, from `mirror`
    /// (an http(s) or file URL) or the data set's own source. Files already present with the
    /// right checksum are kept; `log` receives one line per file. The checksums are also
    /// written to `SHA256SUMS` beside the files.
    /// - Returns: the directory holding the verified files.
    @discardableResult
    public static func fetch(_ dataset: Dataset, into directory: URL, mirror: URL? = nil,
                             log: (String) -> Void = { _ in }) throws -> URL {
        guard let base = mirror ?? dataset.source else { throw FetchError.notDownloadable(dataset: dataset.name) }
        let destination = directory.appendingPathComponent(dataset.name)
        for file in dataset.files {
            let target = destination.appendingPathComponent(file.name)
            if let existing = try? RegularFile.read(target.path), sha256(of: existing) == file.sha256 {
                log("\(file.name): already present, SHA-256 verified")
                continue
            }
            let source = base.appendingPathComponent(file.name)
            log("\(file.name): fetching \(source.absoluteString)")
            let data = try download(source)
            let digest = sha256(of: data)
            guard digest == file.sha256 else {
                throw FetchError.checksumMismatch(file: file.name, expected: file.sha256, actual: digest)
            }
            do {
                // The folder is made only once there is a verified file to put in it.
                try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
                try RegularFile.write(data, to: target.path)
            } catch {
                throw FetchError.cannotWrite(path: target.path, reason: Self.reason(error))
            }
            log("\(file.name): \(data.count) bytes, SHA-256 verified")
        }
        do {
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        } catch {
            throw FetchError.cannotWrite(path: destination.path, reason: Self.reason(error))
        }
        let sums = dataset.files.map { "\($0.sha256)  \($0.name)\n" }.joined()
        do {
            try RegularFile.write(sums, to: destination.appendingPathComponent(checksumFileName).path)
        } catch {
            throw FetchError.cannotWrite(path: destination.appendingPathComponent(checksumFileName).path, reason: Self.reason(error))
        }
        return destination
    }

    /// The bytes at `url`: a local file (which must be a regular file) or an http(s) download
    /// that gives up after ``timeout`` seconds without progress.
    static func download(_ url: URL) throws -> Data {
        if url.isFileURL {
            do {
                return try RegularFile.read(url.path, maximumBytes: IDXArray.maximumFileBytes)
            } catch {
                throw FetchError.unreachable(url: url.absoluteString, reason: Self.reason(error))
            }
        }
        let finished = DispatchSemaphore(value: 0)
        let outcome = DownloadOutcome()
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                outcome.set(.failure(FetchError.unreachable(url: url.absoluteString, reason: Self.reason(error))))
            } else if let http = response as? HTTPURLResponse, !(200 ..< 300).contains(http.statusCode) {
                outcome.set(.failure(FetchError.unreachable(url: url.absoluteString, reason: "HTTP status \(http.statusCode)")))
            } else {
                outcome.set(.success(data ?? Data()))
            }
            finished.signal()
        }
        task.resume()
        finished.wait()
        return try outcome.get()
    }

    /// One line for an error: its own description for PolyNet's errors, the system's text
    /// (without domain and code) for Foundation's.
    static func reason(_ error: Error) -> String {
        if error is FileSystemError { return "\(error)" }
        if let urlError = error as? URLError {
            switch urlError.code {
            case .notConnectedToInternet, .cannotFindHost, .cannotConnectToHost, .dnsLookupFailed:
                return "no connection to the host"
            case .timedOut:
                return "timed out after \(Int(timeout)) s"
            default:
                break
            }
        }
        return (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}

/// The result of a download, handed from URLSession's queue to the waiting caller.
private final class DownloadOutcome: @unchecked Sendable {
    private var result: Result<Data, FetchError> = .failure(.unreachable(url: "", reason: "no answer"))
    private let lock = NSLock()

    func set(_ value: Result<Data, FetchError>) { lock.withLock { result = value } }
    func get() throws -> Data { try lock.withLock { try result.get() } }
}
