import LinearAlgebra

/// The buffer plumbing of a parameterless elementwise layer (``ActivationLayer``, ``Square``):
/// each pass sizes its result like the input and hands its kernel the base addresses of the
/// buffers and the element count; an empty input skips the kernel.
enum ElementwisePass {
    /// Sizes `output` like `input` and calls `kernel(x, y, count)`.
    static func forward<Scalar: BLASScalar>(
        _ input: Matrix<Scalar>, into output: inout Matrix<Scalar>,
        _ kernel: (UnsafePointer<Scalar>, UnsafeMutablePointer<Scalar>, Int) -> Void
    ) {
        output.ensureShape(rows: input.rows, columns: input.columns)
        let count = input.elements.count
        input.elements.withUnsafeBufferPointer { x in
            output.withUnsafeMutableElements { y in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                kernel(x, y, count)
            }
        }
    }

    /// Sizes `inputGradient` like `input` and calls `kernel(dy, x, y, dx, count)` on
    /// ∂loss/∂output, the input, the output and ∂loss/∂input.
    static func backward<Scalar: BLASScalar>(
        _ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
        into inputGradient: inout Matrix<Scalar>,
        _ kernel: (UnsafePointer<Scalar>, UnsafePointer<Scalar>, UnsafePointer<Scalar>, UnsafeMutablePointer<Scalar>, Int) -> Void
    ) {
        inputGradient.ensureShape(rows: input.rows, columns: input.columns)
        let count = input.elements.count
        outputGradient.elements.withUnsafeBufferPointer { dy in
            input.elements.withUnsafeBufferPointer { x in
                output.elements.withUnsafeBufferPointer { y in
                    inputGradient.withUnsafeMutableElements { dx in
                        guard let dy = dy.baseAddress, let x = x.baseAddress, let y = y.baseAddress,
                              let dx = dx.baseAddress else { return }
                        kernel(dy, x, y, dx, count)
                    }
                }
            }
        }
    }
}
