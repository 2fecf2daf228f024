import Activations
import ArgumentParser
import Foundation
import Testing
@testable import PolyNetCommands

@Suite("polynet approx: expressions and exports")
struct ApproxExpressionCommandTests {

    @Test(arguments: [
        ["approx", "exp(x)", "--range", "-8...0", "--degree", "15"],
        ["approx", "1/sqrt(x)", "--range", "0.01...10", "--degree", "15", "--format", "openfhe"],
        ["approx", "x*sigmoid(1.702*x)", "--format", "lattigo"],
        ["approx", "log(1+exp(x))", "--method", "taylor", "--degree", "6", "--range", "-1...1", "--format", "numpy"],
        ["approx", "relu(x)", "--method", "hermite", "--degree", "7", "--format", "c"],
        ["approx", "exp(x)", "--method", "pade", "--degree", "3", "--range", "-1...1"],
        ["approx", "exp(x)", "--method", "gaussian", "--degree", "4", "--format", "json"],
        ["approx", "abs(x)", "--method", "rational-minimax", "--degree", "4", "--range", "-1...1", "--json"],
        ["approx", "gelu", "--format", "openfhe"],
        ["approx", "--table", "exp(x),gelu", "--degrees", "3", "--range", "-2...2"],
    ])
    func expressionsAndFormatsRun(arguments: [String]) {
        #expect(message(arguments) == "", "\(arguments)")
    }

    @Test func tableEntriesKeepCommasInsideParentheses() throws {
        #expect(try ApproxCommand.parseNames("min(x, 0),gelu, max(x,2*x)") == ["min(x, 0)", "gelu", "max(x,2*x)"])
        #expect(throws: ValidationError.self) { try ApproxCommand.parseNames("gelu,,relu") }
    }

    @Test func expressionFitsAreReportedUnderTheirPrintedForm() throws {
        let command = try #require(try PolyNetCommand.parseAsRoot(
            ["approx", "x * sigmoid( 1.702*x )", "--degree", "8"]) as? ApproxCommand)
        let request = try command.makeRequest()
        let function = try Activation.named(orExpression: try #require(command.activation), kinksOn: request.interval)
        let fit = try command.fitChoosingDegree(function, request)
        #expect(try ApproxOutput(fit: fit, basis: nil).text().hasPrefix("x*sigmoid(1.702*x) ≈ minimax polynomial of degree 8 on [-6, 6]"))
    }

    /// √(1 − x²) on [-0.9, 0.9] is undefined at 1.5× and 2× the half-width on both sides.
    @Test func undefinedOutsideErrorsAreNamedInTextAndJSON() throws {
        let command = try #require(try PolyNetCommand.parseAsRoot(
            ["approx", "sqrt(1 - x^2)", "--method", "chebyshev", "--range=-0.9...0.9"]) as? ApproxCommand)
        let request = try command.makeRequest()
        let fit = try command.fitChoosingDegree(try Activation.named(orExpression: "sqrt(1 - x^2)"), request)
        let output = try ApproxOutput(fit: fit, basis: nil)
        #expect(output.text().contains("1.5× half-width → f undefined, 2× half-width → f undefined"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try output.json().utf8)) as? [String: Any])
        let outside = try #require(object["outside"] as? [[String: Any]])
        #expect(outside.map { $0["undefined"] as? Bool ?? false } == [false, true, true])
        #expect(outside[1]["error"] is NSNull)
    }

    @Test func malformedExpressionsShowTheTextAndCarets() {
        let unknown = message(["approx", "x*foo(x)"])
        #expect(unknown == "unknown function 'foo'; functions: exp, log, sqrt, tanh, erf, sigmoid, relu, abs, sign, min, max\n  x*foo(x)\n    ^^^")
        let open = message(["approx", "exp(x"])
        #expect(open == "missing ')' for this '('\n  exp(x\n     ^")
    }

    @Test func badInputGivesOneLineErrors() {
        let cases: [([String], String)] = [
            (["approx", "1/x", "--range", "-1...1"], "1/x is not finite at x = 0.0 on [-1.0, 1.0]: division by zero in '1/x'"),
            (["approx", "log(x)", "--range", "-1...1"], "takes the logarithm of -1.0"),
            (["approx", "gleu"], "unknown activation 'gleu'"),
            (["approx", "gelu", "--json", "--format", "c"], "--json is --format json"),
            (["approx", "gelu", "--format", "openfhe", "--basis", "monomial"], "drop --basis monomial"),
            (["approx", "gelu", "--format", "lattigo", "--method", "pade"], "quotient p/q"),
            (["approx", "--table", "gelu", "--format", "numpy"], "does not apply to --table"),
        ]
        for (arguments, expected) in cases {
            let text = message(arguments)
            #expect(text.contains(expected), "\(arguments): '\(text)'")
            #expect(!text.contains("\n"), "\(arguments): not one line: '\(text)'")
        }
    }
}
