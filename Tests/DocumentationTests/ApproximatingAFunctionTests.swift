import Foundation
import PolyNet
import Testing

/// The code of the article "Approximating a function" (Sources/PolyNet/PolyNet.docc/
/// ApproximatingAFunction.md), block for block; `ArticleCodeTests` checks that every Swift block
/// of the article appears here verbatim.
@Suite("Article: Approximating a function")
struct ApproximatingAFunctionTests {
    @Test func minimaxWithCertificate() throws {
        let fit = try Activation.gelu.approximation(
            ApproximationRequest(method: .minimax, degree: 8, interval: -6 ... 6))
        // No polynomial of degree 8 errs by less than lowerBound on [-6, 6]; this one errs by maxError.
        let certificate = fit.lowerBound! ... fit.errors.maxError
        let value = fit(1.5)  // p(1.5), ≈ gelu(1.5)
        #expect(certificate.lowerBound > 0 && certificate.upperBound < 0.05)
        #expect(abs(value - Activation.gelu.value(1.5)) <= fit.errors.maxError)
    }

    @Test func methods() throws {
        for method in [ApproximationMethod.chebyshev, .leastSquares, .minimax, .hermite] {
            let fit = try Activation.gelu.approximation(
                ApproximationRequest(method: method, degree: 8, interval: -6 ... 6))
            print(method.rawValue, fit.errors.maxError, fit.errors.rmsUniform)
        }
        let underGaussian = try Activation.relu.approximation(
            ApproximationRequest(method: .gaussian, degree: 4, interval: -4 ... 4,
                                 gaussian: (mean: 0, standardDeviation: 1)))
        let rational = try Activation.gelu.approximation(
            ApproximationRequest(method: .rationalMinimax, degree: 6, interval: -8 ... 8, denominatorDegree: 6))
        #expect(underGaussian.errors.rmsGaussian! < underGaussian.errors.maxError)
        #expect(rational.denominator != nil && rational.errors.maxError < 1e-2)
    }

    @Test func homomorphicCost() throws {
        let fit = try Activation.gelu.approximation(
            ApproximationRequest(method: .minimax, degree: 8, interval: -6 ... 6))
        for cost in fit.costs {
            print(cost.scheme, "depth", cost.depth, "products", cost.nonScalarMultiplications,
                  "scalar products", cost.scalarMultiplications, "additions", cost.additions)
        }
        #expect(fit.costs.count == 2)
        #expect(fit.costs[1].depth >= EvaluationCost.optimalDepth(degree: 8))
    }

    @Test func degreeForDepthOrError() throws {
        // The largest degree whose evaluation fits a multiplicative depth of 6:
        let request = ApproximationRequest(method: .minimax, degree: 1, interval: -6 ... 6)
        let degree = try request.largestDegree(forDepth: 6)
        let deepest = try Activation.gelu.approximation(
            ApproximationRequest(method: .minimax, degree: degree, interval: -6 ... 6))

        // The smallest degree whose max error on [-8, 8] is at most 1e-3 (request.degree is ignored):
        let fit = try Activation.sigmoid.approximation(
            ApproximationRequest(method: .minimax, degree: 0, interval: -8 ... 8), meeting: 1e-3)
        let smallest = fit.degree
        #expect(deepest.costs[1].depth <= 6)
        #expect(fit.errors.maxError <= 1e-3 && smallest > 1)
    }

    @Test func expressionsAndExports() throws {
        let f = try Activation.named(orExpression: "exp(x)")
        let fit = try f.approximation(ApproximationRequest(method: .minimax, degree: 15, interval: -8 ... 0))
        let openFHE = try ChebyshevSeriesExport(fit).text(.openfhe)  // C++ for EvalChebyshevSeries
        let numpy = try ChebyshevSeriesExport(fit).text(.numpy)      // a self-contained Clenshaw function

        // Without the activation machinery: Remez on any Swift function.
        let best = try Polynomial.minimax(of: { exp($0) }, degree: 15, on: -8 ... 0)
        #expect(openFHE.contains("EvalChebyshevSeries") && numpy.contains("def "))
        #expect(abs(best.maxError - fit.errors.maxError) <= 1e-3 * fit.errors.maxError + 1e-15)
    }
}
