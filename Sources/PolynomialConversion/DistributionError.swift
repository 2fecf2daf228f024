/// Why a Gaussian input distribution could not be built.
public enum DistributionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The mean and covariance disagree in size, or the covariance is not square.
    case shapeMismatch(mean: Int, covarianceRows: Int, covarianceColumns: Int)
    /// The distribution has no dimensions.
    case empty
    /// A mean or covariance entry is NaN or infinite.
    case nonFinite(String)
    /// The covariance differs from its transpose by more than rounding.
    case notSymmetric(row: Int, column: Int, value: Double, transposed: Double)
    /// The covariance has a clearly negative eigenvalue.
    case notPositiveSemidefinite(smallestEigenvalue: Double, largestEigenvalue: Double)
    /// Fewer samples than needed to estimate a mean and covariance.
    case tooFewSamples(Int, needed: Int)
    /// Regularizing a singular data covariance did not make it positive definite.
    case regularizationFailed(largestTried: Double)
    /// A distribution file could not be read or is not of the form `{"mean": [...], "covariance": [[...]]}`.
    case malformedFile(path: String, reason: String)
    /// Mixture weights are negative, non-finite or do not sum to one.
    case badWeights([Double])
    /// A distribution name that is none of `standard`, `data`, `mixture` or a JSON file.
    case unknownDistribution(String)
    /// A distribution fitted to training inputs was asked for without them.
    case needsTrainingInputs(String)
    /// A Gaussian was asked of a distribution that is not one (the class mixture).
    case notGaussian(String)

    public var description: String {
        switch self {
        case let .shapeMismatch(mean, rows, columns):
            return "mean has \(mean) entries but the covariance is \(rows)×\(columns); they must be d and d×d"
        case .empty:
            return "the distribution has dimension 0"
        case let .nonFinite(what):
            return "the \(what) contains NaN or infinite values"
        case let .notSymmetric(row, column, value, transposed):
            return "the covariance is not symmetric: entry (\(row), \(column)) = \(value) but (\(column), \(row)) = \(transposed)"
        case let .notPositiveSemidefinite(smallest, largest):
            return "the covariance is not positive semidefinite: smallest eigenvalue \(smallest) (largest \(largest)); a covariance must have no negative eigenvalues"
        case let .tooFewSamples(count, needed):
            return "\(count) samples are too few to estimate a covariance; need at least \(needed)"
        case let .regularizationFailed(largest):
            return "the data covariance stayed singular after adding \(largest)·mean(diagonal)·I; check the data for NaN or degenerate columns"
        case let .malformedFile(path, reason):
            return "\(path): \(reason); expected {\"mean\": [...], \"covariance\": [[...], ...]}"
        case let .badWeights(weights):
            return "mixture weights \(weights) must be non-negative and sum to 1"
        case let .unknownDistribution(name):
            return "unknown distribution '\(name)'; use standard, data, mixture or a .json file"
        case let .needsTrainingInputs(name):
            return "the \(name) distribution is fitted to training data, and none was given"
        case let .notGaussian(name):
            return "the \(name) distribution is not one Gaussian"
        }
    }
}
