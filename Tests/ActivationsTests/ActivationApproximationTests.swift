import Activations
import Foundation
import Polynomials
import Testing

@Suite struct ActivationApproximationTests {
    @Test func errorReportMeasuresAKnownOffset() throws {
        // p = f + 0.1 everywhere: every error measure is exactly 0.1 (up to quadrature rounding).
        let report = try ApproximationErrorReport(of: { sin($0) + 0.1 }, against: sin, on: -2 ... 3,
                                              gaussian: (mean: 0.5, standardDeviation: 2))
        #expect(abs(report.maxError - 0.1) <= 1e-15)
        #expect(abs(report.rmsUniform - 0.1) <= 1e-14)
        #expect(abs(report.rmsGaussian! - 0.1) <= 1e-12)
        #expect(report.outside.map(\.factor) == [1.1, 1.5, 2])
        #expect(report.outside.allSatisfy { abs($0.error - 0.1) <= 1e-15 })
    }

    @Test func chebyshevNotesWhenNodesMissTheKink() throws {
        let odd = try Activation.relu.approximation(ApproximationRequest(method: .chebyshev, degree: 7, interval: -4 ... 4))
        let even = try Activation.relu.approximation(ApproximationRequest(method: .chebyshev, degree: 8, interval: -4 ... 4))
        #expect(odd.notes.contains { $0.contains("kink") })
        #expect(even.notes.isEmpty)
        // The odd degree is worse despite one more coefficient's worth of freedom... the note is true.
        #expect(odd.errors.maxError > even.errors.maxError)
    }

    @Test func methodsThatDoNotApplyThrow() {
        #expect(throws: PolynomialError.self) {
            try Activation.sign.approximation(ApproximationRequest(method: .minimax, degree: 5, interval: -1 ... 1))
        }
        #expect(throws: PolynomialError.self) {
            try Activation.relu.approximation(ApproximationRequest(method: .taylor, degree: 5, interval: -1 ... 1))
        }
        #expect(throws: PolynomialError.self) {
            try Activation.gelu.approximation(ApproximationRequest(method: .minimax, degree: 1001, interval: -1 ... 1))
        }
        #expect(throws: (any Error).self) {
            try Activation.gelu.approximation(ApproximationRequest(method: .gaussian, degree: 3, interval: -1 ... 1,
                                                                   gaussian: (mean: 0, standardDeviation: 0)))
        }
    }

    @Test func gaussianFitUsesTheHermiteProjection() throws {
        let fit = try Activation.relu.approximation(ApproximationRequest(method: .gaussian, degree: 4, interval: -3 ... 3,
                                                                         gaussian: (mean: 0, standardDeviation: 1)))
        #expect(fit.polynomial.coefficients == (try Activation.relu.probabilistsHermiteCoefficients(mean: 0, standardDeviation: 1, degree: 4)))
        // The Hermite projection minimizes the Gaussian RMS error: a perturbed polynomial is worse.
        var perturbed = fit.polynomial
        perturbed.coefficients[2] += 0.01
        let worse = try ApproximationErrorReport(of: { perturbed($0) }, against: Activation.relu.value, on: -3 ... 3,
                                             breakpoints: [0], gaussian: (mean: 0, standardDeviation: 1))
        #expect(worse.rmsGaussian! > fit.errors.rmsGaussian!)
    }

    @Test func taylorOfGELUMatchesItsDerivatives() throws {
        let c = try Activation.gelu.taylorCoefficients(at: 0.3, count: 3)
        #expect(abs(c[0] - Activation.gelu(0.3)) <= 1e-16)
        #expect(abs(c[1] - Activation.gelu.derivative(0.3)) <= 1e-15)
        #expect(abs(c[2] - Activation.gelu.secondDerivative(0.3)! / 2) <= 1e-15)
    }
}
