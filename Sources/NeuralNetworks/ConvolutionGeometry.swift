import LinearAlgebra

/// Where the k × k windows of a strided, zero-padded 2-D convolution fall, and the two patch
/// copies built on it: im2col (gather every window into a column) and col2im (scatter-add
/// columns back onto the image).
///
/// How this works and why: a convolution is a matrix product once each output position's
/// input window is laid out as a column. For a batch of B images of shape C × H × W, the patch
/// matrix has C·k·k rows, in PyTorch's `[in, k, k]` weight order, and B·P columns (P = OH·OW
/// output positions, image-major then row-major), so the whole batch's convolution is one
/// GEMM with the `[out, in·k·k]` weight, W · patches, whose out × B·P result holds each
/// image's NCHW output as contiguous runs of P values. Padding positions are written as zeros,
/// so the product needs no bounds logic; the copies compute, for each kernel offset, the range
/// of output positions whose window stays inside the image, and copy those with a stride.
/// This orientation (a short, wide product) ran at 44 GFLOP/s against 28 for the tall, thin
/// patches · Wᵀ on the cryptonets shapes (`polynet bench gemm --cryptonets-step`, one thread).
/// The output side is OH = ⌊(H + 2·pad − k)/stride⌋ + 1 (likewise OW), as in `torch.nn.Conv2d`.
/// ``Conv2D`` uses these copies for ``ConvolutionScheme/patchMatrix`` only; with few output
/// channels the copies cost more than the product, and ``ConvolutionScheme/phasePlanes`` avoids them.
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

    /// The output columns whose window column for kernel offset `dx` falls inside the image:
    /// ox with 0 ≤ ox·stride − padding + dx < width. (Likewise rows, with the height.)
    func insideRange(offset: Int, size: Int, outputs: Int) -> Range<Int> {
        // ox·stride ≥ padding − offset and ox·stride ≤ size − 1 + padding − offset.
        let low = max(0, (padding - offset + stride - 1) / stride)
        let high = min(outputs, size - 1 + padding - offset < 0 ? 0 : (size - 1 + padding - offset) / stride + 1)
        return low ..< max(low, high)
    }

    /// im2col: writes the C·k·k × B·P patch matrix of `batch` images (`x`, B × C·H·W) into
    /// `patches`: entry (c·k² + u·k + v, b·P + i·OW + j) is x_b[c, i·stride − pad + u,
    /// j·stride − pad + v], 0 in the padding. Each window row is a strided copy over the
    /// in-image range of j, so no index is loaded and no bound is tested per element.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func gatherPatches<Scalar: BLASScalar>(_ x: UnsafePointer<Scalar>, batch: Int, into patches: UnsafeMutablePointer<Scalar>) {
        let (height, width, k, imageCount) = (input.height, input.width, kernelSize, input.count)
        var target = patches
        for channel in 0 ..< input.channels {
            for dy in 0 ..< k {
                let rows = insideRange(offset: dy, size: height, outputs: outputHeight)
                for dx in 0 ..< k {
                    let columns = insideRange(offset: dx, size: width, outputs: outputWidth)
                    for image in 0 ..< batch {
                        let plane = x + image * imageCount + channel * height * width
                        for outputY in 0 ..< outputHeight {
                            guard rows.contains(outputY) else {
                                target.update(repeating: 0, count: outputWidth)
                                target += outputWidth
                                continue
                            }
                            let (line, shift) = (plane + (outputY * stride - padding + dy) * width, dx - padding)
                            for outputX in 0 ..< columns.lowerBound { target[outputX] = 0 }
                            for outputX in columns { target[outputX] = line[outputX * stride + shift] }
                            for outputX in columns.upperBound ..< outputWidth { target[outputX] = 0 }
                            target += outputWidth
                        }
                    }
                }
            }
        }
    }

    /// col2im, the adjoint of `gatherPatches`: sets `x` (B × C·H·W) to the sum, over every
    /// patch entry that copied an input element, of that entry of `patches`; padding entries
    /// are dropped.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func scatterPatches<Scalar: BLASScalar>(_ patches: UnsafePointer<Scalar>, batch: Int, into x: UnsafeMutablePointer<Scalar>) {
        let (height, width, k, imageCount) = (input.height, input.width, kernelSize, input.count)
        x.update(repeating: 0, count: batch * imageCount)
        var source = patches
        for channel in 0 ..< input.channels {
            for dy in 0 ..< k {
                let rows = insideRange(offset: dy, size: height, outputs: outputHeight)
                for dx in 0 ..< k {
                    let columns = insideRange(offset: dx, size: width, outputs: outputWidth)
                    for image in 0 ..< batch {
                        let plane = x + image * imageCount + channel * height * width
                        for outputY in rows {
                            let (line, shift) = (plane + (outputY * stride - padding + dy) * width, dx - padding)
                            let row = source + outputY * outputWidth
                            for outputX in columns { line[outputX * stride + shift] += row[outputX] }
                        }
                        source += positions
                    }
                }
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
