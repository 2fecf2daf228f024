import LinearAlgebra

/// The elementwise square y = x², the activation of CryptoNets
/// ([Gilad-Bachrach et al. 2016](https://proceedings.mlr.press/v48/gilad-bachrach16.html)):
/// the lowest-degree nonlinearity, one multiplication under homomorphic encryption.
/// Backward: ∂loss/∂x = 2x·∂loss/∂y.
///
/// ```swift
/// let layers: [any Layer<Float>] = [conv, Square(), Flatten(), dense]
/// ```
public struct Square<Scalar: BLASScalar>: Layer {
    /// The square layer (it has no parameters).
    public init() {}

    public var specification: String { "square" }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        ElementwisePass.forward(input, into: &output) { x, y, count in square(x, into: y, count: count) }
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        ElementwisePass.backward(outputGradient, input: input, output: output, into: &inputGradient) { dy, x, _, dx, count in
            squareGradient(dy, x: x, into: dx, count: count)
        }
    }
}

@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func square<Scalar: BLASScalar>(_ x: UnsafePointer<Scalar>, into y: UnsafeMutablePointer<Scalar>, count: Int) {
    for i in 0 ..< count { y[i] = x[i] * x[i] }
}

@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func squareGradient<Scalar: BLASScalar>(_ dy: UnsafePointer<Scalar>, x: UnsafePointer<Scalar>,
                                        into dx: UnsafeMutablePointer<Scalar>, count: Int) {
    for i in 0 ..< count { dx[i] = 2 * x[i] * dy[i] }
}
