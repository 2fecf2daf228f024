import LinearAlgebra

/// A fixed elementwise activation layer: ReLU, GELU, SiLU, tanh or sigmoid.
///
/// ```swift
/// let layers: [any Layer<Float>] = [dense1, ActivationLayer(.relu), dense2]
/// ```
public struct ActivationLayer<Scalar: BLASScalar>: Layer {
    /// The function applied to every element.
    public var function: ActivationFunction

    /// A layer applying `function` elementwise.
    public init(_ function: ActivationFunction) {
        self.function = function
    }

    public var specification: String { function.rawValue }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        let function = self.function
        ElementwisePass.forward(input, into: &output) { x, y, count in function.apply(x, into: y, count: count) }
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        let function = self.function
        ElementwisePass.backward(outputGradient, input: input, output: output, into: &inputGradient) { dy, x, y, dx, count in
            function.backpropagate(dy, x: x, y: y, into: dx, count: count)
        }
    }
}
