import LinearAlgebra
import NeuralNetworks
import Testing

/// Finite-difference checks of every layer's backward pass (tolerances in GradientCheck.swift).
struct LayerGradientTests {
    /// A 4×5 input with entries in ±[0.1, 1.5]: away from ReLU's kink at 0, inside the range
    /// where LayerNorm, tanh and the polynomial features are well conditioned.
    static func input(rows: Int = 4, columns: Int = 5, seed: UInt64 = 1) -> Matrix<Double> {
        var generator = SeededGenerator(seed: seed)
        return Matrix(rows: rows, columns: columns, elements: (0 ..< rows * columns).map { _ in
            Double.random(in: 0.1 ... 1.5, using: &generator) * (Bool.random(using: &generator) ? 1 : -1)
        })
    }

    @Test func dense() {
        var generator = SeededGenerator(seed: 2)
        expectGradientsMatchFiniteDifferences(Dense<Double>(inputWidth: 5, outputWidth: 3, using: &generator),
                                              input: Self.input())
    }

    @Test(arguments: ActivationFunction.allCases)
    func activation(_ function: ActivationFunction) {
        expectGradientsMatchFiniteDifferences(ActivationLayer<Double>(function), input: Self.input())
    }

    @Test func layerNorm() {
        var layer = LayerNorm<Double>(width: 5)
        randomizeParameters(&layer, seed: 3)
        expectGradientsMatchFiniteDifferences(layer, input: Self.input())
    }

    @Test(arguments: PolynomialBasis.allCases, [0, 1, 2, 3, 5])
    func polynomial(_ basis: PolynomialBasis, degree: Int) {
        var generator = SeededGenerator(seed: 4)
        let layer = PolynomialLayer<Double>(inputWidth: 5, outputWidth: 3, degree: degree, basis: basis,
                                            using: &generator)
        expectGradientsMatchFiniteDifferences(layer, input: Self.input())
    }

    @Test func sequentialOfEveryKind() throws {
        var generator = SeededGenerator(seed: 5)
        var model: Sequential<Double> = try Architecture(
            parsing: "poly(5,4,deg=3,basis=hermite) layernorm(4) gelu dense(4,4) tanh poly(4,3,deg=2,basis=chebyshev)")
            .makeModel(using: &generator)
        randomizeParameters(&model, seed: 6)
        expectGradientsMatchFiniteDifferences(model, input: Self.input())
    }
}
