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
    /// block; the direct loops run at 4-wide SSE speed (Swift's baseline x86-64 target) but
    /// copy only the input. `polynet bench conv` (batch 64, one thread, AMD EPYC Zen-4 class,
    /// on a machine shared with other builds, load ≈ 5.7, one run, interleaved medians), time
    /// of phase planes over patch matrix, forward / weight gradient / weight and input gradient:
    ///
    /// | layer                                  | forward | ∂W   | ∂W and ∂x |
    /// |----------------------------------------|---------|------|-----------|
    /// | conv2d(1,5,k=5,stride=2,pad=1,size=28) | 0.70    | 1.00 | 0.88      |
    /// | conv2d(1,8,k=5,stride=2,pad=1,size=28) | 0.99    | 1.33 | 1.15      |
    /// | conv2d(3,8,k=3,pad=1,size=32)          | 0.62    | 0.69 | 0.35      |
    /// | conv2d(1,16,k=5,stride=2,pad=1,size=28)| 1.46    | 1.76 | 1.61      |
    ///
    /// Five outputs win or tie on every pass; eight are mixed (the strided 5 × 5 layer loses,
    /// the stride-1 3-channel one wins); sixteen lose. So the rule stops at five.
    public static func preferred(for geometry: ConvolutionGeometry, outputChannels: Int) -> ConvolutionScheme {
        outputChannels <= maximumPhasePlaneOutputs && PhasePlanes(geometry: geometry) != nil ? .phasePlanes : .patchMatrix
    }

    /// The most output channels for which ``preferred(for:outputChannels:)`` chooses ``phasePlanes``.
    public static let maximumPhasePlaneOutputs = 5
}
