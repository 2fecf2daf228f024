import Activations
import Foundation
import Polynomials
import Testing

/// Activation projections and fits at the edges of Double: a typed error or a finite answer,
/// never a trap or NaN/∞ reported as a result.
@Suite struct ExtremeActivationInputTests {
    /// ReLU under N(0, σ²): c_0 = σ·φ(0), c_1 = σ/2, c_2 = σ·φ(0)/2 (scale-equivariance of the
    /// closed form). With r = hypot(σ, 0) = σ exactly these are a few roundings each: 1e-15
    /// relative.
    @Test(arguments: [1e300, 1e-300, 1e200])
    func reluProjectionSurvivesExtremeStandardDeviations(std: Double) throws {
        let c = try Activation.relu.probabilistsHermiteCoefficients(mean: 0, standardDeviation: std, degree: 4)
        let phi0 = 1 / (2 * Double.pi).squareRoot()
        #expect(c.allSatisfy { $0.isFinite })
        #expect(abs(c[0] - std * phi0) <= 1e-15 * std * phi0)
        #expect(abs(c[1] - std / 2) <= 1e-15 * std / 2)
        #expect(abs(c[2] - std * phi0 / 2) <= 1e-15 * std * phi0 / 2)
    }

    @Test func requestsAreValidatedBeforeFitting() {
        let interval = -6.0 ... 6.0
        #expect(throws: ActivationError.invalidCenter(.infinity)) {
            try ApproximationRequest(method: .taylor, degree: 3, interval: interval, center: .infinity).validate()
        }
        #expect(throws: ActivationError.invalidDenominatorDegree(51, maximum: 50)) {
            try ApproximationRequest(method: .pade, degree: 3, interval: interval, denominatorDegree: 51).validate()
        }
        #expect(throws: ActivationError.invalidDenominatorDegree(-1, maximum: 50)) {
            try ApproximationRequest(method: .rationalMinimax, degree: 3, interval: interval, denominatorDegree: -1).validate()
        }
        #expect(throws: PolynomialError.invalidDegree(201, maximum: 200)) {
            try ApproximationRequest(method: .minimax, degree: 201, interval: interval).validate()
        }
        #expect(throws: PolynomialError.invalidDegree(Int.max, maximum: 1000)) {
            try ApproximationRequest(method: .chebyshev, degree: Int.max, interval: interval).validate()
        }
        #expect(throws: ActivationError.invalidStandardDeviation(-1)) {
            try ApproximationRequest(method: .gaussian, degree: 3, interval: interval, gaussian: (0, -1)).validate()
        }
        #expect(throws: PolynomialError.invalidGaussian(mean: 1e308, standardDeviation: 1e307)) {
            try ApproximationRequest(method: .gaussian, degree: 3, interval: interval, gaussian: (1e308, 1e307)).validate()
        }
    }

    @Test func depthBudgetsApplyToPolynomialsOnly() throws {
        let rational = ApproximationRequest(method: .rationalMinimax, degree: 8, interval: -8 ... 8)
        #expect(throws: ActivationError.depthBudgetNeedsPolynomial(method: "rational-minimax")) {
            try rational.largestDegree(forDepth: 12)
        }
        let minimax = ApproximationRequest(method: .minimax, degree: 8, interval: -6 ... 6)
        #expect(throws: ActivationError.noDegreeFitsDepth(1)) { try minimax.largestDegree(forDepth: 1) }
        #expect(throws: ActivationError.noDegreeFitsDepth(-1)) { try minimax.largestDegree(forDepth: -1) }
        // Depth 6 with the map: degree 27 (OpenFHE's table); no budget exceeds the method's cap.
        #expect(try minimax.largestDegree(forDepth: 6) == 27)
        #expect(try minimax.largestDegree(forDepth: .max) == 200)
    }

    @Test func fitsNeverReportNonFiniteFigures() throws {
        // Degree-1000 Chebyshev interpolation: accurate on [-6, 6], overflowing at 1.5× and 2×.
        let fit = try Activation.gelu.approximation(ApproximationRequest(method: .chebyshev, degree: 1000, interval: -6 ... 6))
        #expect(fit.errors.maxError.isFinite && fit.errors.rmsUniform.isFinite)
        #expect(fit.errors.outside.filter(\.overflows).map(\.factor) == [1.5, 2])
        // A Taylor series whose coefficients overflow is refused.
        #expect(throws: PolynomialError.self) {
            try Activation.gelu.approximation(ApproximationRequest(method: .taylor, degree: 8, interval: -6 ... 6, center: 1e308))
        }
        // σ = 1e300 (the default range mean ± 3σ is wide but representable).
        let wide = try Activation.relu.approximation(ApproximationRequest(method: .gaussian, degree: 8, interval: -3e300 ... 3e300,
                                                                          gaussian: (0, 1e300)))
        #expect(wide.errors.maxError.isFinite && wide.errors.rmsUniform.isFinite && (wide.errors.rmsGaussian?.isFinite ?? false))
    }

    @Test func smallestResolvableErrorIsTwoUlpsOfTheLargestValue() throws {
        // max |GELU| on [-6, 6] is GELU(6) = 6·Φ(6) = 6·(1 − 9.9e-10) (A&S 26.2.17 tail): 2ε·6
        // to 2e-9 relative.
        let floor = try Activation.gelu.smallestResolvableError(on: -6 ... 6)
        #expect(abs(floor - 2 * Double.ulpOfOne * 6) <= 2e-9 * floor)
    }
}
