import Activations
import LinearAlgebra
import Testing
import TestSupport
@testable import PolynomialConversion

/// The closed-form approximants against Monte-Carlo least squares (see `MonteCarloReference`).
///
/// Tolerances: a fitted coefficient differs from the projection by the mean of N independent
/// terms ψ_α·(f − p_k), so its standard error is √(Σψ_α²(f − p_k)²)/N; we allow 6 standard errors
/// (a false failure has probability ≈ 2·10⁻⁹ per comparison). R² and the total variance use
/// delta-method standard errors from the same samples, also at 6σ. Every case draws 5·10⁵
/// samples. To these statistical terms each comparison adds bounds on its deterministic
/// errors, which are all that remain when the approximant is exact (identity, bilinear at
/// degree ≥ 2): the rounding of the regressions and of evaluating f and p_k
/// (`MonteCarloReference.differenceRoundingBound`, `varianceRounding`, `rSquaredRounding`)
/// and the accuracy of the library's exact variances (`RoundingBounds.varianceErrorBound`).
@Suite("Approximants against Monte-Carlo least squares")
struct MonteCarloTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var activation: Activation
        var gated: Bool
        var samples: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "relu", activation: .relu, gated: false, samples: 500_000),
        Case(name: "gelu", activation: .gelu, gated: false, samples: 500_000),
        Case(name: "sigmoid", activation: .sigmoid, gated: false, samples: 500_000),
        Case(name: "tanh", activation: .tanh, gated: false, samples: 500_000),
        Case(name: "identity", activation: .identity, gated: false, samples: 500_000),
        Case(name: "glu-sigmoid", activation: .sigmoid, gated: true, samples: 500_000),
        Case(name: "bilinear", activation: .identity, gated: true, samples: 500_000),
    ]

    @Test(arguments: cases)
    func approximantsMatchMonteCarloLeastSquares(_ testCase: Case) throws {
        var generator = SeededGenerator(seed: 0xC0FFEE &+ UInt64(testCase.name.utf8.reduce(0) { $0 &* 31 &+ Int($1) } & 0xFFFF))
        let (d, n, o, maxDegree) = (4, 6, 2, 3)
        let block = try RandomBlocks.block(inputs: d, hidden: n, outputs: o, activation: testCase.activation,
                                           gated: testCase.gated, using: &generator)
        let distribution = try RandomBlocks.gaussian(dimension: d, using: &generator)
        let approximants = try (1 ... maxDegree).map { try PolynomialApproximant(of: block, degree: $0, under: distribution) }
        var reference = MonteCarloReference(dimension: d, maxDegree: maxDegree, outputCount: o)
        try reference.addSamples(count: testCase.samples, distribution: distribution, block: block,
                                 approximants: approximants, using: &generator)

        let variance = try approximants[maxDegree - 1].gaussianVariance()
        let libraryError = try RoundingBounds.varianceErrorBound(approximants[maxDegree - 1], truncation: variance.truncation)
        for output in 0 ..< o {
            let sampled = reference.outputVariance(output)
            #expect(abs(variance.total[output] - sampled.value)
                        <= 6 * sampled.standardError + variance.totalErrorBound[output] + libraryError[output] + reference.varianceRounding(output),
                    "total variance of output \(output): exact \(variance.total[output]) vs MC \(sampled.value) ± \(sampled.standardError)")
        }
        for k in 1 ... maxDegree {
            let exactR2 = variance.rSquared(degree: k)
            let factorizedR2 = try approximants[k - 1].gaussianVariance().rSquared()
            for output in 0 ..< o {
                // R² = A/T with A and T each within libraryError: |ΔR²| ≤ 2·libraryError/T,
                // twice that between two such computations.
                let r2Error = 2 * libraryError[output] / variance.total[output]
                #expect(abs(factorizedR2[output] - exactR2[output]) <= 2 * r2Error, "R² from the degree-\(k) approximant itself")
                let coefficientsMC = try reference.coefficients(degree: k, column: output)
                let coefficientsOurs = try reference.coefficients(degree: k, column: k * o + output)
                let rounding = try reference.differenceRoundingBound(degree: k, output: output)
                for feature in coefficientsMC.indices {
                    let error = reference.standardError(feature: feature, output: output, degree: k)
                    let difference = abs(coefficientsMC[feature] - coefficientsOurs[feature])
                    #expect(difference <= 6 * error + rounding,
                            "degree \(k), output \(output), feature \(reference.indices[feature]): MC \(coefficientsMC[feature]) vs ours \(coefficientsOurs[feature]) (SE \(error), rounding \(rounding))")
                }
                let sampled = reference.rSquared(degree: k, output: output)
                #expect(abs(exactR2[output] - sampled.value) <= 6 * sampled.standardError + r2Error + reference.rSquaredRounding(degree: k, output: output),
                        "R² degree \(k), output \(output): exact \(exactR2[output]) vs MC \(sampled.value) ± \(sampled.standardError)")
                if k > 1 { #expect(exactR2[output] >= variance.rSquared(degree: k - 1)[output]) }
            }
        }
    }
}
