import Activations
import Foundation
@testable import Polynomials
import Testing

/// Inputs at the edges of Double: every one gives a typed error or a finite answer, never a
/// trap, a hang, or NaN/∞ reported as a result.
@Suite struct ExtremeInputTests {
    private static let gelu: @Sendable (Double) -> Double = { $0 * 0.5 * erfc(-$0 / 2.0.squareRoot()) }

    @Test func intervalsMustBeResolvableInDouble() throws {
        #expect(throws: PolynomialError.intervalTooWide(lower: -1e308, upper: 1e308)) {
            try Polynomial.validateInterval(-1e308 ... 1e308)
        }
        // Width finite (0.5e308) but the midpoint's a + b overflows.
        #expect(throws: PolynomialError.intervalTooWide(lower: 1e308, upper: 1.5e308)) {
            try Polynomial.validateInterval(1e308 ... 1.5e308)
        }
        // 1e-6 wide at 1e6: below 2^-32·1e6 ≈ 2.3e-4.
        #expect(throws: PolynomialError.intervalNotResolvable(lower: 1e6, upper: 1e6 + 1e-6)) {
            try Polynomial.validateInterval(1e6 ... 1e6 + 1e-6)
        }
        // Near the subnormals the floor 2^-960 applies (width ≥ 2^-992 ≈ 2.4e-299).
        #expect(throws: PolynomialError.intervalNotResolvable(lower: -1e-300, upper: 1e-300)) {
            try Polynomial.validateInterval(-1e-300 ... 1e-300)
        }
        #expect(throws: PolynomialError.invalidInterval(lower: -.infinity, upper: 1)) {
            try Polynomial.validateInterval(-.infinity ... 1)
        }
        try Polynomial.validateInterval(1e6 ... 1.001e6)
        try Polynomial.validateInterval(-1e300 ... 1e300)
        // The boundary itself: width exactly 2^-32·|b| is accepted, one ulp less is not.
        let b = 0x1p32
        try Polynomial.validateInterval(b - 1 ... b)
        #expect(throws: PolynomialError.self) { try Polynomial.validateInterval((b - 1).nextUp ... b) }
    }

    @Test func fittersRefuseOverflowingIntervalsWithTypedErrors() {
        let huge = -1e308 ... 1e308
        #expect(throws: PolynomialError.intervalTooWide(lower: -1e308, upper: 1e308)) {
            try Polynomial.minimax(of: Self.gelu, degree: 8, on: huge)
        }
        #expect(throws: PolynomialError.intervalTooWide(lower: -1e308, upper: 1e308)) {
            try Polynomial.chebyshevInterpolant(of: Self.gelu, degree: 8, on: huge)
        }
        #expect(throws: PolynomialError.intervalTooWide(lower: -1e308, upper: 1e308)) {
            try RationalFunction.minimax(of: Self.gelu, numeratorDegree: 2, denominatorDegree: 2, on: huge)
        }
        #expect(throws: PolynomialError.intervalTooWide(lower: -1e308, upper: 1e308)) {
            try Activation.gelu.approximation(ApproximationRequest(method: .leastSquares, degree: 3, interval: huge))
        }
        #expect(throws: PolynomialError.intervalTooWide(lower: -1e308, upper: 1e308)) {
            try ApproximationErrorReport(of: Self.gelu, against: Self.gelu, on: huge)
        }
    }

    /// On [1e6, 1.001e6] the spacing of Double (1.2e-10) exceeds the error report's absolute
    /// refinement tolerance (1e-13·half-width = 5e-11): golden section must stop on its
    /// relative floor. GELU is x there (Φ(1e6) = 1 in Double), a polynomial of degree 1, so
    /// every method reproduces it up to the rounding of its own sums: at most a few (n + 1)
    /// ulps of max|f| per coefficient; 64·(n + 1)·ε·max|f| ≈ 1.1e-7 bounds it for n = 7.
    @Test(arguments: [ApproximationMethod.minimax, .chebyshev, .leastSquares, .taylor])
    func narrowIntervalsFarFromZeroFinish(method: ApproximationMethod) throws {
        let fit = try Activation.gelu.approximation(ApproximationRequest(method: method, degree: 7, interval: 1e6 ... 1.001e6))
        #expect(fit.errors.maxError <= 64 * 8 * Double.ulpOfOne * 1.001e6, "\(fit.errors.maxError)")
        #expect(fit.errors.rmsUniform <= fit.errors.maxError)
    }

    @Test func goldenSectionStopsAtTheSpacingOfDouble() throws {
        // An absolute tolerance of 1e-300 on a bracket at 1e15 (spacing 0.125): stops on the
        // relative floor 4ε·1e15 ≈ 0.9 within ⌈log(1/0.9)/log(1/0.618)⌉ + 1 steps, at the peak.
        let peak = 1e15 + 0.5
        let (t, value) = try goldenSectionMaximum(of: { -abs($0 - peak) }, in: 1e15, 1e15 + 1, tolerance: 1e-300)
        #expect(abs(t - peak) <= 1 && value <= 0)
    }

    @Test func newtonInverseRefusesHopelessDenominators() throws {
        #expect(throws: PolynomialError.self) {
            try EvaluationCost.newtonInverseSteps(denominatorRange: 1 ... 1e30, relativeError: 1e-6)
        }
        // q_max/q_min overflows.
        #expect(throws: PolynomialError.self) {
            try EvaluationCost.newtonInverseSteps(denominatorRange: 1e-300 ... 1e300, relativeError: 1e-6)
        }
        // κ = 2^40 is slow but finite: e_0 = 1 − 2/(κ + 1), and squaring k times gives
        // (1 − 2^-39)^(2^k) ≤ 1e-6 once 2^k ≥ 2^39·ln(1e6) ≈ 13.8·2^39, counting the
        // first step: k = 43 is the least k with 2^(k − 39) ≥ ln(1e6) = 13.8 (2^4 = 16; 2^3 = 8
        // is short). Rounding in the 42 squarings moves ln e_k by about 2^-14 relative, far
        // inside the 16/13.8 margin.
        #expect(try EvaluationCost.newtonInverseSteps(denominatorRange: 1 ... 0x1p40, relativeError: 1e-6) == 43)
    }

    @Test func errorReportScalesItsIntegralsAndNamesOverflow() throws {
        // p − f = c exactly with c = 1e300 or 1e-300: every error is |c| (the RMS integrals of
        // ((f − p)/c)² = 1 are 1 up to the quadrature's rounding, a few ulps per node summed
        // over 20 nodes × 128 panels, < 1e-12 relative) although c² overflows or underflows.
        for c in [1e300, 1e-300] {
            let report = try ApproximationErrorReport(of: { _ in c }, against: { _ in 0 }, on: -1 ... 1,
                                                      gaussian: (mean: 0, standardDeviation: 1))
            #expect(report.maxError == c)
            #expect(abs(report.rmsUniform - c) <= 1e-12 * c, "\(report.rmsUniform)")
            #expect(abs(try #require(report.rmsGaussian) - c) <= 1e-12 * c)
        }
        // A polynomial that overflows outside [-1, 1]: T_1000(t) = cosh(1000·acosh t) is
        // e^443/2 ≈ 1e192 at t = 1.1 but e^962/2 > 1.8e308 at 1.5 and beyond at 2.
        var unit = [Double](repeating: 0, count: 1001)
        unit[1000] = 1
        let t1000 = Polynomial(coefficients: unit, basis: .chebyshev(on: -1 ... 1))
        let report = try ApproximationErrorReport(of: { t1000($0) }, against: { _ in 0 }, on: -1 ... 1)
        #expect(report.maxError.isFinite)
        #expect(report.outside.map(\.overflows) == [false, true, true])
        #expect(report.outside.dropFirst().allSatisfy { $0.error == .infinity })
        // Overflow on the interval itself is an error, not a result.
        #expect(throws: PolynomialError.self) {
            try ApproximationErrorReport(of: { $0 * 1e308 * 10 }, against: { _ in 0 }, on: -1 ... 1)
        }
        #expect(throws: PolynomialError.invalidGaussian(mean: 1e308, standardDeviation: 1e307)) {
            try ApproximationErrorReport(of: { $0 }, against: { $0 }, on: -1 ... 1, gaussian: (mean: 1e308, standardDeviation: 1e307))
        }
    }

    @Test func monomialConversionOverflowIsAnError() throws {
        let p = try Polynomial.chebyshevInterpolant(of: Self.gelu, degree: 1000, on: -6 ... 6)
        #expect(throws: PolynomialError.conversionOverflow(degree: 1000, target: "monomial")) {
            try p.conversionReport(to: .monomial, on: -6 ... 6)
        }
        // A finite but hopeless conversion reports a finite condition number, not 0.
        let q = try Polynomial.chebyshevInterpolant(of: Self.gelu, degree: 60, on: -16 ... 16)
        let report = try q.conversionReport(to: .monomial, on: -16 ... 16)
        #expect(report.evaluationConditionNumber.isFinite && report.digitsLost > 8)
    }
}
