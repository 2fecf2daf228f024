import LinearAlgebra

/// The buffer plumbing of a learnable elementwise activation whose one parameter is a
/// coefficient matrix (``HermiteActivation``, ``TropicalActivation``): each pass sizes its
/// result like the input and hands its kernel the base addresses of every buffer it reads and
/// writes; an empty buffer skips the kernel.
enum CoefficientActivationPass {
    /// Sizes `output` like `input` and calls `kernel(x, c, y)` on the input, the coefficients and
    /// the output.
    static func forward<Scalar: BLASScalar>(
        _ input: Matrix<Scalar>, coefficients: Matrix<Scalar>, into output: inout Matrix<Scalar>,
        _ kernel: (UnsafePointer<Scalar>, UnsafePointer<Scalar>, UnsafeMutablePointer<Scalar>) -> Void
    ) {
        output.ensureShape(rows: input.rows, columns: input.columns)
        input.elements.withUnsafeBufferPointer { x in
            coefficients.elements.withUnsafeBufferPointer { c in
                output.elements.withUnsafeMutableBufferPointer { y in
                    guard let x = x.baseAddress, let c = c.baseAddress, let y = y.baseAddress else { return }
                    kernel(x, c, y)
                }
            }
        }
    }

    /// Sizes `inputGradient` like `input` and calls `kernel(dy, x, c, dc, dx)` on ∂loss/∂output,
    /// the input, the coefficients, their gradient and ∂loss/∂input.
    static func backward<Scalar: BLASScalar>(
        _ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, coefficients: Matrix<Scalar>,
        coefficientGradient: inout Matrix<Scalar>, into inputGradient: inout Matrix<Scalar>,
        _ kernel: (UnsafePointer<Scalar>, UnsafePointer<Scalar>, UnsafePointer<Scalar>,
                   UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>) -> Void
    ) {
        inputGradient.ensureShape(rows: input.rows, columns: input.columns)
        outputGradient.elements.withUnsafeBufferPointer { dy in
            input.elements.withUnsafeBufferPointer { x in
                coefficients.elements.withUnsafeBufferPointer { c in
                    coefficientGradient.elements.withUnsafeMutableBufferPointer { dc in
                        inputGradient.elements.withUnsafeMutableBufferPointer { dx in
                            guard let dy = dy.baseAddress, let x = x.baseAddress, let c = c.baseAddress,
                                  let dc = dc.baseAddress, let dx = dx.baseAddress else { return }
                            kernel(dy, x, c, dc, dx)
                        }
                    }
                }
            }
        }
    }
}
