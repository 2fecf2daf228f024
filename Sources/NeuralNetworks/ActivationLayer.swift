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
        output.ensureShape(rows: input.rows, columns: input.columns)
        let count = input.elements.count
        input.elements.withUnsafeBufferPointer { x in
            output.withUnsafeMutableElements { y in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                function.apply(x, into: y, count: count)
            }
        }
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        inputGradient.ensureShape(rows: input.rows, columns: input.columns)
        let count = input.elements.count
        outputGradient.elements.withUnsafeBufferPointer { dy in
            input.elements.withUnsafeBufferPointer { x in
                output.elements.withUnsafeBufferPointer { y in
                    inputGradient.withUnsafeMutableElements { dx in
                        guard let dy = dy.baseAddress, let x = x.baseAddress, let y = y.baseAddress,
                              let dx = dx.baseAddress else { return }
                        function.backpropagate(dy, x: x, y: y, into: dx, count: count)
                    }
                }
            }
        }
    }
}
