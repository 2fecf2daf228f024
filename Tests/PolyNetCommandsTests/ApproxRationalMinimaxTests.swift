import Activations
import ArgumentParser
import Foundation
import Polynomials
import Testing
@testable import PolyNetCommands

@Suite("polynet approx --method rational-minimax")
struct ApproxRationalMinimaxTests {
    @Test func jsonReportsBothPolynomialsAndTheDivisionCost() throws {
        let command = try #require(try PolyNetCommand.parseAsRoot(
            ["approx", "gelu", "--method", "rational-minimax", "--degree", "4", "--denominator-degree", "4",
             "--range", "-4...4"]) as? ApproxCommand)
        let fit = try command.fitChoosingDegree(try .named("gelu"), try command.makeRequest())
        let object = try JSONSerialization.jsonObject(with: Data(try ApproxOutput(fit: fit, basis: nil).json().utf8)) as! [String: Any]
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

    @Test func badRequestsGiveOneLineErrors() {
        #expect(message(["approx", "gelu", "--method", "rational-minimax", "--basis", "monomial"]).contains("Chebyshev basis"))
        #expect(message(["approx", "sign", "--method", "rational-minimax", "--range", "-1...1"]).contains("discontinuous"))
        #expect(message(["approx", "gelu", "--method", "rational-minimax", "--denominator-degree", "60"]).contains("0...50"))
    }
}
