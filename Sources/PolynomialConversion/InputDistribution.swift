import Foundation
import LinearAlgebra

/// The input distribution a block is converted under, as a user names it: `standard`, `data`,
/// `mixture` or the path of a JSON file.
///
/// ```swift
/// let choice = try InputDistribution(parsing: "data")
/// let gaussian = try choice.gaussian(dimension: 784, trainingInputs: images)
/// ```
public enum InputDistribution: Sendable, Equatable, CustomStringConvertible {
    /// N(0, I).
    case standard
    /// N(mean, covariance) of the training inputs (regularized where singular).
    case data
    /// One Gaussian per class of the training inputs (a `GaussianMixture`; linear fits only).
    case mixture
    /// A JSON file `{"mean": [...], "covariance": [[...]]}` (see `GaussianDistribution.init(contentsOf:)`).
    case file(path: String)

    /// `standard`, `data`, `mixture`, or a path that ends in `.json` or names an existing file.
    ///
    /// - Throws: `DistributionError.unknownDistribution` for anything else.
    public init(parsing text: String) throws(DistributionError) {
        switch text {
        case "standard": self = .standard
        case "data": self = .data
        case "mixture": self = .mixture
        default:
            guard text.hasSuffix(".json") || FileManager.default.fileExists(atPath: text) else {
                throw .unknownDistribution(text)
            }
            self = .file(path: text)
        }
    }

    /// The name it was parsed from.
    public var description: String {
        switch self {
        case .standard: return "standard"
        case .data: return "data"
        case .mixture: return "mixture"
        case let .file(path): return path
        }
    }

    /// Whether building it needs the training inputs.
    public var needsTrainingInputs: Bool { self == .data || self == .mixture }

    /// The Gaussian for `dimension` inputs: N(0, I), fitted to `trainingInputs` (one sample per
    /// row), or read from the file.
    ///
    /// - Throws: `DistributionError.needsTrainingInputs` for `data` without training inputs,
    ///   `DistributionError.notGaussian` for `mixture`, and the errors of fitting or reading.
    public func gaussian(dimension: Int, trainingInputs: Matrix<Float>?) throws -> GaussianDistribution {
        switch self {
        case .standard: return .standard(dimension)
        case .data:
            guard let trainingInputs else { throw DistributionError.needsTrainingInputs(description) }
            return try GaussianDistribution(fitting: trainingInputs)
        case .mixture: throw DistributionError.notGaussian(description)
        case let .file(path): return try GaussianDistribution(contentsOf: URL(fileURLWithPath: path))
        }
    }
}
