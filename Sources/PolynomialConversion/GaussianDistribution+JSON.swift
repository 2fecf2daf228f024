import FileSystem
import Foundation
import LinearAlgebra

extension GaussianDistribution {
    private struct FileContents: Codable {
        var mean: [Double]
        var covariance: [[Double]]
    }

    /// Reads `{"mean": [...], "covariance": [[...], ...]}` and validates it like
    /// `init(mean:covariance:)`.
    /// - Throws: `DistributionError.malformedFile` for unreadable or mis-shaped JSON, and the
    ///   validation errors of `init(mean:covariance:)`.
    public init(contentsOf url: URL) throws {
        let bytes: Data
        do {
            bytes = try RegularFile.read(url.path, maximumBytes: Self.maximumFileBytes)
        } catch {
            throw DistributionError.malformedFile(path: url.path, reason: Self.reason(error))
        }
        try self.init(json: bytes, path: url.path)
    }

    /// The largest distribution file read: 2 GiB, room for a 16,000-dimensional covariance in
    /// JSON text.
    public static let maximumFileBytes = 1 << 31

    /// The cause of a read failure without the path (which the error names already).
    private static func reason(_ error: FileSystemError) -> String {
        switch error {
        case let .notRegularFile(_, kind): return "it is \(kind), not a regular file"
        case .notFound: return "no such file"
        case let .tooLarge(_, bytes, limit): return "\(bytes) bytes, more than the \(limit) accepted"
        default: return "\(error)"
        }
    }

    /// Parses the JSON form; `path` names the source in errors.
    public init(json bytes: Data, path: String = "distribution") throws {
        let contents: FileContents
        do {
            contents = try JSONDecoder().decode(FileContents.self, from: bytes)
        } catch let DecodingError.keyNotFound(key, _) {
            throw DistributionError.malformedFile(path: path, reason: "missing key '\(key.stringValue)'")
        } catch {
            throw DistributionError.malformedFile(path: path, reason: "not valid JSON of numbers")
        }
        let dimension = contents.mean.count
        if let bad = contents.covariance.firstIndex(where: { $0.count != dimension }) {
            throw DistributionError.malformedFile(
                path: path, reason: "covariance row \(bad) has \(contents.covariance[bad].count) entries, the mean has \(dimension)")
        }
        guard contents.covariance.count == dimension else {
            throw DistributionError.shapeMismatch(mean: dimension, covarianceRows: contents.covariance.count,
                                                  covarianceColumns: dimension)
        }
        try self.init(mean: contents.mean, covariance: Matrix(rows: dimension, columns: dimension,
                                                              elements: contents.covariance.joined()))
    }

    /// The JSON form `{"mean": [...], "covariance": [[...]]}` that `init(contentsOf:)` reads.
    public func jsonData() throws -> Data {
        let rows = (0 ..< dimension).map { covariance.row($0) }
        return try JSONEncoder().encode(FileContents(mean: mean, covariance: rows))
    }
}
