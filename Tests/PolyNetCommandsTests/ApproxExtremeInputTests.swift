import Activations
import ArgumentParser
import Foundation
import Polynomials
import Testing
@testable import PolyNetCommands

/// `polynet approx` at the edges: one line naming the cause, never a trap, a hang, a partial
/// file or NaN/∞ printed as a result.
@Suite("polynet approx at extreme inputs")
struct ApproxExtremeInputTests {
    private func expectOneLine(_ arguments: [String], contains expected: [String],
                               sourceLocation: SourceLocation = #_sourceLocation) {
        let text = message(arguments)
        for part in expected {
            #expect(text.contains(part), "\(arguments): '\(text)' lacks '\(part)'", sourceLocation: sourceLocation)
        }
        #expect(!text.isEmpty && !text.contains("\n"), "\(arguments): '\(text)'", sourceLocation: sourceLocation)
    }

    /// Output of a successful run, as the user sees it.
    private func output(_ arguments: [String]) throws -> String {
        let command = try #require(try PolyNetCommand.parseAsRoot(arguments) as? ApproxCommand)
        try command.validate()
        let fit = try command.fitChoosingDegree(try .named(command.activation ?? ""), try command.makeRequest())
        let rendered = try ApproxOutput(fit: fit, basis: command.basis)
        return command.json ? try rendered.json() : rendered.text()
    }

    @Test func overflowingRangesAreRefused() {
        // Item 4: the width of [-1e308, 1e308] overflows; with --table and --max-error too.
        for extra in [[], ["--max-error", "1e-3"], ["--method", "chebyshev"]] {
            expectOneLine(["approx", "gelu", "--range", "-1e308...1e308"] + extra, contains: ["--range", "too wide"])
        }
        expectOneLine(["approx", "--table", "relu,gelu", "--degrees", "3,7", "--range", "-1e308...1e308"],
                      contains: ["--range", "too wide"])
        expectOneLine(["approx", "gelu", "--range", "1e6...1.000000000001e6"], contains: ["--range", "too narrow"])
        // The gaussian method's default range mean ± 3σ.
        expectOneLine(["approx", "relu", "--method", "gaussian", "--std", "1e-300"], contains: ["--mean ± 3·--std", "too narrow"])
        expectOneLine(["approx", "relu", "--method", "gaussian", "--std", "1e308"], contains: ["--mean ± 3·--std", "finite"])
    }

    @Test func narrowRangesFarFromZeroFinish() throws {
        // Item 11: these spun forever in golden-section search.
        for extra in [[], ["--method", "chebyshev"]] {
            #expect(message(["approx", "gelu", "--range", "1e6...1.001e6"] + extra) == "")
        }
        #expect(message(["approx", "--table", "gelu", "--degrees", "3", "--range", "1e6...1.001e6"]) == "")
    }

    @Test func overflowingFiguresAreWordedNotPrinted() throws {
        // Items 5 and 14: degree 1000 overflows at 1.5× and 2× the half-width.
        let text = try output(["approx", "gelu", "--method", "chebyshev", "--degree", "1000"])
        #expect(text.contains("1.5× half-width → overflows") && text.contains("2× half-width → overflows"))
        #expect(!text.contains("inf") && !text.contains("nan"), "\(text)")
        let json = try output(["approx", "gelu", "--method", "chebyshev", "--degree", "1000", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let outside = try #require(object["outside"] as? [[String: Any]])
        #expect(outside.map { $0["error"] is NSNull } == [false, true, true])
        let notes = try #require(object["notes"] as? [String])
        #expect(notes.contains { $0.contains("outside[1].error") && $0.contains("outside[2].error") })
        // σ = 1e200 and 1e300: the closed form and the RMS integrals stay finite.
        for std in ["1e200", "1e300"] {
            let wide = try output(["approx", "relu", "--method", "gaussian", "--std", std, "--json"])
            let fields = try #require(try JSONSerialization.jsonObject(with: Data(wide.utf8)) as? [String: Any])
            #expect(fields["maxError"] is Double && fields["rmsGaussian"] is Double && fields["rmsUniform"] is Double)
        }
        let huge = try output(["approx", "gelu", "--range", "-1e300...1e300"])
        #expect(!huge.contains("inf") && !huge.contains("nan"), "\(huge)")
    }

    @Test func monomialConversionThatOverflowsIsRefused() throws {
        expectOneLine(["approx", "gelu", "--method", "chebyshev", "--degree", "1000", "--basis", "monomial"],
                      contains: ["--basis monomial", "overflow"])
        // Finite but hopeless: the note states the condition and that all digits are lost.
        let text = try output(["approx", "gelu", "--method", "chebyshev", "--degree", "200", "--range", "-16...16",
                               "--basis", "monomial"])
        #expect(text.contains("loses all 16 digits"), "\(text)")
        #expect(!text.contains("evaluation condition 0.0000e+00"))
    }

    @Test func optionCombinationsAndExtremesGiveOneLineErrors() {
        let cases: [([String], [String])] = [
            (["approx", "gelu", "--max-depth", "12", "--method", "rational-minimax"], ["--max-depth", "rational-minimax"]),
            (["approx", "gelu", "--max-depth", "6", "--method", "pade"], ["--max-depth", "pade"]),
            (["approx", "gelu", "--max-error", "1e-3", "--degree", "5"], ["--max-error", "--degree"]),
            (["approx", "gelu", "--max-depth", "6", "--degree", "5"], ["--max-depth", "--degree"]),
            (["approx", "--table", ""], ["--table"]),
            (["approx", "--table", "relu,,gelu"], ["--table"]),
            (["approx", "gelu", "--table", "relu"], ["either an activation or --table"]),
            (["approx", "--table", "relu", "--degrees", "3,1e300"], ["--degrees"]),
            (["approx", "--table", "relu", "--degrees=-3"], ["--degrees"]),
            (["approx", "--table", "relu", "--degrees", "201"], ["--degrees", "0...200"]),
            (["approx", "--table", "relu", "--degrees", ""], ["--degrees"]),
            (["approx", "--table", "relu", "--method", "chebyshev"], ["--method", "--table"]),
            (["approx", "gelu", "--degree", "\(Int.max)"], ["--degree", "0...200"]),
            (["approx", "gelu", "--method", "chebyshev", "--degree", "1001"], ["--degree", "0...1000"]),
            (["approx", "gelu", "--degree=-1"], ["--degree"]),
            (["approx", "gelu", "--center", "nan", "--method", "taylor"], ["--center"]),
            (["approx", "gelu", "--center", "inf", "--method", "pade"], ["--center"]),
            (["approx", "gelu", "--mean", "inf"], ["--mean"]),
            (["approx", "gelu", "--std", "nan"], ["--std"]),
            (["approx", "gelu", "--mean", "1e308", "--std", "1e307"], ["--mean/--std", "10"]),
            (["approx", "gelu", "--method", "pade", "--denominator-degree", "\(Int.max)"], ["--denominator-degree", "0...50"]),
            (["approx", "gelu", "--method", "rational-minimax", "--denominator-degree=-1"], ["--denominator-degree"]),
            (["approx", "gelu", "--max-error", "0"], ["--max-error"]),
            (["approx", "gelu", "--max-error=-1"], ["--max-error"]),
            (["approx", "gelu", "--max-error", "nan"], ["--max-error"]),
            (["approx", "gelu", "--max-error", "1e-308"], ["--max-error", "below what Double resolves"]),
            (["approx", "gelu", "--max-depth", "0"], ["--max-depth"]),
            (["approx", "gelu", "--max-depth=-1"], ["--max-depth"]),
            (["approx", "gelu", "--max-depth", "1"], ["--max-depth", "no degree fits depth 1"]),
            (["approx", "gelu", "--range", "inf...1"], ["--range"]),
            (["approx", "gelu", "--range", "1...nan"], ["--range"]),
            (["approx", "gelu", "--range", "5...-5"], ["--range", "reversed"]),
            (["approx", "gelu", "--range", "0...0"], ["--range", "empty"]),
            (["approx", "gelu", "--range", "one...two"], ["--range", "LOW...HIGH"]),
            (["approx", "gelu", "--range", "1...2...3"], ["--range", "LOW...HIGH"]),
            (["approx", "gelu", "--center", "1e308", "--method", "taylor"], ["Taylor coefficient", "1e+308"]),
        ]
        for (arguments, expected) in cases { expectOneLine(arguments, contains: expected) }
    }

    @Test func plotFailuresNameThePathAndWriteNothing() throws {
        let missing = "/nonexistent-\(UUID().uuidString)/x.svg"
        expectOneLine(["approx", "gelu", "--plot", missing], contains: [missing, "folder does not exist"])
        expectOneLine(["approx", "gelu", "--plot", "/dev/full"], contains: ["/dev/full", "not a regular file"])
        var info = stat()
        #expect(stat("/dev/full", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR, "/dev/full must stay a device")
        let directory = FileManager.default.temporaryDirectory.path
        expectOneLine(["approx", "gelu", "--plot", directory], contains: [directory, "directory"])
    }
}
