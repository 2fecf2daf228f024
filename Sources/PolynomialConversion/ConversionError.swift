/// Why a block could not be read or converted.
public enum ConversionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Two weights of the block do not fit together.
    case shapeMismatch(String)
    /// A weight or bias holds NaN or infinity.
    case nonFiniteWeights(String)
    /// The block and the distribution disagree in input dimension.
    case dimensionMismatch(block: Int, distribution: Int)
    /// The degree is outside the supported range.
    case unsupportedDegree(Int, supported: ClosedRange<Int>, reason: String)
    /// The explicit coefficients would hold too many numbers.
    case explicitTooLarge(numbers: Int, limit: Int)
    /// A checkpoint lacks what is needed (architecture metadata, an activation, a tensor).
    case badCheckpoint(String)
    /// One block was asked of a network of `blockCount` blocks (a deeper MLP).
    case severalBlocks(architecture: String, blockCount: Int)
    /// The 1-D Gaussian projection of the activation failed for one hidden unit.
    case projectionFailed(unit: Int, mean: Double, standardDeviation: Double, reason: String)
    /// A key mapping such as `input.weight=fc1.weight` is malformed or names an unknown role.
    case badKeyMapping(String)

    public var description: String {
        switch self {
        case let .shapeMismatch(message): return "mismatched shapes: \(message)"
        case let .nonFiniteWeights(name): return "\(name) contains NaN or infinite values"
        case let .dimensionMismatch(block, distribution):
            return "the block takes inputs of dimension \(block) but the distribution has dimension \(distribution)"
        case let .unsupportedDegree(degree, supported, reason):
            return "degree \(degree) is not supported (\(supported.lowerBound)...\(supported.upperBound)): \(reason)"
        case let .explicitTooLarge(numbers, limit):
            return "the explicit coefficients would hold \(numbers) numbers, above the limit of \(limit); use the factorized form or raise the limit"
        case let .badCheckpoint(message): return "cannot convert this checkpoint: \(message)"
        case let .severalBlocks(architecture, count):
            return "cannot convert this checkpoint: architecture '\(architecture)' has \(count) blocks (a deeper MLP), not one; "
                + "convert the whole network or pick one of its blocks"
        case let .projectionFailed(unit, mean, deviation, reason):
            return "projecting hidden unit \(unit) (pre-activation mean \(mean), standard deviation \(deviation)) failed: \(reason)"
        case let .badKeyMapping(message): return "bad key mapping: \(message)"
        }
    }
}
