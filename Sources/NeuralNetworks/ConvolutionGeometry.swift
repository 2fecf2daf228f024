import LinearAlgebra

/// Where the k × k windows of a strided, zero-padded 2-D convolution fall, and the two
/// patch copies built on it: im2col (gather every window into a row) and col2im (scatter-add
/// rows back onto the image).
///
/// How this works and why: a convolution is a matrix product once each output position's
/// input window is laid out as a row. For a batch of B images of shape C × H × W, the patch
/// matrix has B·P rows (P = OH·OW output positions, image-major then row-major) and C·k·k
/// columns in PyTorch's `[in, k, k]` weight order, so the whole batch's convolution is one
/// GEMM with the `[out, in·k·k]` weight, `patches · Wᵀ`. Padding positions are written as
/// zeros, so the product needs no bounds logic. The output side is
/// OH = ⌊(H + 2·pad − k)/stride⌋ + 1 (likewise OW), as in `torch.nn.Conv2d`.
public struct ConvolutionGeometry: Sendable, Hashable {
    /// The input image shape.
    public let input: ImageShape
    /// The window side k.
    public let kernelSize: Int
    /// The step between windows.
    public let stride: Int
    /// Zero rows and columns added on every side.
    public let padding: Int
    /// OH, the output rows.
    public let outputHeight: Int
    /// OW, the output columns.
    public let outputWidth: Int

    /// The geometry of k × k windows over `input`, or nil when no window fits (k larger than
    /// the padded input), a size is not positive, or a size overflows `Int`.
    public init?(input: ImageShape, kernelSize: Int, stride: Int, padding: Int) {
        guard input.channels >= 1, input.height >= 1, input.width >= 1, kernelSize >= 1, stride >= 1, padding >= 0,
              padding <= Int.max / 4 - max(input.height, input.width),
              input.height + 2 * padding >= kernelSize, input.width + 2 * padding >= kernelSize
        else { return nil }
        self.input = input
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        outputHeight = (input.height + 2 * padding - kernelSize) / stride + 1
        outputWidth = (input.width + 2 * padding - kernelSize) / stride + 1
        // Every count used below must be representable: patch rows × columns per image.
        guard input.checkedCount != nil,
              checkedProduct([outputHeight, outputWidth, input.channels, kernelSize, kernelSize]) != nil
        else { return nil }
    }

    /// P = OH·OW, the output positions of one image.
    public var positions: Int { outputHeight * outputWidth }

    /// C·k·k, the columns of the patch matrix.
    public var patchWidth: Int { input.channels * kernelSize * kernelSize }

    /// Writes the B·P × C·k·k patch matrix of `batch` images (`x`, B × C·H·W) into `patches`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func gatherPatches<Scalar: BLASScalar>(_ x: UnsafePointer<Scalar>, batch: Int,
                                           into patches: UnsafeMutablePointer<Scalar>) {
        let (channels, height, width, k) = (input.channels, input.height, input.width, kernelSize)
        let imageCount = input.count
        var row = patches
        for image in 0 ..< batch {
            let source = x + image * imageCount
            for outputY in 0 ..< outputHeight {
                for outputX in 0 ..< outputWidth {
                    let (top, left) = (outputY * stride - padding, outputX * stride - padding)
                    var target = row
                    for channel in 0 ..< channels {
                        let plane = source + channel * height * width
                        for dy in 0 ..< k {
                            let y = top + dy
                            if y < 0 || y >= height {
                                for dx in 0 ..< k { target[dx] = 0 }
                            } else {
                                let line = plane + y * width
                                for dx in 0 ..< k {
                                    let column = left + dx
                                    target[dx] = column >= 0 && column < width ? line[column] : 0
                                }
                            }
                            target += k
                        }
                    }
                    row += channels * k * k
                }
            }
        }
    }

    /// The adjoint of `gatherPatches`: sets `x` (B × C·H·W) to the sum, over every window
    /// covering each input element, of the matching entry of `patches`; padding entries are
    /// dropped.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func scatterPatches<Scalar: BLASScalar>(_ patches: UnsafePointer<Scalar>, batch: Int,
                                            into x: UnsafeMutablePointer<Scalar>) {
        let (channels, height, width, k) = (input.channels, input.height, input.width, kernelSize)
        let imageCount = input.count
        x.update(repeating: 0, count: batch * imageCount)
        var row = patches
        for image in 0 ..< batch {
            let target = x + image * imageCount
            for outputY in 0 ..< outputHeight {
                for outputX in 0 ..< outputWidth {
                    let (top, left) = (outputY * stride - padding, outputX * stride - padding)
                    var source = row
                    for channel in 0 ..< channels {
                        let plane = target + channel * height * width
                        for dy in 0 ..< k {
                            let y = top + dy
                            if y >= 0 && y < height {
                                let line = plane + y * width
                                for dx in 0 ..< k {
                                    let column = left + dx
                                    if column >= 0 && column < width { line[column] += source[dx] }
                                }
                            }
                            source += k
                        }
                    }
                    row += channels * k * k
                }
            }
        }
    }
}

/// Rearranges `batch` blocks of `positions` × `channels` values (position-major, the layout
/// of the patch product) into `batch` rows of `channels` × `positions` values (channel-major,
/// NCHW), adding `bias[channel]` to each value when given; `transposeBlocks(…, inverse: true)`
/// goes back (and ignores `bias`).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func transposeBlocks<Scalar: BLASScalar>(_ source: UnsafePointer<Scalar>, batch: Int, positions: Int, channels: Int,
                                         bias: UnsafePointer<Scalar>?, inverse: Bool,
                                         into target: UnsafeMutablePointer<Scalar>) {
    let blockCount = positions * channels
    for image in 0 ..< batch {
        let (from, to) = (source + image * blockCount, target + image * blockCount)
        for channel in 0 ..< channels {
            let offset = bias?[channel] ?? 0
            for position in 0 ..< positions {
                if inverse {
                    to[position * channels + channel] = from[channel * positions + position]
                } else {
                    to[channel * positions + position] = from[position * channels + channel] + offset
                }
            }
        }
    }
}
