/// Why a data set could not be found or does not hold together.
public enum DatasetError: Error, Equatable, CustomStringConvertible, Sendable {
    /// None of the places searched holds the data set's files.
    case notFound(dataset: String, searched: [String])
    /// An IDX file has the wrong element type or number of dimensions for its role.
    case unexpectedLayout(path: String, expected: String, found: String)
    /// The image and label files disagree on the number of examples.
    case countMismatch(images: Int, labels: Int)
    /// A label lies outside 0..<classCount.
    case labelOutOfRange(label: Int, index: Int, classCount: Int)
    /// No data set has this name.
    case unknown(name: String, known: [String])
    /// A file holds another known data set's data.
    case belongsToAnotherDataset(path: String, expected: String, found: String)
    /// A file's checksum matches no published file of the data set.
    case unverified(path: String, dataset: String, sha256: String)
    /// A generated toy data set was asked for with an impossible size or noise.
    case invalidToyData(String)

    public var description: String {
        switch self {
        case let .notFound(dataset, searched):
            return "\(dataset) not found; looked in: \(searched.joined(separator: ", ")). Give the data directory or set POLYNET_DATA"
        case let .unexpectedLayout(path, expected, found):
            return "\(path): expected \(expected), found \(found)"
        case let .countMismatch(images, labels):
            return "\(images) images but \(labels) labels; the image and label files do not belong together"
        case let .labelOutOfRange(label, index, classCount):
            return "label \(label) at index \(index) is outside 0..<\(classCount)"
        case let .unknown(name, known):
            return "unknown data set '\(name)'; known: \(known.joined(separator: ", "))"
        case let .belongsToAnotherDataset(path, expected, found):
            return "\(path) is a file of \(found), not of \(expected); point the data directory at the \(expected) files"
        case let .unverified(path, dataset, sha256):
            return "\(path) is not a published \(dataset) file (SHA-256 \(sha256) matches none); fetch the data set again"
        case let .invalidToyData(reason):
            return reason

        }
    }
}
