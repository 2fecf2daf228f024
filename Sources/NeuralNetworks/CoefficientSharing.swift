/// Whether a learnable activation keeps one coefficient set for the whole layer or one per
/// input column (channel).
///
/// A parameter of `count` scalars per set is stored as a `rows × count` matrix, one row per
/// set, and saved with the PyTorch shape `[count]` (per layer) or `[channels, count]`.
public enum CoefficientSharing: Sendable, Hashable {
    /// One coefficient set applied to every element (the default).
    case perLayer
    /// One coefficient set for each of `channels` input columns; the input must have exactly
    /// that many columns.
    case perChannel(Int)

    /// The number of coefficient sets.
    public var rows: Int {
        switch self {
        case .perLayer: 1
        case let .perChannel(channels): channels
        }
    }

    /// The input width the sharing requires, or nil when any width fits.
    public var inputWidth: Int? {
        switch self {
        case .perLayer: nil
        case let .perChannel(channels): channels
        }
    }

    /// The PyTorch shape of a parameter with `count` scalars per set.
    func shape(_ count: Int) -> [Int] {
        switch self {
        case .perLayer: [count]
        case let .perChannel(channels): [channels, count]
        }
    }

    /// `,channels=N` for the architecture language, empty when shared.
    var specificationSuffix: String {
        switch self {
        case .perLayer: ""
        case let .perChannel(channels): ",channels=\(channels)"
        }
    }

    /// The stride between the coefficient sets of consecutive input columns: 0 when shared.
    func columnStride(_ count: Int) -> Int {
        self == .perLayer ? 0 : count
    }

    /// Checks that `columns` input columns fit; `layer` names the layer in the message.
    func checkInput(rows: Int, columns: Int, layer: String) {
        precondition(inputWidth == nil || inputWidth == columns,
                     "\(layer) has \(self.rows) channels but got a \(rows)×\(columns) input")
    }

    /// The sharing an architecture item asks for: `channels=0` (the default) is per layer.
    static func from(_ arguments: LayerArguments) throws -> CoefficientSharing {
        let channels = try arguments.integer("channels", default: 0, minimum: 0)
        return channels == 0 ? .perLayer : .perChannel(channels)
    }
}
