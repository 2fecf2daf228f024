/// A model that cannot be built or run as asked: too large, fed the wrong width, or producing
/// non-finite values. Each case prints as one line.
public enum ModelError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The architecture asks for `count` parameters (nil: more than `Int.max`), over `limit`.
    case tooManyParameters(architecture: String, count: Int?, limit: Int)
    /// A batch of `rows` × `columns` activations is over `limit` elements (nil count: beyond `Int.max`).
    case activationsTooLarge(rows: Int, columns: Int, limit: Int)
    /// Layer `layer` needs `expected` input columns but the layers before it give `found`.
    case inputWidth(layer: Int, specification: String, expected: Int, found: Int)
    /// Layer `layer` was the first to output NaN or an infinity.
    case nonFiniteOutput(layer: Int, specification: String)

    public var description: String {
        switch self {
        case .tooManyParameters:
            return problem + "; raise the parameter limit if the machine has the memory"
        case .activationsTooLarge:
            return problem + "; use a smaller batch or narrower layers"
        case .inputWidth, .nonFiniteOutput:
            return problem
        }
    }

    /// What went wrong, without a remedy (the description adds one where there is one).
    public var problem: String {
        switch self {
        case let .tooManyParameters(architecture, count, limit):
            let amount = count.map { "\($0) parameters (\(Self.bytes($0)) in Float)" } ?? "more parameters than an Int counts (over \(Int.max))"
            return "'\(architecture)' needs \(amount), over the limit of \(limit)"
        case let .activationsTooLarge(rows, columns, limit):
            let (elements, overflow) = rows.multipliedReportingOverflow(by: columns)
            return "a batch of \(rows) rows × \(columns) columns is \(overflow ? "over \(Int.max)" : String(elements)) "
                + "activations, over the limit of \(limit) per layer (\(Self.bytes(limit)) in Float)"
        case let .inputWidth(layer, specification, expected, found):
            return "layer \(layer) '\(specification)' takes \(expected) inputs but is given \(found)"
        case let .nonFiniteOutput(layer, specification):
            return "layer \(layer) '\(specification)' produced NaN or infinite values (its weights are too large "
                + "or not finite for this input)"
        }
    }

    /// `count` Floats in GB or MB.
    private static func bytes(_ count: Int) -> String {
        let bytes = Double(count) * 4
        let (scale, unit) = bytes >= 1e9 ? (1e9, "GB") : (1e6, "MB")
        return "\((bytes / scale * 10).rounded() / 10) \(unit)"
    }
}
