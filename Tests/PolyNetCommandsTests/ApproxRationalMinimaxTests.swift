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
        // The report's max error comes from its own dense sampling; it must sit in the Remez
        // certificate [lowerBound, maxError of the exchange] up to the sampling's refinement (1e-9).
        let lowerBound = try #require(object["lowerBound"] as? Double), maxError = try #require(object["maxError"] as? Double)
        #expect(lowerBound <= maxError * (1 + 1e-9) && maxError <= lowerBound * (1 + 1e-8))
        let schemes = (object["costs"] as! [[String: Any]]).map { $0["scheme"] as! String }
        let steps = try #require(object["newtonSteps"] as? Int)
        #expect(schemes == ["numerator-paterson-stockmeyer-chebyshev", "denominator-paterson-stockmeyer-chebyshev",
                            "newton-inverse-\(steps)-steps", "rational-total"]
                || schemes == ["numerator-chebyshev-linear", "denominator-chebyshev-linear",
                               "newton-inverse-\(steps)-steps", "rational-total"])
        // The inverse's steps reach 1% of the fit's error relative to max |GELU| = 4 on [-4, 4]:
        // checked by running Newton on q's sampled range.
        let q = fit.denominator!
        let values = (0 ... 2000).map { q(-4 + 8 * Double($0) / 2000) }
        let (low, high) = (values.min()!, values.max()!)
        let target = 0.01 * fit.errors.maxError / 4
        var ys = values.map { _ in 2 / (low + high) }
        for _ in 0 ..< steps { for i in ys.indices { ys[i] *= 2 - values[i] * ys[i] } }
        #expect(zip(values, ys).allSatisfy { abs(1 - $0 * $1) <= target * 1.01 })
    }

    /// Padé's q is normalized to 1 at the center: where it keeps its sign on the range, the
    /// costs count the division like rational minimax's (Newton steps checked by running
    /// Newton on q's sampled values, as above); where it has a pole, no inverse is costed.
    @Test func padeCostsCountTheDivisionOnlyWithoutAPole() throws {
        let tanh = try Activation.named("tanh")
        let fit = try tanh.approximation(ApproximationRequest(method: .pade, degree: 3, interval: -2 ... 2, denominatorDegree: 2))
        let steps = try #require(fit.newtonSteps)
        #expect(fit.costs.map(\.scheme).suffix(2) == ["newton-inverse-\(steps)-steps", "rational-total"])
        let q = fit.denominator!
        let values = (0 ... 2000).map { q(-2 + 4 * Double($0) / 2000) }
        let (low, high) = (values.min()!, values.max()!)
        let target = 0.01 * fit.errors.maxError / tanh.value(2)
        var ys = values.map { _ in 2 / (low + high) }
        for _ in 0 ..< steps { for i in ys.indices { ys[i] *= 2 - values[i] * ys[i] } }
        #expect(zip(values, ys).allSatisfy { abs(1 - $0 * $1) <= target * 1.01 })

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
