import LinearAlgebra

/// Where the k × k windows of a strided, zero-padded 2-D convolution fall, as the index map
/// of the two patch copies built on it: im2col (gather every window into a row) and col2im
/// (scatter-add rows back onto the image).
///
/// How this works and why: a convolution is a matrix product once each output position's
/// input window is laid out as a row. For a batch of B images of shape C × H × W, the patch
/// matrix has B·P rows (P = OH·OW output positions, image-major then row-major) and C·k·k
/// columns in PyTorch's `[in, k, k]` weight order, so the whole batch's convolution is one
/// GEMM with the `[out, in·k·k]` weight, `patches · Wᵀ`. Padding positions are written as
/// zeros, so the product needs no bounds logic; the map from patch entries to input columns
/// (`patchSources`) is computed once, so each copy is a flat gather with no index arithmetic. The output side is
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

    /// For each of the P·C·k·k entries of one image's patch rows, the input column it copies,
    /// or −1 where the window covers padding: the whole im2col map, computed once per layer so
    /// that the copies below are one branch-free gather per entry.
    public func patchSources() -> [Int32] {
        let (channels, height, width, k) = (input.channels, input.height, input.width, kernelSize)
        var sources = [Int32]()
        sources.reserveCapacity(positions * patchWidth)
        for outputY in 0 ..< outputHeight {
            for outputX in 0 ..< outputWidth {
                let (top, left) = (outputY * stride - padding, outputX * stride - padding)
                for channel in 0 ..< channels {
                    for dy in 0 ..< k {
                        for dx in 0 ..< k {
                            let (y, x) = (top + dy, left + dx)
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

/// im2col: writes the B·P × C·k·k patch matrix of `batch` images (`x`, B × `imageCount`) into
/// `patches`, entry j of each image's block copying input column `sources[j]` (0 for −1).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func gatherPatches<Scalar: BLASScalar>(_ x: UnsafePointer<Scalar>, batch: Int, imageCount: Int, sources: UnsafePointer<Int32>,
                                       sourceCount: Int, into patches: UnsafeMutablePointer<Scalar>) {
    for image in 0 ..< batch {
        let (source, target) = (x + image * imageCount, patches + image * sourceCount)
        for j in 0 ..< sourceCount {
            // Loading a clamped index unconditionally keeps the loop free of branches.
            let index = Int(sources[j])
            let value = source[max(index, 0)]
            target[j] = index >= 0 ? value : 0
        }
    }
}

/// col2im, the adjoint of `gatherPatches`: sets `x` (B × `imageCount`) to the sum, over every
/// patch entry that copied an input element, of that entry of `patches`; padding entries are
/// dropped.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func scatterPatches<Scalar: BLASScalar>(_ patches: UnsafePointer<Scalar>, batch: Int, imageCount: Int,
                                        sources: UnsafePointer<Int32>, sourceCount: Int,
                                        into x: UnsafeMutablePointer<Scalar>) {
    x.update(repeating: 0, count: batch * imageCount)
    for image in 0 ..< batch {
        let (source, target) = (patches + image * sourceCount, x + image * imageCount)
        for j in 0 ..< sourceCount {
            let index = Int(sources[j])
            if index >= 0 { target[index] += source[j] }
        }
    }
}

/// Rearranges `batch` blocks of `positions` × `channels` values (position-major, the layout of
/// the patch product) into `batch` rows of `channels` × `positions` values (channel-major,
/// NCHW), adding `bias[channel]` to each value.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func channelMajor<Scalar: BLASScalar>(_ source: UnsafePointer<Scalar>, batch: Int, positions: Int, channels: Int,
                                      bias: UnsafePointer<Scalar>, into target: UnsafeMutablePointer<Scalar>) {
    let blockCount = positions * channels
    for image in 0 ..< batch {
        let (from, to) = (source + image * blockCount, target + image * blockCount)
        for channel in 0 ..< channels {
            let (offset, plane) = (bias[channel], to + channel * positions)
            for position in 0 ..< positions { plane[position] = from[position * channels + channel] + offset }
        }
    }
}

/// The inverse of `channelMajor` without the bias: NCHW rows back to position-major blocks.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func positionMajor<Scalar: BLASScalar>(_ source: UnsafePointer<Scalar>, batch: Int, positions: Int, channels: Int,
                                       into target: UnsafeMutablePointer<Scalar>) {
    let blockCount = positions * channels
    for image in 0 ..< batch {
        let (from, to) = (source + image * blockCount, target + image * blockCount)
        for position in 0 ..< positions {
            let row = to + position * channels
            for channel in 0 ..< channels { row[channel] = from[channel * positions + position] }
        }
    }
}
