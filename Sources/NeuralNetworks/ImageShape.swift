/// The shape of one image stored as a row: `channels` planes of `height` × `width` values in
/// NCHW order, so element (c, y, x) of a row is at column `(c·height + y)·width + x` (the
/// layout of a PyTorch tensor `[batch, channels, height, width]` viewed as `[batch, −1]`).
///
/// Convolution and pooling layers know their input and output image shapes; the architecture
/// builder passes the image shape from layer to layer (see ``Layer/outputImageShape(for:)``).
///
/// ```swift
/// let mnist = ImageShape(channels: 1, height: 28, width: 28)   // 784 columns
/// ```
public struct ImageShape: Sendable, Hashable, CustomStringConvertible {
    /// The number of planes C.
    public var channels: Int
    /// The rows of each plane H.
    public var height: Int
    /// The columns of each plane W.
    public var width: Int

    /// The shape C × H × W (not checked: ``ConvolutionGeometry`` and ``AvgPool2D`` validate the
    /// shapes they are given).
    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// H·W, the values in one plane.
    public var planeCount: Int { height * width }

    /// C·H·W, the columns of a row.
    public var count: Int { channels * height * width }

    /// C·H·W, or nil when it exceeds `Int.max`.
    public var checkedCount: Int? { checkedProduct([channels, height, width]) }

    public var description: String { "\(channels)×\(height)×\(width)" }
}

/// The product of `factors`, or nil when it exceeds `Int.max`.
func checkedProduct(_ factors: [Int]) -> Int? {
    var product = 1
    for factor in factors {
        let (next, overflow) = product.multipliedReportingOverflow(by: factor)
        if overflow { return nil }
        product = next
    }
    return product
}
