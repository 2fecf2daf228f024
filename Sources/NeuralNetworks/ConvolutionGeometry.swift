import LinearAlgebra

/// Where the k × k windows of a strided, zero-padded 2-D convolution fall, as the index map
/// of the two patch copies built on it: im2col (gather every window into a row) and col2im
/// (scatter-add rows back onto the image).
///
/// How this works and why: a convolution is a matrix product once each output position's
/// input window is laid out as a column. For a batch of B images of shape C × H × W, the patch
/// matrix has C·k·k rows, in PyTorch's `[in, k, k]` weight order, and B·P columns (P = OH·OW
/// output positions, image-major then row-major), so the whole batch's convolution is one
/// GEMM with the `[out, in·k·k]` weight, W · patches, whose out × B·P result holds each
/// image's NCHW output as contiguous runs of P values. Padding positions are written as zeros,
/// so the product needs no bounds logic; the map from patch entries to input columns
/// (`patchSources`) is computed once, so each copy is a flat gather with no index arithmetic.
/// This orientation (a short, wide product) ran at 44 GFLOP/s against 28 for the tall, thin
/// patches · Wᵀ on the cryptonets shapes (`polynet bench gemm --cryptonets-step`, one thread).
/// The output side is OH = ⌊(H + 2·pad − k)/stride⌋ + 1 (likewise OW), as in `torch.nn.Conv2d`.
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
        // Every count used below must be representable: patch rows × columns per image, and
        // input columns as the Int32 entries of `patchSources`.
        guard let count = input.checkedCount, count <= Int(Int32.max),
              checkedProduct([outputHeight, outputWidth, input.channels, kernelSize, kernelSize]) != nil
        else { return nil }
    }

    /// P = OH·OW, the output positions of one image.
    public var positions: Int { outputHeight * outputWidth }

    /// C·k·k, the columns of the patch matrix.
    public var patchWidth: Int { input.channels * kernelSize * kernelSize }

    /// For each kernel entry (c, u, v) and output position p, the input column that entry of
    /// p's window reads, or −1 where the window covers padding: a C·k·k × P map, row-major,
    /// computed once per layer so that the copies below are one branch-free gather per entry.
    public func patchSources() -> [Int32] {
        let (channels, height, width, k) = (input.channels, input.height, input.width, kernelSize)
        var sources = [Int32]()
        sources.reserveCapacity(positions * patchWidth)
        for channel in 0 ..< channels {
            for dy in 0 ..< k {
                for dx in 0 ..< k {
                    for outputY in 0 ..< outputHeight {
                        for outputX in 0 ..< outputWidth {
                            let (y, x) = (outputY * stride - padding + dy, outputX * stride - padding + dx)
                            let inside = y >= 0 && y < height && x >= 0 && x < width
                            sources.append(inside ? Int32((channel * height + y) * width + x) : -1)
                        }
                    }
                }
            }
        }
        return sources
    }
}

/// im2col: writes the C·k·k × B·P patch matrix of `batch` images (`x`, B × `imageCount`) into
/// `patches`: entry (e, b·P + p) copies input column `sources[e·P + p]` of image b (0 for −1).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func gatherPatches<Scalar: BLASScalar>(_ x: UnsafePointer<Scalar>, batch: Int, imageCount: Int, sources: UnsafePointer<Int32>,
                                       patchWidth: Int, positions: Int, into patches: UnsafeMutablePointer<Scalar>) {
    for entry in 0 ..< patchWidth {
        let map = sources + entry * positions
        for image in 0 ..< batch {
            let (source, target) = (x + image * imageCount, patches + (entry * batch + image) * positions)
            for position in 0 ..< positions {
                // Loading a clamped index unconditionally keeps the loop free of branches.
                let index = Int(map[position])
                let value = source[max(index, 0)]
                target[position] = index >= 0 ? value : 0
            }
        }
    }
}

/// col2im, the adjoint of `gatherPatches`: sets `x` (B × `imageCount`) to the sum, over every
/// patch entry that copied an input element, of that entry of `patches`; padding entries are
/// dropped.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func scatterPatches<Scalar: BLASScalar>(_ patches: UnsafePointer<Scalar>, batch: Int, imageCount: Int,
                                        sources: UnsafePointer<Int32>, patchWidth: Int, positions: Int,
                                        into x: UnsafeMutablePointer<Scalar>) {
    x.update(repeating: 0, count: batch * imageCount)
    for entry in 0 ..< patchWidth {
        let map = sources + entry * positions
        for image in 0 ..< batch {
            let (source, target) = (patches + (entry * batch + image) * positions, x + image * imageCount)
            for position in 0 ..< positions {
                let index = Int(map[position])
                if index >= 0 { target[index] += source[position] }
            }
        }
    }
}

/// Copies the out × B·P product (channel-major, images side by side) into B rows of
/// out × P values (NCHW), adding `bias[channel]` to each value.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func imageRows<Scalar: BLASScalar>(_ product: UnsafePointer<Scalar>, batch: Int, positions: Int, channels: Int,
                                   bias: UnsafePointer<Scalar>, into output: UnsafeMutablePointer<Scalar>) {
    for image in 0 ..< batch {
        for channel in 0 ..< channels {
            let (from, to, offset) = (product + (channel * batch + image) * positions,
                                      output + (image * channels + channel) * positions, bias[channel])
            for position in 0 ..< positions { to[position] = from[position] + offset }
        }
    }
}

/// The inverse of `imageRows` without the bias: B rows of NCHW gradients into the out × B·P
/// layout of the product, adding each channel's sum to `biasGradient[channel]` on the way.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func channelRows<Scalar: BLASScalar>(_ gradient: UnsafePointer<Scalar>, batch: Int, positions: Int, channels: Int,
                                     biasGradient: UnsafeMutablePointer<Scalar>, into product: UnsafeMutablePointer<Scalar>) {
    for image in 0 ..< batch {
        for channel in 0 ..< channels {
            let (from, to) = (gradient + (image * channels + channel) * positions,
                              product + (channel * batch + image) * positions)
            var total: Scalar = 0
            for position in 0 ..< positions {
                to[position] = from[position]
                total += from[position]
            }
            biasGradient[channel] += total
        }
    }
}
