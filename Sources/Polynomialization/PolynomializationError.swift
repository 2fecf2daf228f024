/// Why a network could not be made polynomial. Each case prints as one line.
public enum PolynomializationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A layer that has no add/multiply-only replacement yet.
    case unsupportedLayer(index: Int, specification: String, reason: String)
    /// The data's width does not fit the network's input.
    case inputWidthMismatch(network: Int, data: Int)
    /// No data to profile or evaluate on.
    case noData
    /// A nonlinearity's inputs are not finite (the network overflowed on this data).
    case nonFiniteInputs(layer: Int)
    /// No degree up to `limit` reaches the error bound on the layer's interval.
    case unreachableError(layer: Int, bound: Double, limit: Int, best: Double)
    /// A setting is out of its domain.
    case invalidSetting(String)

    public var description: String {
        switch self {
        case let .unsupportedLayer(index, specification, reason):
            return "layer \(index) (\(specification)) cannot be made polynomial: \(reason)"
        case let .inputWidthMismatch(network, data):
            return "the network takes \(network) inputs but the data has \(data) columns"
        case .noData:
            return "no examples to profile or evaluate on"
        case let .nonFiniteInputs(layer):
            return "the inputs of layer \(layer) are not finite on this data (the network overflows)"
        case let .unreachableError(layer, bound, limit, best):
            return "layer \(layer): no degree ≤ \(limit) reaches max error \(bound) on its interval (degree \(limit) gives \(best))"
        case let .invalidSetting(text):
            return text
        }
    }
}
