import Activations
import ArgumentParser
import Foundation
import Polynomials
import Testing
@testable import PolyNetCommands

@Suite("polynet approx with a denominator: rational minimax and Padé")
struct ApproxRationalMinimaxTests {
    @Test func jsonReportsBothPolynomialsAndTheDivisionCost() throws {
        let command = try #require(try PolyNetCommand.parseAsRoot(
            ["approx", "gelu", "--method", "rational-minimax", "--degree", "4", "--denominator-degree", "4",
             "--range", "-4...4"]) as? ApproxCommand)
        let fit = try command.fitChoosingDegree(try .named("gelu"), try command.makeRequest())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try ApproxOutput(fit: fit, basis: nil).json().utf8)) as? [String: Any])
        #expect(object["method"] as? String == "rational-minimax")
        #expect((object["coefficients"] as! [Double]).count == 5 && (object["denominator"] as! [Double]).count == 5)
        // The report's max error comes from its own dense sampling of the same r; it must sit
        // in the Remez certificate: ≥ lowerBound (≤ E*) and ≤ the exchange's max error, which is
        // ≤ lowerBound·(1 + 1e-10) + floor; 1e-9 relative covers the refinements, plus the
        // rounding of computing |f − p/q| twice (erfc within a few ulps: 32ε·max|f|; p/q by
        // Clenshaw: 64ε·(‖a‖₁ + (max|f| + E)·‖b‖₁)/q_min, the exchange's own floor).
        let lowerBound = try #require(object["lowerBound"] as? Double), maxError = try #require(object["maxError"] as? Double)
        let q = try #require(fit.denominator)
        let qMin = Polynomial.chebyshevPoints(count: 2001, on: -4 ... 4).map { q($0) }.min()!
        let norm: ([Double]) -> Double = { $0.reduce(0) { $0 + abs($1) } }
        let largest = 4.0   // max |GELU| on [-4, 4] is GELU(4) < 4
        let rounding = 2 * (32 * Double.ulpOfOne * largest
            + 64 * Double.ulpOfOne * max(largest, (norm(fit.polynomial.coefficients) + (largest + maxError) * norm(q.coefficients)) / qMin))
        #expect(lowerBound <= maxError * (1 + 1e-9) + rounding && maxError <= lowerBound * (1 + 1e-9) + rounding,
                "\(lowerBound) vs \(maxError)")
        let schemes = (object["costs"] as! [[String: Any]]).map { $0["scheme"] as! String }
        let steps = try #require(object["newtonSteps"] as? Int)
        #expect(schemes == ["numerator-paterson-stockmeyer-chebyshev", "denominator-paterson-stockmeyer-chebyshev",
                            "newton-inverse-\(steps)-steps", "rational-total"]
                || schemes == ["numerator-chebyshev-linear", "denominator-chebyshev-linear",
                               "newton-inverse-\(steps)-steps", "rational-total"])
        // The inverse's steps reach 1% of the fit's error relative to max |GELU| on the range:
        // checked by running Newton on q at the same 2001 Chebyshev points the library sizes the
        // iteration from (so q_min, q_max and max|f| are the same numbers). In exact arithmetic
        // |1 − q·y_k| ≤ ((κ − 1)/(κ + 1))^(2^k) ≤ target; each Double step y·(2 − q·y) adds about
        // 3ε to q·y and the squaring contracts earlier errors, so 8ε per step bounds the rest.
        try expectNewtonReachesTarget(q: fit.denominator!, steps: steps, interval: -4 ... 4, fitError: fit.errors.maxError,
                                      f: Activation.gelu.value)
    }

    private func expectNewtonReachesTarget(q: Polynomial, steps: Int, interval: ClosedRange<Double>, fitError: Double,
                                           f: (Double) -> Double, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let points = Polynomial.chebyshevPoints(count: 2001, on: interval)
        let values = points.map { q($0) }
        let (low, high) = (values.min()!, values.max()!)
        let largest = points.map { abs(f($0)) }.max()!
        let target = min(0.5, 0.01 * fitError / largest)
        var ys = values.map { _ in 2 / (low + high) }
        for _ in 0 ..< steps { for i in ys.indices { ys[i] *= 2 - values[i] * ys[i] } }
        let worst = zip(values, ys).map { abs(1 - $0 * $1) }.max()!
        #expect(worst <= target + 8 * Double(steps) * Double.ulpOfOne, "\(worst) > \(target)", sourceLocation: sourceLocation)
    }

    /// Padé's q is normalized to 1 at the center: where it keeps its sign on the range, the
    /// costs count the division like rational minimax's (Newton steps checked by running
    /// Newton on q's sampled values, as above); where it has a pole, no inverse is costed.
    @Test func padeCostsCountTheDivisionOnlyWithoutAPole() throws {
        let tanh = try Activation.named("tanh")
        let fit = try tanh.approximation(ApproximationRequest(method: .pade, degree: 3, interval: -2 ... 2, denominatorDegree: 2))
        let steps = try #require(fit.newtonSteps)
        #expect(fit.costs.map(\.scheme).suffix(2) == ["newton-inverse-\(steps)-steps", "rational-total"])
        try expectNewtonReachesTarget(q: try #require(fit.denominator), steps: steps, interval: -2 ... 2,
                                      fitError: fit.errors.maxError, f: tanh.value)

        let withPole = try Activation.named("gelu").approximation(
            ApproximationRequest(method: .pade, degree: 4, interval: -3 ... 3, denominatorDegree: 4))
        #expect(withPole.newtonSteps == nil)
        #expect(!withPole.costs.contains { $0.scheme == "rational-total" })
        #expect(withPole.notes.contains { $0.contains("changes sign") })
    }

    @Test func badRequestsGiveOneLineErrors() {
        #expect(message(["approx", "gelu", "--method", "rational-minimax", "--basis", "monomial"]).contains("Chebyshev basis"))
        #expect(message(["approx", "sign", "--method", "rational-minimax", "--range", "-1...1"]).contains("discontinuous"))
        #expect(message(["approx", "gelu", "--method", "rational-minimax", "--denominator-degree", "60"]).contains("0...50"))
    }
}
