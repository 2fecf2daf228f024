/// Whether a learnable activation keeps one coefficient set for the whole layer, one per input
/// column, or one per image channel.
///
/// A parameter of `count` scalars per set is stored as a `rows × count` matrix, one row per
/// set, and saved with the PyTorch shape `[count]` (per layer) or `[channels, count]`.
/// `channels=N` in the architecture language means one set per image channel when the input
/// is an image with N channels (after `conv2d`: each set is shared by the H·W positions of its
/// plane, as a per-channel activation in a CNN), else one set per input column.
public enum CoefficientSharing: Sendable, Hashable {
    /// One coefficient set applied to every element (the default).
    case perLayer
    /// One coefficient set for each of `channels` input columns; the input must have exactly
    /// that many columns.
    case perChannel(Int)
    /// One coefficient set for each of `channels` image planes of `planeSize` (H·W) columns
    /// each, in NCHW order; the input must have channels·planeSize columns.
    case perPlane(channels: Int, planeSize: Int)

    /// The number of coefficient sets.
    public var rows: Int {
        switch self {
        case .perLayer: 1
        case let .perChannel(channels), let .perPlane(channels, _): channels
        }
    }

    /// The input width the sharing requires, or nil when any width fits.
    public var inputWidth: Int? {
        switch self {
        case .perLayer: nil
        case let .perChannel(channels): channels
        case let .perPlane(channels, planeSize): channels * planeSize
        }
    }

    /// The PyTorch shape of a parameter with `count` scalars per set.
    func shape(_ count: Int) -> [Int] {
        switch self {
        case .perLayer: [count]
        case let .perChannel(channels), let .perPlane(channels, _): [channels, count]
        }
    }

    /// `,channels=N` for the architecture language, empty when shared.
    var specificationSuffix: String {
        switch self {
        case .perLayer: ""
        case let .perChannel(channels), let .perPlane(channels, _): ",channels=\(channels)"
        }
    }

    /// The stride between the coefficient sets of consecutive input columns: 0 when shared.
    func columnStride(_ count: Int) -> Int {
        self == .perLayer ? 0 : count
    }

    /// How many consecutive input columns share one coefficient set: all of them (per layer,
    /// at least 1), 1 (per column) or a plane's H·W (per image channel).
    func columnsPerSet(columns: Int) -> Int {
        switch self {
        case .perLayer: max(columns, 1)
        case .perChannel: 1
        case let .perPlane(_, planeSize): planeSize
        }
    }

    /// The image shape after the activation: the input's, when the input is an image the
    /// sharing fits (an elementwise map keeps the shape).
    func outputImageShape(for input: ImageShape?) -> ImageShape? {
        guard let input, inputWidth == nil || inputWidth == input.count else { return nil }
        return input
    }

    /// Checks that `columns` input columns fit; `layer` names the layer in the message.
    func checkInput(rows: Int, columns: Int, layer: String) {
        precondition(inputWidth == nil || inputWidth == columns,
                     "\(layer) has \(self.rows) channels but got a \(rows)×\(columns) input")
    }

    /// The sharing an architecture item asks for: `channels=0` (the default) is per layer;
    /// `channels=N` is per image channel when `image` (the input's image shape, if any) has N
    /// channels, else per input column.
    static func from(_ arguments: LayerArguments, image: ImageShape? = nil) throws -> CoefficientSharing {
        let channels = try arguments.integer("channels", default: 0, minimum: 0)
        if channels == 0 { return .perLayer }
        if let image, image.channels == channels { return .perPlane(channels: channels, planeSize: image.planeCount) }
        return .perChannel(channels)
    }
}
