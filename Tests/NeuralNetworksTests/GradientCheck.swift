import LinearAlgebra
import NeuralNetworks
import TestSupport
import Testing

/// Checks a layer's backward pass against central finite differences, in Double.
///
/// The scalar loss is L = Σ R ⊙ layer(X) for a fixed random R, so ∂L/∂output = R. Each
/// input element and parameter element is moved by ±h and (L(+h) − L(−h)) / 2h compared
/// with the analytic gradient. With h = 1e-5 the truncation error is O(h²·|L‴|) ≈ 1e-10 and
/// the rounding error O(ε·|L|/h) ≈ 1e-10 for |L| ≲ 10, so 1e-6 absolute + 1e-6 relative
/// leaves four orders of margin while a wrong term (errors of order 1e-2 and up) fails.
func expectGradientsMatchFiniteDifferences<L: Layer>(
    _ layer: L, input: Matrix<Double>, seed: UInt64 = 7,
    sourceLocation: SourceLocation = #_sourceLocation
) where L.Scalar == Double {
    var generator = SeededGenerator(seed: seed)
    var probe = layer
    var output = Matrix<Double>(rows: 0, columns: 0)
    probe.forward(input, into: &output, training: true)
    let weights = Matrix<Double>.randomNormal(rows: output.rows, columns: output.columns, using: &generator)

    func loss(_ candidate: L, _ x: Matrix<Double>) -> Double {
        var copy = candidate
        var y = Matrix<Double>(rows: 0, columns: 0)
        copy.forward(x, into: &y, training: true)
        return (y * weights).sum()
    }

    var analytic = layer
    var forwardOutput = Matrix<Double>(rows: 0, columns: 0)
    analytic.forward(input, into: &forwardOutput, training: true)
    analytic.zeroGradients()
    var inputGradient = Matrix<Double>(rows: 0, columns: 0)
    analytic.backward(weights, input: input, output: forwardOutput, inputGradient: &inputGradient,
                      needsInputGradient: true)

    let h = 1e-5
    var numericInput = input
    for index in input.elements.indices {
        var plus = input, minus = input
        plus.elements[index] += h
        minus.elements[index] -= h
        numericInput.elements[index] = (loss(layer, plus) - loss(layer, minus)) / (2 * h)
    }
    expectClose(inputGradient, numericInput, absolute: 1e-6, relative: 1e-6, "input gradient of \(layer.specification)",
                sourceLocation: sourceLocation)

    let analyticGradients = analytic.parameterGradients
    for (parameterIndex, (name, gradient)) in analyticGradients.enumerated() {
        var numeric = gradient
        for element in gradient.elements.indices {
            numeric.elements[element] = (loss(perturbed(layer, parameterIndex, element, by: h), input)
                - loss(perturbed(layer, parameterIndex, element, by: -h), input)) / (2 * h)
        }
        expectClose(gradient, numeric, absolute: 1e-6, relative: 1e-6, "gradient of \(name) in \(layer.specification)",
                    sourceLocation: sourceLocation)
    }
}

/// Sets every parameter of `layer` to N(0, scale²) values so checks do not rely on a
/// special initialization (γ = 1, β = 0).
func randomizeParameters<L: Layer>(_ layer: inout L, scale: L.Scalar = 0.5, seed: UInt64) {
    var generator = SeededGenerator(seed: seed)
    layer.visitParameters { value, _ in
        value = .randomNormal(rows: value.rows, columns: value.columns, standardDeviation: scale, using: &generator)
    }
}
