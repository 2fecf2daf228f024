import LinearAlgebra

/// Marks the end of the image layers, like `torch.nn.Flatten`: rows are already flat NCHW
/// values, so the output is the input itself (shared storage, no copy) and only the image
/// shape is dropped, after which `dense` layers follow.
///
/// ```swift
/// let layers: [any Layer<Float>] = [conv, Square(), Flatten(), dense]
/// ```
public struct Flatten<Scalar: BLASScalar>: Layer {
    public init() {}

    public func outputImageShape(for input: ImageShape?) -> ImageShape? { nil }

    public var specification: String { "flatten" }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        output = input
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        if needsInputGradient { inputGradient = outputGradient }
    }
}
