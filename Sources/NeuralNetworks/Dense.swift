import LinearAlgebra

/// A fully connected layer y = x·Wᵀ + b, like `torch.nn.Linear`.
///
/// `weight` is out × in and `bias` is 1 × out (stored as shape `[out]`), the PyTorch layout,
/// so `0.weight` and `0.bias` load unchanged from a state dict.
///
/// In training, zero inputs are left out of the forward product and the weight gradient, to which
/// they contribute nothing: when at most a quarter of a batch's inputs are nonzero (pixel images)
/// and the layer has at least 64 outputs, the products run over the nonzero ones alone (see
/// `SparseInputProducts`); otherwise input columns that are zero in every row of the batch (image
/// borders) are left out when at least an eighth of the columns are (see `ZeroColumnSkip`).
/// - Complexity: forward one gemm; backward two (one when the input gradient is not needed).
public struct Dense<Scalar: BLASScalar>: Layer {
    /// The out × in weight matrix W.
    public var weight: Matrix<Scalar>
    /// The bias b as a 1 × out row.
    public var bias: Matrix<Scalar>
    /// ∂loss/∂W, accumulated by `backward`.
    public var weightGradient: Matrix<Scalar>
    /// ∂loss/∂b, accumulated by `backward`.
    public var biasGradient: Matrix<Scalar>
    /// The input columns that are zero in every row of a training batch, left out of the
    /// products (see `ZeroColumnSkip`).
    private(set) var zeroColumns = ZeroColumnSkip<Scalar>()
    /// The products over a sparse training batch's nonzero inputs (see `SparseInputProducts`).
    private(set) var sparseInput = SparseInputProducts<Scalar>()

    /// A layer with the given out × in weight and 1 × out bias.
    public init(weight: Matrix<Scalar>, bias: Matrix<Scalar>) {
        precondition(bias.rows == 1 && bias.columns == weight.rows,
                     "Bias \(bias.rows)×\(bias.columns) does not fit weight \(weight.rows)×\(weight.columns)")
        self.weight = weight
        self.bias = bias
        weightGradient = Matrix(rows: weight.rows, columns: weight.columns)
        biasGradient = Matrix(rows: 1, columns: weight.rows)
    }

    /// A layer initialized as PyTorch does: weight and bias uniform on ±1/√inputWidth.
    public init<G: RandomNumberGenerator>(inputWidth: Int, outputWidth: Int, using generator: inout G) {
        precondition(inputWidth > 0 && outputWidth > 0, "Dense layer \(inputWidth)→\(outputWidth) needs positive widths")
        let bound = 1 / Scalar(inputWidth).squareRoot()
        self.init(weight: .randomUniform(rows: outputWidth, columns: inputWidth, in: -bound ... bound, using: &generator),
                  bias: .randomUniform(rows: 1, columns: outputWidth, in: -bound ... bound, using: &generator))
    }

    public var inputWidth: Int? { weight.columns }

    public func outputWidth(forInputWidth width: Int) -> Int { weight.rows }

    public var specification: String { "dense(\(weight.columns),\(weight.rows))" }

    public var parameterInfo: [ParameterInfo] {
        [ParameterInfo(name: "weight", shape: [weight.rows, weight.columns]),
         ParameterInfo(name: "bias", shape: [weight.rows])]
    }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        precondition(input.columns == weight.columns, "Dense(\(weight.columns)→\(weight.rows)) got a \(input.rows)×\(input.columns) input")
        output.ensureShape(rows: input.rows, columns: weight.rows)
        if training && sparseInput.product(input, weight: weight, into: &output) {
            zeroColumns.deactivate()
        } else if training && zeroColumns.reduce(input, weight: weight) {
            output.setProduct(zeroColumns.input, zeroColumns.weight, transposingB: true)
        } else {
            sparseInput.deactivate()
            zeroColumns.deactivate()
            output.setProduct(input, weight, transposingB: true)
        }
        output.addToEachRow(bias)
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        if sparseInput.activeRows == input.rows {
            sparseInput.addWeightGradient(of: outputGradient, to: &weightGradient)
        } else if zeroColumns.activeRows == input.rows {
            zeroColumns.addWeightGradient(of: outputGradient, to: &weightGradient)
        } else {
            weightGradient.setProduct(outputGradient, input, transposingA: true, beta: 1)
        }
        biasGradient.addColumnSums(of: outputGradient)
        if needsInputGradient {
            inputGradient.ensureShape(rows: input.rows, columns: weight.columns)
            inputGradient.setProduct(outputGradient, weight)
        }
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        body(&weight, &weightGradient)
        body(&bias, &biasGradient)
    }
}
