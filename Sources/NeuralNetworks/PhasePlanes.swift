import CKernels
import LinearAlgebra

/// The direct convolution scheme: one image's zero-padded input split by stride phase, so that
/// every kernel offset reads a contiguous run, and the three passes of ``Conv2D`` as SIMD loops
/// over those runs (``ConvolutionScheme/phasePlanes``).
///
/// How this works and why: with stride s, window offset (u, v) of output (i, j) reads padded
/// pixel (i·s + u, j·s + v). Writing the padded input x̃ as t × t phase planes per channel
/// (t = min(s, k)), plane (c, a, b)[y, x] = x̃[c, y·s + a, x·s + b], that pixel is plane
/// (c, u mod s, v mod s) at (i + ⌊u/s⌋, j + ⌊v/s⌋): a stride-1 window. Numbering outputs on
/// a "wide" grid q = i·Wq + j with the planes' width Wq (columns j ≥ OW are unused), output q
/// reads plane element `offsets[r] + q` for patch row r = (c, u, v), so
///
///     y[o, q] = b[o] + Σ_r W[o, r] · planes[offsets[r] + q]
///
/// is, for each r, a multiply-add of one contiguous vector: no patch matrix, no index table,
/// no bounds test. The weight gradient ∂W[o, r] = Σ_q ∂y[o, q] · planes[offsets[r] + q] and
/// the input gradient ∂planes[offsets[r] + q] += Σ_o W[o, r] · ∂y[o, q] are the same runs, with
/// ∂y zero on the unused columns so they add nothing. Forward splits each image into its
/// planes (C·t²·Hq·Wq ≈ C·(H + 2·pad)² values, 915 for cryptonets: a fifth of its 4225-value
/// patch block) and keeps the batch's planes for the weight gradient.
///
/// The three passes are the C kernels of `CKernels` (`PlaneKernels.h`): Swift compiles for
/// baseline x86-64 only (four floats per instruction, no fused multiply-add), while those are
/// built for AVX-512, AVX2 and the baseline and picked when the program loads, and hold a
/// block of outputs' accumulators in registers so that each loaded run feeds several
/// multiply-adds. Vectors have ``lanes`` = 16 elements; the wide grid is rounded up to whole
/// vectors and the plane buffer has room for the last vector's reads past the planes. The weight and bias
/// gradients accumulate one vector of partial sums per entry across the batch and sum its
/// lanes once at the end: summing per image cost more than the products themselves.
struct PhasePlanes: Sendable, Hashable {
    /// The lanes of one vector (`POLYNET_PLANE_LANES` in the C kernels).
    static let lanes = Int(POLYNET_PLANE_LANES)

    /// The convolution's geometry.
    let geometry: ConvolutionGeometry
    /// t = min(stride, k), the phases per axis that some window offset reads.
    let phases: Int
    /// Hq = ⌈(H + 2·pad)/s⌉ and Wq, the shape of one plane.
    let planeHeight: Int, planeWidth: Int
    /// The elements of a plane buffer (the planes, then room for the last vector's reads).
    let count: Int
    /// The wide grid's size, (OH − 1)·Wq + OW rounded up to whole vectors.
    let wideCount: Int
    /// For patch row r = (c·k + u)·k + v, the element of the planes that output 0 reads.
    let offsets: [Int]
    /// For each row phase a, the plane rows inside the image (low, end), and for each column
    /// phase b the plane columns inside it: ``ConvolutionGeometry/insideRange(offset:size:outputs:)``.
    let rowRanges: [Int], columnRanges: [Int]

    /// The phase planes of `geometry`, or nil when a size overflows `Int`.
    init?(geometry: ConvolutionGeometry) {
        let g = geometry
        let (s, k) = (g.stride, g.kernelSize)
        let phases = min(s, k)
        let planeHeight = (g.input.height + 2 * g.padding - 1) / s + 1
        let planeWidth = (g.input.width + 2 * g.padding - 1) / s + 1
        guard let planeCount = checkedProduct([planeHeight, planeWidth]),
              let total = checkedProduct([g.input.channels, phases, phases, planeCount]),
              let wideGrid = checkedProduct([g.outputHeight - 1, planeWidth]).map({ $0 + g.outputWidth }),
              wideGrid <= Int.max - Self.lanes
        else { return nil }
        let wideCount = (wideGrid + Self.lanes - 1) / Self.lanes * Self.lanes
        var offsets = [Int]()
        offsets.reserveCapacity(g.patchWidth)
        for channel in 0 ..< g.input.channels {
            for u in 0 ..< k {
                for v in 0 ..< k {
                    let plane = (channel * phases + u % s) * phases + v % s
                    offsets.append(plane * planeCount + (u / s) * planeWidth + v / s)
                }
            }
        }
        // The last output reads at most offset + wideCount − 1; offsets are below `total`.
        guard total <= Int.max - wideCount else { return nil }
        self.geometry = g
        self.phases = phases
        self.planeHeight = planeHeight
        self.planeWidth = planeWidth
        self.wideCount = wideCount
        self.offsets = offsets
        let ranges = { (size: Int, outputs: Int) in
            (0 ..< phases).flatMap { phase in
                let inside = g.insideRange(offset: phase, size: size, outputs: outputs)
                return [inside.lowerBound, inside.upperBound]
            }
        }
        rowRanges = ranges(g.input.height, planeHeight)
        columnRanges = ranges(g.input.width, planeWidth)
        count = max(total, (offsets.max() ?? 0) + wideCount)
    }

    /// Writes the C·t² planes of one image (`image`, C·H·W values) into `planes` (`count`
    /// values), zeros in the padding; row y of plane (c, a, b) is a strided copy of input row
    /// y·s + a − pad over the columns that fall inside the image (the C kernel
    /// `polynet_plane_split_f` or `_d`, whose copy vectorizes for strides 1 and 2).
    func split<Scalar: BLASScalar>(_ image: UnsafePointer<Scalar>, into planes: UnsafeMutablePointer<Scalar>) {
        withLayout { layout in
            if Scalar.self == Float.self {
                polynet_plane_split_f(kernelPointer(image), layout, kernelPointer(planes))
            } else {
                polynet_plane_split_d(kernelPointer(image), layout, kernelPointer(planes))
            }
        }
    }

    /// The adjoint of `split`: sets `image` (C·H·W values) to the plane elements that copied
    /// each pixel; padding elements are dropped, and pixels that no window reads (phases ≥ t
    /// when s > k) get 0.
    func merge<Scalar: BLASScalar>(_ planes: UnsafePointer<Scalar>, into image: UnsafeMutablePointer<Scalar>) {
        withLayout { layout in
            if Scalar.self == Float.self {
                polynet_plane_merge_f(kernelPointer(planes), layout, kernelPointer(image))
            } else {
                polynet_plane_merge_d(kernelPointer(planes), layout, kernelPointer(image))
            }
        }
    }

    /// Calls `body` with the layout as the C kernels take it.
    private func withLayout(_ body: (UnsafePointer<PolynetPlaneLayout>) -> Void) {
        let g = geometry
        rowRanges.withUnsafeBufferPointer { rows in
            columnRanges.withUnsafeBufferPointer { columns in
                var layout = PolynetPlaneLayout(channels: g.input.channels, height: g.input.height, width: g.input.width,
                                                stride: g.stride, padding: g.padding, phases: phases, planeHeight: planeHeight,
                                                planeWidth: planeWidth, count: count, rowRanges: rows.baseAddress,
                                                columnRanges: columns.baseAddress)
                body(&layout)
            }
        }
    }

    /// y[o, q] = bias[o] + Σ_r weight[o, r] · planes[offsets[r] + q] for the `outputs` × `wideCount`
    /// wide grid `wide`.
    func forward<Scalar: BLASScalar>(_ planes: UnsafePointer<Scalar>, weight: UnsafePointer<Scalar>, bias: UnsafePointer<Scalar>,
                                     outputs: Int, into wide: UnsafeMutablePointer<Scalar>) {
        offsets.withUnsafeBufferPointer { offsets in
            guard let offsets = offsets.baseAddress else { return }
            let (patchWidth, wideCount) = (self.offsets.count, wideCount)
            if Scalar.self == Float.self {
                polynet_plane_convolution_f(kernelPointer(planes), offsets, patchWidth, wideCount, kernelPointer(weight),
                                            kernelPointer(bias), outputs, kernelPointer(wide))
            } else {
                polynet_plane_convolution_d(kernelPointer(planes), offsets, patchWidth, wideCount, kernelPointer(weight),
                                            kernelPointer(bias), outputs, kernelPointer(wide))
            }
        }
    }

    /// lanes[o·C·k² + r] += Σ_q gradient[o, q] · planes[offsets[r] + q] as `PlaneVector` partial sums
    /// (`lanes` holds out·C·k² vectors), for the wide grid `gradient` (`outputs` × `wideCount`,
    /// zero on unused columns). Summing each vector's lanes once per batch (``sumLanes(_:count:into:)``)
    /// rather than once per image keeps the horizontal sums out of the loop.
    func addWeightGradient<Scalar: BLASScalar>(_ gradient: UnsafePointer<Scalar>, planes: UnsafePointer<Scalar>, outputs: Int,
                                               into lanes: UnsafeMutablePointer<Scalar>) {
        offsets.withUnsafeBufferPointer { offsets in
            guard let offsets = offsets.baseAddress else { return }
            let (patchWidth, wideCount) = (self.offsets.count, wideCount)
            if Scalar.self == Float.self {
                polynet_plane_weight_gradient_f(kernelPointer(gradient), kernelPointer(planes), offsets, patchWidth, wideCount,
                                                outputs, kernelPointer(lanes))
            } else {
                polynet_plane_weight_gradient_d(kernelPointer(gradient), kernelPointer(planes), offsets, patchWidth, wideCount,
                                                outputs, kernelPointer(lanes))
            }
        }
    }

    /// Sets `planeGradient` (`count` values) to ∂loss/∂planes: Σ over r and o of
    /// weight[o, r] · gradient[o, q] added at offsets[r] + q.
    func planeGradient<Scalar: BLASScalar>(_ gradient: UnsafePointer<Scalar>, weight: UnsafePointer<Scalar>, outputs: Int,
                                           into planeGradient: UnsafeMutablePointer<Scalar>) {
        offsets.withUnsafeBufferPointer { offsets in
            guard let offsets = offsets.baseAddress else { return }
            let (patchWidth, wideCount, count) = (self.offsets.count, wideCount, count)
            if Scalar.self == Float.self {
                polynet_plane_input_gradient_f(kernelPointer(gradient), kernelPointer(weight), offsets, patchWidth, wideCount,
                                               outputs, kernelPointer(planeGradient), count)
            } else {
                polynet_plane_input_gradient_d(kernelPointer(gradient), kernelPointer(weight), offsets, patchWidth, wideCount,
                                               outputs, kernelPointer(planeGradient), count)
            }
        }
    }

    /// Copies the wide grid (`outputs` × `wideCount`) into one image's NCHW output row, adding
    /// nothing: run i of channel o is wide[o, i·Wq ..< i·Wq + OW].
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func narrow<Scalar: BLASScalar>(_ wide: UnsafePointer<Scalar>, outputs: Int, into image: UnsafeMutablePointer<Scalar>) {
        let (height, width) = (geometry.outputHeight, geometry.outputWidth)
        for output in 0 ..< outputs {
            for i in 0 ..< height {
                (image + (output * height + i) * width).update(from: wide + output * wideCount + i * planeWidth, count: width)
            }
        }
    }

    /// The adjoint of `narrow`: one image's NCHW gradient row into the wide grid, zeros on the
    /// unused columns and past the last output, and each channel's row added to
    /// `biasLanes[o]` lane by lane (summed once per batch like the weight gradient).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func widen<Scalar: BLASScalar>(_ image: UnsafePointer<Scalar>, outputs: Int, biasLanes: UnsafeMutablePointer<Scalar>,
                                   into wide: UnsafeMutablePointer<Scalar>) {
        let (height, width) = (geometry.outputHeight, geometry.outputWidth)
        wide.update(repeating: 0, count: outputs * wideCount)
        for output in 0 ..< outputs {
            for i in 0 ..< height {
                (wide + output * wideCount + i * planeWidth).update(from: image + (output * height + i) * width, count: width)
            }
        }
        addRowLanes(wide, outputs: outputs, wideCount: wideCount, into: biasLanes)
    }
}

// The lane sums of `PhasePlanes` as free functions over raw pointers, so that `@_specialize`
// gives each a Float and a Double body (PlaneVector arithmetic on an unspecialized generic
// scalar would go through witness tables element by element).



/// Adds the wide grid's rows (`outputs` × `wideCount`) to `lanes` (`outputs` vectors), lane by lane.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func addRowLanes<Scalar: BLASScalar>(_ wide: UnsafePointer<Scalar>, outputs: Int, wideCount: Int,
                                     into lanes: UnsafeMutablePointer<Scalar>) {
    for output in 0 ..< outputs {
        let (row, target) = (wide + output * wideCount, lanes + output * PhasePlanes.lanes)
        var total = loadLanes(target)
        for q in stride(from: 0, to: wideCount, by: PhasePlanes.lanes) { total += loadLanes(row + q) }
        storeLanes(total, target)
    }
}

/// target[i] += the sum of the lanes of vector i of `lanes`, for `count` vectors.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func sumLanes<Scalar: BLASScalar>(_ lanes: UnsafePointer<Scalar>, count: Int, into target: UnsafeMutablePointer<Scalar>) {
    for i in 0 ..< count { target[i] += loadLanes(lanes + i * PhasePlanes.lanes).sum() }
}


/// The vector type of the lane sums, ``PhasePlanes/lanes`` wide like the C kernels' vectors.
typealias PlaneVector<Scalar: SIMDScalar> = SIMD16<Scalar>

@inline(__always)
private func loadLanes<Scalar: BLASScalar>(_ pointer: UnsafePointer<Scalar>) -> PlaneVector<Scalar> {
    UnsafeRawPointer(pointer).loadUnaligned(as: PlaneVector<Scalar>.self)
}

@inline(__always)
private func storeLanes<Scalar: BLASScalar>(_ vector: PlaneVector<Scalar>, _ pointer: UnsafeMutablePointer<Scalar>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: PlaneVector<Scalar>.self)
}
