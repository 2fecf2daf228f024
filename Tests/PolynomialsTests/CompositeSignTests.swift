import Foundation
import Polynomials
import Testing

/// Composite minimax sign: certified bounds hold on samples, stages chain, costs add up.
@Suite struct CompositeSignTests {
    /// max |P(x) − sign(x)| over `count` points of [ε, 1] (P is odd: the negative half mirrors it),
    /// half uniform and half log-spaced so the band edge is sampled densely.
    static func sampledError(_ p: CompositeSignApproximation, count: Int) -> Double {
        var largest = 0.0
        for i in 0 ..< count / 2 {
            let u = Double(i) / Double(count / 2 - 1)
            let uniform = p.epsilon + (1 - p.epsilon) * u
            let logarithmic = min(1, p.epsilon * pow(1 / p.epsilon, u))
            largest = max(largest, abs(p(uniform) - 1), abs(p(logarithmic) - 1), abs(p(-uniform) + 1))
        }
        return largest
    }

    /// Rounding of evaluating P in Double: each stage's Clenshaw errs by at most ~4ε·‖c‖₁
    /// (‖c‖₁ < 4 for these odd sign fits), propagated through later stages whose slope on their
    /// input union is below 1 (they contract towards ±1); 64ε per stage covers it.
    static func rounding(_ p: CompositeSignApproximation) -> Double { 64 * Double.ulpOfOne * Double(p.stages.count) }

    @Test func searchMeetsAlphaEightAndTheBoundHoldsOnSamples() throws {
        // Degrees up to 15 keep the debug-build table small; the release figures use 31.
        let p = try CompositeSignApproximation.search(epsilon: 0x1p-8, alpha: 8, minimizing: .depth, maximumDegree: 15)
        #expect(p.errorBound <= 0x1p-8)
        #expect(Self.sampledError(p, count: 100_000) <= p.errorBound + Self.rounding(p))
        #expect(p.depth == p.stages.reduce(0) { $0 + EvaluationCost.optimalDepth(degree: $1.degree) })
        #expect(p.multiplications == p.stages.reduce(0) { $0 + EvaluationCost.oddBabyStepGiantStep(degree: $1.degree).nonScalarMultiplications })
        // Inside the band |x| < ε the output stays within the certified bound.
        let band = (0 ... 1000).map { Double($0) / 1000 * p.epsilon }
        #expect(band.allSatisfy { abs(p($0)) <= p.outputBound + Self.rounding(p) })
        // Each stage's input is the previous stage's image: its lower end is (1 − δ)/(1 + δ)-ish,
        // so it only grows, and the errors fall.
        for (previous, stage) in zip(p.stages, p.stages.dropFirst()) {
            #expect(stage.input.lowerBound > previous.input.lowerBound)
            #expect(stage.error < previous.error)
            #expect(stage.lowerBound <= stage.error)
        }
        // Minimizing products never needs more products than minimizing depth.
        let cheap = try CompositeSignApproximation.search(epsilon: 0x1p-8, alpha: 8, minimizing: .multiplications, maximumDegree: 15)
        #expect(cheap.multiplications <= p.multiplications)
        #expect(cheap.depth >= p.depth)
        #expect(cheap.errorBound <= 0x1p-8)
    }

    @Test func fixedDegreesAsLattigoTakesThem() throws {
        let p = try CompositeSignApproximation(epsilon: 0x1p-6, degrees: [7, 15, 15])
        #expect(p.stages.map(\.degree) == [7, 15, 15])
        #expect(Self.sampledError(p, count: 20_000) <= p.errorBound + Self.rounding(p))
        // Stage 1 on [2⁻⁶, 1] is the union fit of UnionMinimaxTests (degree 7: E = 0.8339…).
        #expect(abs(p.stages[0].error - 8.339014229523061e-01) <= 1e-9)
        // Every stage is odd, in the Chebyshev basis on [-1, 1].
        for stage in p.stages {
            #expect(stage.polynomial.basis == .chebyshev(on: -1 ... 1))
            #expect(stride(from: 0, through: stage.degree, by: 2).allSatisfy { stage.polynomial.coefficients[$0] == 0 })
        }
    }

    /// Lattigo's published DefaultCompositePolynomialForSign (circuits/ckks/comparison/
    /// comparison.go, tuneinsight/lattigo commit c1fd095f), computed with
    /// GenMinimaxCompositePolynomialForSign(256, 30, 35, [15, 15, 15, 17, 31, …]): ε = 2⁻³⁰, scheme
    /// error 2⁻³⁵, each row divided by the next stage's bound. Its first row, odd coefficients
    /// c_1, c_3, …, c_15.
    static let lattigoRows: [[Double]] = [
        [0.6371462957672043333, -0.2138032460610765328, 0.1300439303835664499, -0.0948842756566191044,
         0.0760417811618939909, -0.0647714820920817557, 0.0577904411211959048, -0.5275634328386103792],
    ]

    @Test func firstStageMatchesLattigosPublishedComposite() throws {
        let p = try CompositeSignApproximation(epsilon: 0x1p-30, degrees: [15, 15], schemeError: 0x1p-35)
        // Lattigo stops its Remez when (max − min)/min < 2^-30 ≈ 9.3e-10 (its alpha): its levelled
        // error, and the interpolation through 9 alternation points that fixes each coefficient
        // (|c_k| < 1; odd Chebyshev terms at those points have a Lebesgue constant below 4), are
        // off by at most 4·9.3e-10 < 4e-9; ours levels to 1e-12 and adds a 1e-9·δ margin to the
        // normalizing bound (a relative 1e-9 on |c_k| < 1). Later rows inherit each stage's error
        // through the next union's ends, which amplifies Lattigo's tolerance stage by stage, so
        // only the first row is compared.
        let odd = stride(from: 1, through: 15, by: 2).map { p.stages[0].polynomial.coefficients[$0] }
        for (mine, theirs) in zip(odd, Self.lattigoRows[0]) {
            #expect(abs(mine - theirs) <= 5e-9, "\(mine) vs Lattigo \(theirs)")
        }
    }

    @Test func badParametersThrow() {
        #expect(throws: CompositeSignError.invalidEpsilon(1)) { try CompositeSignApproximation.search(epsilon: 1, alpha: 8) }
        #expect(throws: CompositeSignError.invalidEpsilon(0)) { try CompositeSignApproximation.search(epsilon: 0, alpha: 8) }
        #expect(throws: CompositeSignError.self) { try CompositeSignApproximation(epsilon: .nan, degrees: [3]) }
        #expect(throws: CompositeSignError.invalidAlpha(0)) { try CompositeSignApproximation.search(epsilon: 0.1, alpha: 0) }
        #expect(throws: CompositeSignError.invalidAlpha(-3)) { try CompositeSignApproximation.search(epsilon: 0.1, alpha: -3) }
        #expect(throws: CompositeSignError.invalidDegree(4)) { try CompositeSignApproximation(epsilon: 0.1, degrees: [4]) }
        #expect(throws: CompositeSignError.invalidDegree(65)) { try CompositeSignApproximation(epsilon: 0.1, degrees: [65]) }
        #expect(throws: CompositeSignError.noStages) { try CompositeSignApproximation(epsilon: 0.1, degrees: []) }
        #expect(throws: CompositeSignError.invalidSchemeError(0.2)) { try CompositeSignApproximation(epsilon: 0.1, degrees: [3], schemeError: 0.2) }
        #expect(throws: CompositeSignError.invalidSchemeError(-1)) { try CompositeSignApproximation(epsilon: 0.1, degrees: [3], schemeError: -1) }
    }
}
