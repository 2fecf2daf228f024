/// Why parameters could not be loaded into a layer.
public enum LayerError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The source has no tensor of this name.
    case missingParameter(String, available: [String])
    /// The tensor's shape differs from the layer's.
    case parameterShape(name: String, expected: [Int], found: [Int])
    /// The tensor's values break a constraint of the layer (e.g. an interval that decreases).
    case invalidParameter(name: String, reason: String)

    public var description: String {
        switch self {
        case let .missingParameter(name, available):
            let shown = available.prefix(12).joined(separator: ", ") + (available.count > 12 ? ", …" : "")
            return "no parameter '\(name)' to load; available: \(shown.isEmpty ? "none" : shown)"
        case let .parameterShape(name, expected, found):
            return "parameter '\(name)' has shape \(found), the architecture needs \(expected)"
        case let .invalidParameter(name, reason):
            return "parameter '\(name)' \(reason)"
        }
    }
}
