/// How ``Conv2D`` computes its passes; ``preferred(for:outputChannels:)`` is the one rule that
/// picks it.
public enum ConvolutionScheme: Sendable, Hashable, CaseIterable {
    /// im2col and one GEMM for the whole batch (``ConvolutionGeometry``): every window copied
    /// into a C·k·k × B·P patch matrix, then W · patches through BLAS.
    case patchMatrix
    /// Direct SIMD loops over one image at a time, on the input split by stride phase so each
    /// window offset reads a contiguous run: no patch matrix, no copy of batch size.
    case phasePlanes

    /// The scheme for a convolution with `outputChannels` outputs over `geometry`:
    /// ``phasePlanes`` up to ``maximumPhasePlaneOutputs`` output channels, ``patchMatrix`` above
    /// (and whenever the phase planes' sizes would overflow `Int`).
    ///
    /// Why: the patch matrix costs the same copies whatever the channel count (im2col writes
    /// C·k²·P values per image, 4225 for cryptonets against its 845 outputs), while its GEMM
    /// runs near OpenBLAS's AVX-512 speed only once the output channels fill its register
    /// block; the direct loops (C kernels built for AVX-512 and AVX2, see `PhasePlanes`) copy
    /// only the input and keep a block of outputs in registers. `polynet bench conv --layers …`
    /// (batch 64, one thread, AMD EPYC Zen-4 class, idle machine, one run), time of phase
    /// planes over patch matrix, forward / weight gradient / weight and input gradient:
    ///
    /// | layer                                  | forward | ∂W   | ∂W and ∂x |
    /// |----------------------------------------|---------|------|-----------|
    /// | conv2d(1,5,k=5,stride=2,pad=1,size=28) | 0.34    | 0.41 | 0.43      |
    /// | conv2d(1,16,k=5,stride=2,pad=1,size=28)| 0.61    | 0.73 | 0.82      |
    /// | conv2d(1,32,k=5,stride=1,pad=2,size=28)| 0.44    | 0.37 | 0.53      |
    /// | conv2d(3,8,k=3,pad=1,size=32)          | 0.26    | 0.21 | 0.26      |
    /// | conv2d(16,32,k=3,pad=1,size=14)        | 0.52    | 0.95 | 0.87      |
    /// | conv2d(3,64,k=3,pad=1,size=32)         | 0.48    | 0.44 | 0.61      |
    /// | conv2d(32,64,k=3,pad=1,size=14)        | 0.62    | 1.20 | 1.37      |
    /// | conv2d(64,128,k=3,pad=1,size=8)        | 0.82    | 1.57 | 2.27      |
    ///
    /// Up to 32 outputs the phase planes win every pass; at 64 outputs over 32 channels and
    /// beyond the backward passes lose (a training step spends about twice as long in them as in
    /// forward). So the rule stops at 32.
    public static func preferred(for geometry: ConvolutionGeometry, outputChannels: Int) -> ConvolutionScheme {
        outputChannels <= maximumPhasePlaneOutputs && PhasePlanes(geometry: geometry) != nil ? .phasePlanes : .patchMatrix
    }

    /// The most output channels for which ``preferred(for:outputChannels:)`` chooses ``phasePlanes``.
    public static let maximumPhasePlaneOutputs = 32
}
