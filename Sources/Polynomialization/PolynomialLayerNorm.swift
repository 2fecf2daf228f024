import LinearAlgebra
import NeuralNetworks

/// Layer normalization with its division replaced: y = γ ⊙ (x − μ)·g(v) + β per row, where
/// μ and v = mean((x − μ)²) + ε are the row's mean and variance and g ≈ 1/√v is an
/// ``InverseSquareRoot`` (a polynomial and Newton steps), so the layer adds and multiplies only.
///
/// Parameters keep `LayerNorm`'s PyTorch names (`weight` γ, `bias` β). Backward: with
/// c = x − μ, s = Σⱼ ∂yⱼ·γⱼ·cⱼ and g′ = dg/dv, ∂cᵢ = ∂yᵢ·γᵢ·g(v) + s·g′(v)·2cᵢ/n and
/// ∂x = ∂c − mean(∂c).
public struct PolynomialLayerNorm<Scalar: BLASScalar>: Layer {
    public var weight: Matrix<Scalar>
    public var bias: Matrix<Scalar>
    public var weightGradient: Matrix<Scalar>
    public var biasGradient: Matrix<Scalar>
    /// The constant ε added to the variance.
    public let epsilon: Double
    /// The replacement of 1/√v.
    public let inverse: InverseSquareRoot

    /// A layer with `layerNorm`'s γ, β and ε and `inverse` in place of 1/√v.
    public init(_ layerNorm: LayerNorm<Scalar>, inverse: InverseSquareRoot) {
        weight = layerNorm.weight
        bias = layerNorm.bias
        weightGradient = Matrix(rows: 1, columns: layerNorm.weight.columns)
        biasGradient = Matrix(rows: 1, columns: layerNorm.weight.columns)
        epsilon = Double(layerNorm.epsilon)
        self.inverse = inverse
    }

    public var inputWidth: Int? { weight.columns }
    public func outputWidth(forInputWidth width: Int) -> Int { width }
    public var specification: String { "polynomial-layernorm(\(weight.columns))" }
    public var parameterInfo: [ParameterInfo] {
        [ParameterInfo(name: "weight", shape: [weight.columns]), ParameterInfo(name: "bias", shape: [weight.columns])]
    }

    /// The row's centred values, g(v) and g′(v).
    private func rowState(_ input: Matrix<Scalar>, _ row: Int) -> (centred: [Double], scale: Double, slope: Double) {
        let width = input.columns
        var mean = 0.0
        for j in 0 ..< width { mean += Double(input[row, j]) }
        mean /= Double(width)
        let centred = (0 ..< width).map { Double(input[row, $0]) - mean }
        let variance = centred.reduce(0) { $0 + $1 * $1 } / Double(width) + epsilon
        let (scale, slope) = inverse.valueAndDerivative(variance)
        return (centred, scale, slope)
    }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        precondition(input.columns == weight.columns, "\(specification) got a \(input.rows)×\(input.columns) input")
        output.ensureShape(rows: input.rows, columns: input.columns)
        for row in 0 ..< input.rows {
            let (centred, scale, _) = rowState(input, row)
            for j in centred.indices {
                output[row, j] = Scalar(Double(weight[0, j]) * centred[j] * scale + Double(bias[0, j]))
            }
        }
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        let width = input.columns
        inputGradient.ensureShape(rows: input.rows, columns: width)
        for row in 0 ..< input.rows {
            let (centred, scale, slope) = rowState(input, row)
            var s = 0.0
            for j in 0 ..< width {
                let upstream = Double(outputGradient[row, j])
                weightGradient[0, j] += Scalar(upstream * centred[j] * scale)
                biasGradient[0, j] += Scalar(upstream)
                s += upstream * Double(weight[0, j]) * centred[j]
            }
            guard needsInputGradient else { continue }
            let gradient = (0 ..< width).map { i in
                Double(outputGradient[row, i]) * Double(weight[0, i]) * scale + s * slope * 2 * centred[i] / Double(width)
            }
            let mean = gradient.reduce(0, +) / Double(width)
            for i in 0 ..< width { inputGradient[row, i] = Scalar(gradient[i] - mean) }
        }
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        body(&weight, &weightGradient)
        body(&bias, &biasGradient)
    }
}
