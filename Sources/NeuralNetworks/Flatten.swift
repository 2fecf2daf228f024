import LinearAlgebra

/// Marks the end of the image layers, like `torch.nn.Flatten`: rows are already flat NCHW
/// values, so the output equals the input and only the image shape is dropped, after which
/// `dense` layers follow.
///
/// Both passes copy into the caller's buffer rather than sharing the input's storage: a
/// shared buffer would be copied anyway (and reallocated) when the layer before writes its
/// next output in place, while a copy into a reused buffer allocates nothing.
///
/// ```swift
/// let layers: [any Layer<Float>] = [conv, Square(), Flatten(), dense]
/// ```
public struct Flatten<Scalar: BLASScalar>: Layer {
    /// The flatten layer (it has no parameters).
    public init() {}

    public func outputImageShape(for input: ImageShape?) -> ImageShape? { nil }

    public var specification: String { "flatten" }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        Self.copy(input, into: &output)
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        if needsInputGradient { Self.copy(outputGradient, into: &inputGradient) }
    }

    private static func copy(_ source: Matrix<Scalar>, into target: inout Matrix<Scalar>) {
        target.ensureShape(rows: source.rows, columns: source.columns)
        source.elements.withUnsafeBufferPointer { from in
            target.withUnsafeMutableElements { to in
                guard let from = from.baseAddress, let to = to.baseAddress else { return }
                to.update(from: from, count: source.elements.count)
            }
        }
    }
}
