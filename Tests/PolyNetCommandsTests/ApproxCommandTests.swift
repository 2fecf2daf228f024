import Activations
import ArgumentParser
import Foundation
import Testing
@testable import PolyNetCommands

@Suite("polynet approx")
struct ApproxCommandTests {

    @Test func negativeRangesParseAsWritten() throws {
        #expect(try ApproxCommand.parseRange("-6...6") == -6 ... 6)
        #expect(try ApproxCommand.parseRange("-8...-2") == -8 ... -2)
        let command = try PolyNetCommand.parseAsRoot(["approx", "gelu", "--range", "-6...6", "--mean", "-1"])
        let approx = try #require(command as? ApproxCommand)
        #expect(approx.range == "-6...6" && approx.mean == -1)
    }

    @Test func badInputGivesOneLineErrors() {
        let cases: [([String], String)] = [
            (["approx", "gelu", "--range", "6...-6"], "reversed"),
            (["approx", "gelu", "--range", "2...2"], "empty"),
            (["approx", "gelu", "--range", "nan...1"], "finite"),
            (["approx", "gelu", "--range", "-6..6"], "LOW...HIGH"),
            (["approx", "gelu", "--degree", "201"], "0...200"),
            (["approx", "gelu", "--method", "chebyshev", "--degree", "1001"], "0...1000"),
            (["approx", "gelu", "--degree=-1"], "at least 0"),
            (["approx", "gelu", "--method", "gaussian", "--std", "0"], "--std"),
            (["approx", "gelu", "--method", "gaussian", "--std", "-2"], "--std"),
            (["approx", "gelo"], "unknown activation 'gelo'"),
            (["approx", "sign", "--method", "minimax"], "discontinuous"),
            (["approx", "relu", "--method", "taylor"], "not smooth"),
        ]
        for (arguments, expected) in cases {
            let text = message(arguments)
            #expect(text.contains(expected), "\(arguments): '\(text)'")
            #expect(!text.contains("\n"), "\(arguments): not one line: '\(text)'")
        }
    }

    @Test func jsonOutputHasTheDocumentedFields() throws {
        let command = try #require(try PolyNetCommand.parseAsRoot(
            ["approx", "gelu", "--method", "minimax", "--degree", "8", "--range", "-6...6"]) as? ApproxCommand)
        let fit = try command.fitChoosingDegree(try .named("gelu"), try command.makeRequest())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try ApproxOutput(fit: fit, basis: nil).json().utf8)) as? [String: Any])
        for key in ["activation", "method", "degree", "basis", "interval", "coefficients", "maxError", "lowerBound", "costs"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect((object["coefficients"] as! [Double]).count == 9)
        #expect(object["basis"] as? String == "chebyshev")
    }

    @Test func maxErrorPicksTheSmallestSufficientDegree() throws {
        let command = try #require(try PolyNetCommand.parseAsRoot(
            ["approx", "sigmoid", "--max-error", "1e-3", "--range", "-8...8"]) as? ApproxCommand)
        let fit = try command.fitChoosingDegree(try .named("sigmoid"), try command.makeRequest())
        #expect(fit.errors.maxError <= 1e-3)
        var below = try command.makeRequest()
        below.degree = fit.degree - 1
        #expect(try Activation.sigmoid.approximation(below).errors.maxError > 1e-3)
    }

    @Test func plotWritesAnSVGWithAxesAndLegend() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("approx-\(UUID().uuidString).svg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var command = try PolyNetCommand.parseAsRoot(["approx", "relu", "--degree", "6", "--range", "-2...2", "--plot", path])
        try command.run()
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("</svg>"))
        #expect(svg.contains(">relu<") && svg.contains(">approximation<") && svg.contains("error f − p"))
    }
}
