import Activations
import LinearAlgebra
import Testing
@testable import NeuralNetworks

@Suite("Swapping activations")
struct ActivationSwapTests {
    static func model(_ text: String) throws -> Sequential<Double> {
        var generator = SeededGenerator(seed: 11)
        return try Architecture(parsing: text).makeModel(as: Double.self, using: &generator)
    }

    /// Every fixed activation is replaced by the learnable one fitted to it (init= added), the
    /// other layers keep their parameters, and on pre-activations inside [−3, 3] (where the fit
    /// is made) the swapped network computes nearly what the original does: a Hermite fit of
    /// degree 8 to GELU errs by ≤ 3.1e-3 there (its fit quality, measured by the fitted
    /// initialization's tests), times ‖W₂‖∞ ≤ 1.2 for these weights, with a margin of 2.
    @Test func swappedNetworkStartsAsTheOriginal() throws {
        var original = try Self.model("dense(3,4) gelu dense(4,2)")
        var generator = SeededGenerator(seed: 12)
        var swapped = try original.swappingActivations(for: "hermite(deg=8)", using: &generator)
        #expect(swapped.specification == "dense(3,4) hermite(deg=8) dense(4,2)")
        #expect((swapped.layers[0] as? Dense<Double>)?.weight == (original.layers[0] as? Dense<Double>)?.weight)
        let hermite = try #require(swapped.layers[1] as? HermiteActivation<Double>)
        let expected = try HermiteInitialization.fitting(.gelu).coefficients(degree: 8)
        #expect(hermite.coefficients.row(0) == expected)
        // Small inputs keep the pre-activations well inside [−3, 3].
        let inputs = Matrix<Double>.randomNormal(rows: 50, columns: 3, standardDeviation: 0.3, using: &generator)
        let (a, b) = (original(inputs), swapped(inputs))
        let output = try #require(original.layers[2] as? Dense<Double>)
        let rowSum = (0 ..< 2).map { row in (0 ..< 4).reduce(0.0) { $0 + abs(output.weight[row, $1]) } }.max() ?? 0
        for (x, y) in zip(a.elements, b.elements) { #expect(abs(x - y) <= 2 * 3.1e-3 * rowSum) }
        // An explicit init= is kept.
        let explicit = try original.swappingActivations(for: "hermite(deg=4,init=ones)", using: &generator)
        #expect((explicit.layers[1] as? HermiteActivation<Double>)?.coefficients.row(0) == [1, 1, 1, 1, 1])
    }

    @Test func badReplacementsAreRefused() throws {
        let original = try Self.model("dense(3,4) relu dense(4,2)")
        var generator = SeededGenerator(seed: 13)
        #expect(throws: ActivationSwapError.notOneLayer("relu relu")) {
            try original.swappingActivations(for: "relu relu", using: &generator)
        }
        #expect(throws: ActivationSwapError.cannotFit(replacement: "tropical(deg=3)", activation: "relu")) {
            try original.swappingActivations(for: "tropical(deg=3)", using: &generator)
        }
        #expect(throws: ActivationSwapError.cannotFit(replacement: "dense(4,4)", activation: "relu")) {
            try original.swappingActivations(for: "dense(4,4)", using: &generator)
        }
        #expect(throws: ActivationSwapError.noActivations("poly(3,2,deg=2)")) {
            try Self.model("poly(3,2,deg=2)").swappingActivations(for: "hermite(deg=3)", using: &generator)
        }
    }
}
