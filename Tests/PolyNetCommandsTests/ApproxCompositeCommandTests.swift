import Activations
import ArgumentParser
import Foundation
import Polynomials
import Testing
@testable import PolyNetCommands

@Suite("polynet approx --method composite and --relative")
struct ApproxCompositeCommandTests {
    private func report(_ arguments: [String]) throws -> String {
        let command = try #require(try PolyNetCommand.parseAsRoot(arguments) as? ApproxCommand)
        try command.validate()
        return try command.compositeReport(command.activation ?? "")
    }

    @Test func reluOnAWideRangeMeetsItsTarget() throws {
        // R = 8 and E = 0.05 keep the debug build fast (the 1e-2 on [-100, 100] figure is in the
        // release-mode report); the certified bound holds on 10⁵ samples (double rounding of
        // x·(1 + P)/2 adds at most 4ε·R).
        let json = try report(["approx", "relu", "--method", "composite", "--range", "-8...8", "--max-error", "0.05",
                               "--check", "100000", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let maxError = try #require(object["maxError"] as? Double)
        let outside = try #require(object["outsideBandError"] as? Double)
        let band = try #require(object["bandError"] as? Double)
        #expect(maxError <= 0.05 && maxError == max(outside, band))
        let sampled = try #require(object["sampled"] as? [String: Any])
        #expect(try #require(sampled["outsideBand"] as? Double) <= outside + 4 * Double.ulpOfOne * 8)
        #expect(try #require(sampled["band"] as? Double) <= band + 4 * Double.ulpOfOne * 8)
        let stages = try #require(object["stages"] as? [[String: Any]])
        let depths = try stages.map { try #require($0["depth"] as? Int) }
        // 1 level for x/R, the stages, 1 for x·P.
        #expect(try #require(object["depth"] as? Int) == depths.reduce(0, +) + 2)
        let single = try #require(object["equalDepthPolynomial"] as? [String: Any])
        #expect(try #require(single["depth"] as? Int) <= (object["depth"] as? Int ?? 0))
    }

    /// max(a, b) for a, b ∈ [−4, 4] from two fixed degree-3 stages (no search, so the debug
    /// build stays fast): the report's bounds, and a 300 × 300 grid of pairs (independent of the
    /// report's own sampling) within them. The outside bound is attained at |a − b| = 2R, where
    /// P is flat; the rounding on top of the certified bounds is that of a − b, the stages'
    /// Clenshaw sums and b + x·(1 + P)/2 — a few ulps of 2R, well inside 64ε·R.
    @Test func maxOfTwoInputsStaysWithinItsBounds() throws {
        let json = try report(["approx", "max", "--method", "composite", "--range", "-4...4", "--epsilon", "0.1",
                               "--degrees", "3,3", "--check", "20000", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let outside = try #require(object["outsideBandError"] as? Double)
        let bandError = try #require(object["bandError"] as? Double)
        let band = try #require(object["band"] as? Double)
        #expect(try #require(object["inputRadius"] as? Double) == 8 && abs(band - 0.8) <= 1e-15)
        // 1 level for (a − b)/2R, 2 per degree-3 stage, 1 for d·P.
        #expect(try #require(object["depth"] as? Int) == 6)
        let rounding = 64 * Double.ulpOfOne * 4
        let sampled = try #require(object["sampled"] as? [String: Any])
        #expect(try #require(sampled["outsideBand"] as? Double) <= outside + rounding)
        #expect(try #require(sampled["band"] as? Double) <= bandError + rounding)

        let composite = try CompositeApproximation(kind: .max, radius: 4,
                                                   sign: try CompositeSignApproximation(epsilon: 0.1, degrees: [3, 3]))
        // JSONSerialization prints 15–17 significant digits.
        #expect(abs(composite.outsideBandError - outside) <= 1e-14 * outside)
        #expect(abs(try #require(composite.bandError) - bandError) <= 1e-14 * bandError)
        var worstOutside = 0.0, worstInside = 0.0
        for i in 0 ..< 300 {
            for j in 0 ..< 300 {
                let a = -4 + 8 * Double(i) / 299, b = -4 + 8 * Double(j) / 299
                let error = abs(composite.maximum(a, b) - max(a, b))
                if abs(a - b) >= band { worstOutside = max(worstOutside, error) } else { worstInside = max(worstInside, error) }
            }
        }
        #expect(worstOutside <= outside + rounding && worstInside <= bandError + rounding)
        // The grid reaches |a − b| = 2R, where |x|·|P − sign|/2 nearly attains R·δ (δ peaks at
        // an alternation point near y = 1): the bound is not vacuous.
        #expect(worstOutside >= 0.99 * outside)
    }

    /// The Lattigo snippet read back under minimax.NewPolynomial's convention (stages in order,
    /// Chebyshev on [-1, 1], constant term in full), applied to x/R and combined as x·(1 + P)/2,
    /// reproduces the library's composite: the digits are shortest round-trip, so to rounding.
    @Test func lattigoStagesReproduceTheComposite() throws {
        let arguments = ["approx", "abs", "--method", "composite", "--range", "-2...2", "--epsilon", "0.05", "--alpha", "6"]
        let snippet = try report(arguments + ["--format", "lattigo"])
        let stages = snippet.split(separator: "\n").filter { $0.hasPrefix("\t{\"") }.map { line in
            line.split(separator: "\"").compactMap { Double(String($0)) }
        }
        let composite = try CompositeApproximation(kind: .abs, radius: 2, epsilon: 0.05, alpha: 6)
        #expect(stages.count == composite.sign.stages.count)
        for x in stride(from: -2.0, through: 2, by: 0.01) {
            var y = x / 2
            for c in stages { y = Polynomial(coefficients: c, basis: .chebyshev(on: -1 ... 1))(y) }
            #expect(abs(x * y - composite(x)) <= 1e-12, "x = \(x)")
        }
        for format in [ChebyshevSeriesExport.Format.openfhe, .numpy, .c] {
            let text = CompositeExport(composite).text(format)
            #expect(text.contains("\(composite.sign.stages[0].polynomial.coefficients[1])"), "\(format)")
        }
        let text = try report(arguments)
        #expect(text.contains("single polynomial of the same depth") && text.contains("stage 1: degree"))
    }

    @Test func relativeMinimaxIsTheWeightedRemez() throws {
        #expect(message(["approx", "1/sqrt(x)", "--range", "0.01...10", "--degree", "15", "--relative"]) == "")
        let f = Activation(expression: try FunctionExpression(parsing: "1/sqrt(x)"))
        var request = ApproximationRequest(method: .minimax, degree: 15, interval: 0.01 ... 10)
        request.relativeError = true
        let fit = try f.approximation(request)
        // scripts/reference/remez_mpmath.py: E* = 0.2372065755873040 (50 digits). This checks
        // the request's path to the weighted Remez; UnionMinimaxTests bounds the Remez itself
        // to its rounding (about 4e-12 relative here).
        #expect(abs(try #require(fit.relativeError) - 0.2372065755873040) <= 1e-6 * 0.2372065755873040)
    }

    @Test func badInputGivesOneLineErrors() {
        let cases: [([String], String)] = [
            (["approx", "gelu", "--method", "composite", "--max-error", "0.01"], "approximates relu, abs, sign and max(a, b)"),
            (["approx", "max", "--method", "composite", "--max-error", "0.01", "--range", "0...2"], "symmetric about 0"),
            (["approx", "max", "--range", "-1...1"], "approximate it with --method composite"),
            (["approx", "relu", "--method", "composite", "--epsilon", "1", "--alpha", "8"], "--epsilon must be in (0, 1)"),
            (["approx", "relu", "--method", "composite", "--epsilon", "0", "--alpha", "8"], "--epsilon must be in (0, 1)"),
            (["approx", "relu", "--method", "composite", "--epsilon", "0.1", "--alpha", "0"], "--alpha must be in (0, 40]"),
            (["approx", "relu", "--method", "composite", "--epsilon", "0.1", "--alpha", "-2"], "--alpha must be in (0, 40]"),
            (["approx", "sign", "--method", "composite", "--max-error", "0.01"], "give --epsilon and --alpha"),
            (["approx", "relu", "--method", "composite"], "needs --max-error"),
            (["approx", "relu", "--method", "composite", "--max-error", "0.01", "--range", "-1...2"], "symmetric about 0"),
            (["approx", "relu", "--method", "composite", "--epsilon", "0.1", "--alpha", "8", "--degree", "7"], "--degree does not apply"),
            (["approx", "relu", "--method", "composite", "--max-error", "1e-300", "--range", "-100...100"], "alpha > 40"),
            (["approx", "relu", "--method", "composite", "--max-error", "1000", "--range", "-1...1"], "needs no composite"),
            (["approx", "relu", "--epsilon", "0.1"], "--epsilon applies to --method composite"),
            (["approx", "sign", "--method", "composite", "--epsilon", "0.1", "--degrees", "7,4"], "odd integers in 3...63"),
            (["approx", "sign", "--method", "composite", "--epsilon", "0.1", "--degrees", "7", "--alpha", "8"], "--degrees fixes the stages"),
            (["approx", "gelu", "--degrees", "7"], "--degrees applies to --table and --method composite"),
            (["approx", "gelu", "--relative", "--method", "chebyshev"], "--relative fits the relative error"),
            (["approx", "x", "--relative", "--range", "-1...1"], "relative error |f − p|/|f| is unbounded"),
        ]
        for (arguments, expected) in cases {
            let text = message(arguments)
            #expect(text.contains(expected), "\(arguments): '\(text)'")
            #expect(!text.isEmpty && !text.contains("\n"), "\(arguments): not one line: '\(text)'")
        }
    }
}
