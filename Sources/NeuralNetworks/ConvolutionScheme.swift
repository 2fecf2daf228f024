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
    /// Why: the patch matrix costs the same copies whatever the channel count, while its GEMM
    /// runs at OpenBLAS's AVX-512 speed only once the output channels fill its register block;
    /// the direct loops run at 4-wide SSE speed (Swift's baseline x86-64 target) but copy
    /// only the input. MEASUREMENT
    public static func preferred(for geometry: ConvolutionGeometry, outputChannels: Int) -> ConvolutionScheme {
        outputChannels <= maximumPhasePlaneOutputs && PhasePlanes(geometry: geometry) != nil ? .phasePlanes : .patchMatrix
    }

    /// The most output channels for which ``preferred(for:outputChannels:)`` chooses ``phasePlanes``.
    public static let maximumPhasePlaneOutputs = 8
}
