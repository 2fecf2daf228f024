import LinearAlgebra
import Testing
import TestSupport
@testable import NeuralNetworks

/// Runs `dense` forward and backward on `x` with the output gradient `d` twice in a row, in
/// training mode (where it may leave zero inputs out of its products) and in evaluation mode (the
/// full products), the gradients accumulating in each; expects `usesReducedProducts` of the
/// training layer to be `reduces` after each forward pass, and both sides to agree.
///
/// Tolerance: each side sums the same products in another order (a reduced side leaves out exact
/// zeros), so each output is within γ_{n+1}·(|X|·|W|ᵀ + |b|) of the exact one (Higham, any
/// order) and twice that separates them. After p passes each side's weight gradient is a sum of
/// p·rows products plus one rounding per pass, within γ_{p(rows+1)}·p·|D|ᵀ·|X| of the exact
/// p·DᵀX: twice that separates them. The bias gradient is computed alike on both sides: equal.
/// `afterPass` adds checks of the training layer after each pass.
func expectTrainingProductsMatchTheFullOnes(
    _ dense: Dense<Float>, input x: Matrix<Float>, outputGradient d: Matrix<Float>,
    usesReducedProducts: (Dense<Float>) -> Bool, reduces: Bool,
    afterPass: (Dense<Float>, Int) -> Void = { _, _ in }, sourceLocation: SourceLocation = #_sourceLocation
) {
    let (rows, n) = (x.rows, x.columns)
    var (reduced, full) = (dense, dense)
    var (reducedOutput, fullOutput) = (Matrix<Float>(rows: 0, columns: 0), Matrix<Float>(rows: 0, columns: 0))
    var unused = Matrix<Float>(rows: 0, columns: 0)
    for pass in 1 ... 2 {
        reduced.forward(x, into: &reducedOutput, training: true)
        full.forward(x, into: &fullOutput, training: false)
        #expect(usesReducedProducts(reduced) == reduces, sourceLocation: sourceLocation)
        #expect(!usesReducedProducts(full), sourceLocation: sourceLocation)
        reduced.backward(d, input: x, output: reducedOutput, inputGradient: &unused, needsInputGradient: false)
        full.backward(d, input: x, output: fullOutput, inputGradient: &unused, needsInputGradient: false)

        var outputBound = magnitudeProduct(x, dense.weight, transposingB: true)
        outputBound.addToEachRow(dense.bias.elements.map { abs(Double($0)) })
        expectClose(reducedOutput, fullOutput, within: outputBound.map { 2 * gamma(n + 1, Float.self) * $0 },
                    "output, pass \(pass)", sourceLocation: sourceLocation)
        let gradientBound = magnitudeProduct(d, x, transposingA: true)
            .map { 2 * Double(pass) * gamma(pass * (rows + 1), Float.self) * $0 }
        expectClose(reduced.weightGradient, full.weightGradient, within: gradientBound, "weight gradient, pass \(pass)",
                    sourceLocation: sourceLocation)
        #expect(reduced.biasGradient == full.biasGradient, sourceLocation: sourceLocation)
        afterPass(reduced, pass)
    }
}
