import LinearAlgebra
import NeuralNetworks
import TestSupport
import Testing

/// The gated linear unit and the bilinear layer: finite differences, the forward formula and
/// the PyTorch parameter names.
struct GatedLinearUnitTests {
    @Test(arguments: [ActivationFunction.sigmoid, .silu, .gelu, .tanh, nil])
    func gradients(_ gate: ActivationFunction?) {
        var generator = SeededGenerator(seed: 30)
        var layer = GatedLinearUnit<Double>(inputWidth: 5, hiddenWidth: 4, outputWidth: 3, gate: gate, using: &generator)
        randomizeParameters(&layer, seed: 31)
        expectGradientsMatchFiniteDifferences(layer, input: LayerGradientTests.input())
    }

    /// The first layer of a model skips the input gradient but must still produce every
    /// parameter gradient (compared with a full backward pass, exactly: same operations).
    @Test func parameterGradientsDoNotDependOnTheInputGradient() {
        var generator = SeededGenerator(seed: 32)
        var full = GatedLinearUnit<Double>(inputWidth: 5, hiddenWidth: 4, outputWidth: 3, gate: .silu, using: &generator)
        var partial = full
        let x = LayerGradientTests.input()
        let dy = Matrix<Double>.randomNormal(rows: 4, columns: 3, using: &generator)
        var (y, dx) = (Matrix<Double>(rows: 0, columns: 0), Matrix<Double>(rows: 0, columns: 0))
        full.forward(x, into: &y, training: true)
        full.backward(dy, input: x, output: y, inputGradient: &dx, needsInputGradient: true)
        partial.forward(x, into: &y, training: true)
        partial.backward(dy, input: x, output: y, inputGradient: &dx, needsInputGradient: false)
        for (a, b) in zip(full.parameterGradients, partial.parameterGradients) {
            expectClose(a.value, b.value, absolute: 0, "\(a.name)")
        }
    }

    /// Bilinear: y = W_d·((W_g·x + b_g) ⊙ (W_u·x + b_u)) + b_d computed with matrix products
    /// and an explicit Hadamard product. Tolerance 2e-13 absolute, twice (one per side, each in
    /// its own BLAS summation order) the worst-case rounding bound (u = 2⁻⁵³,
    /// γ_n = n·u/(1 − n·u)): the gate and up rows sum 6 terms (5 products and the bias) with
    /// |W|, |b| ≤ 1/√5 and |x| ≤ 1.5, so |g|, |u| ≤ 3.8 and δg, δu ≤ γ₆·3.8 ≈ 2.5e-15; the
    /// product adds δh ≤ |g|·δu + |u|·δg + u·|h| ≈ 2.1e-14 at |h| ≤ 14.4; the output sums 5
    /// terms with |W_d|, |b_d| ≤ 1/2: δy ≤ 4·0.5·2.1e-14 + γ₅·(4·0.5·14.4 + 0.5) ≈ 5.8e-14,
    /// so the sides differ by at most 1.2e-13 whatever the cancellation in y.
    @Test func bilinearMatchesFormula() {
        var generator = SeededGenerator(seed: 33)
        let layer = GatedLinearUnit<Double>(inputWidth: 5, hiddenWidth: 4, outputWidth: 3, gate: nil, using: &generator)
        let x = LayerGradientTests.input()
        func affine(_ dense: Dense<Double>, _ input: Matrix<Double>) -> Matrix<Double> {
            var product = input.multiplied(by: dense.weight, transposingOther: true)
            for row in 0 ..< product.rows {
                for column in 0 ..< product.columns { product[row, column] += dense.bias[0, column] }
            }
            return product
        }
        let hidden = affine(layer.gateProjection, x) * affine(layer.upProjection, x)
        expectClose(layer(x), affine(layer.downProjection, hidden), absolute: 2e-13)
    }

    @Test func parameterNamesMatchPyTorch() throws {
        var generator = SeededGenerator(seed: 34)
        let model: Sequential<Float> = try Architecture(parsing: "glu(6,4,2) relu").makeModel(using: &generator)
        #expect(model.parameterInfo == [
            ParameterInfo(name: "0.gate_proj.weight", shape: [4, 6]), ParameterInfo(name: "0.gate_proj.bias", shape: [4]),
            ParameterInfo(name: "0.up_proj.weight", shape: [4, 6]), ParameterInfo(name: "0.up_proj.bias", shape: [4]),
            ParameterInfo(name: "0.down_proj.weight", shape: [2, 4]), ParameterInfo(name: "0.down_proj.bias", shape: [2]),
        ])
        #expect(model.specification == "glu(6,4,2,act=sigmoid) relu")
    }
}
