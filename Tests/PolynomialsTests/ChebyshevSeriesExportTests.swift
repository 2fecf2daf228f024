import Activations
import Foundation
import Polynomials
import Testing

// Each exported form is read back from the printed text and evaluated under its library's
// documented convention, re-implemented here with the T_k recurrence (not Clenshaw):
// OpenFHE c_0/2 + Σ_{k≥1} c_k·T_k(t), Lattigo/NumPy/C c_0 + Σ_{k≥1} c_k·T_k(t),
// t = (2x − a − b)/(b − a).
//
// Tolerance 1e-12·Σ|c_k| (absolute). For |t| ≤ 1 and degree n = 15:
// - the recurrence T_{k+1} = 2t·T_k − T_{k−1} computes T_k within k²·ε, so the reference sum is
//   within n²·ε·Σ|c_k| ≈ 225ε·Σ|c_k|;
// - the fit's Clenshaw evaluation is backward stable, within the same n²·ε·Σ|c_k|;
// - t computed as (2x − a − b)/(b − a) rather than PolyNet's scale·x + offset differs by at most
//   4 roundings of terms ≤ 3 in size, |δt| ≤ 12ε, moving p by |p′(t)|·|δt| ≤ n²·Σ|c_k|·12ε
//   (Markov's inequality) ≈ 2700ε·Σ|c_k|;
// together ≤ 3150ε ≈ 7e-13 of Σ|c_k|.

/// The numbers printed between `start` and the next `end` after it.
private func numbers(in text: String, after start: String, until end: String) throws -> [Double] {
    let from = try #require(text.range(of: start), "'\(start)' not in the snippet")
    let to = try #require(text.range(of: end, range: from.upperBound ..< text.endIndex), "'\(end)' not after '\(start)'")
    let fields = text[from.upperBound ..< to.lowerBound]
        .split(whereSeparator: { $0 == "," || $0.isWhitespace })
    return try fields.map { try #require(Double(String($0)), "'\($0)' is not a number") }
}

/// Σ c_k·T_k(t), c_0 halved when `halfConstant`, by the three-term recurrence for T_k.
private func chebyshevSum(_ c: [Double], at x: Double, on a: Double, _ b: Double, halfConstant: Bool) -> Double {
    let t = (2 * x - a - b) / (b - a)
    var (previous, current) = (1.0, t)
    var sum = halfConstant ? c[0] / 2 : c[0]
    for k in 1 ..< c.count {
        sum += c[k] * current
        (previous, current) = (current, 2 * t * current - previous)
    }
    return sum
}

private func fits() throws -> [ActivationApproximation] {
    [
        try Activation(expression: try FunctionExpression(parsing: "exp(x)"))
            .approximation(ApproximationRequest(method: .minimax, degree: 15, interval: -8 ... 0)),
        try Activation(expression: try FunctionExpression(parsing: "1/sqrt(x)"))
            .approximation(ApproximationRequest(method: .minimax, degree: 15, interval: 0.01 ... 10)),
        try Activation.gelu.approximation(ApproximationRequest(method: .chebyshev, degree: 15, interval: -8 ... 8)),
    ]
}

/// 201 points evenly spread over the fit's interval, ends included.
private func points(_ fit: ActivationApproximation) -> [Double] {
    let (a, b) = (fit.interval.lowerBound, fit.interval.upperBound)
    return (0 ... 200).map { a + (b - a) * Double($0) / 200 }
}

private func tolerance(_ export: ChebyshevSeriesExport) -> Double {
    1e-12 * export.coefficients.map(Swift.abs).reduce(0, +)
}

/// Runs a program; nil when it cannot be started or exits non-zero.
private func run(_ arguments: [String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
}

private let hasNumPy = run(["python3", "-c", "import numpy"]) != nil
private let hasCompiler = run(["cc", "--version"]) != nil

@Suite("Chebyshev series exports")
struct ChebyshevSeriesExportTests {

    @Test func openFHEDoublesTheConstantAndMatchesTheFit() throws {
        for fit in try fits() {
            let export = try ChebyshevSeriesExport(fit)
            let text = export.text(.openfhe)
            let c = try numbers(in: text, after: "std::vector<double> coefficients = {", until: "};")
            let a = try #require(try numbers(in: text, after: "double a = ", until: ",").first)
            let b = try #require(try numbers(in: text, after: ", b = ", until: ";").first)
            #expect(a == fit.interval.lowerBound && b == fit.interval.upperBound)
            #expect(c.count == fit.degree + 1)
            #expect(c[0] == 2 * export.coefficients[0])
            #expect(text.contains("cc->EvalChebyshevSeries(ciphertext, coefficients, a, b)"))
            #expect(text.contains("depth \(EvaluationCost.chebyshevPatersonStockmeyer(degree: fit.degree, needsAffineMap: true).depth)"))
            for x in points(fit) {
                let value = chebyshevSum(c, at: x, on: a, b, halfConstant: true)
                #expect(Swift.abs(value - fit(x)) <= tolerance(export), "\(fit.activation) at \(x)")
            }
        }
    }

    @Test func lattigoKeepsTheFullConstantAndMatchesTheFit() throws {
        for fit in try fits() {
            let export = try ChebyshevSeriesExport(fit)
            let text = export.text(.lattigo)
            let c = try numbers(in: text, after: "coeffs := []float64{", until: "}")
            let ab = try numbers(in: text, after: "[2]float64{", until: "}")
            #expect(ab == [fit.interval.lowerBound, fit.interval.upperBound])
            #expect(c == export.coefficients)
            #expect(text.contains("bignum.NewPolynomial(bignum.Chebyshev, coeffs, [2]float64{"))
            // Lattigo's evaluator leaves the map onto [-1, 1] to the caller: ⌈log₂ 16⌉ = 4 + 1.
            #expect(text.contains("poly.ChangeOfBasis()") && text.contains("// Depth 5: ceil(log2(n + 1)) = 4"))
            for x in points(fit) {
                let value = chebyshevSum(c, at: x, on: ab[0], ab[1], halfConstant: false)
                #expect(Swift.abs(value - fit(x)) <= tolerance(export), "\(fit.activation) at \(x)")
            }
        }
    }

    @Test func numpyAndCListsMatchTheFit() throws {
        for fit in try fits() {
            let export = try ChebyshevSeriesExport(fit)
            let numpy = export.text(.numpy)
            let c = try numbers(in: numpy, after: "c = np.array([", until: "])")
            let ab = try numbers(in: numpy, after: "a, b = ", until: "\n")
            let cSource = export.text(.c)
            let cList = try numbers(in: cSource, after: "approximation_c[\(fit.degree + 1)] = {", until: "};")
            #expect(c == export.coefficients && cList == export.coefficients)
            #expect(ab == [fit.interval.lowerBound, fit.interval.upperBound])
            for x in points(fit) {
                let value = chebyshevSum(c, at: x, on: ab[0], ab[1], halfConstant: false)
                #expect(Swift.abs(value - fit(x)) <= tolerance(export), "\(fit.activation) at \(x)")
            }
        }
    }

    @Test func rationalFitsAreRefused() throws {
        let pade = try Activation.gelu.approximation(ApproximationRequest(method: .pade, degree: 4, interval: -2 ... 2))
        #expect(throws: PolynomialError.self) { try ChebyshevSeriesExport(pade) }
    }

    @Test func taylorAndGaussianFitsAreConvertedToTheRange() throws {
        // Monomial and Hermite coefficients are converted exactly (up to rounding) to T_k on the
        // range; the conversion of degree 6 adds at most n·ε·Σ|c_k| per coefficient, within the
        // file's 1e-12·Σ|c_k|.
        for request in [ApproximationRequest(method: .taylor, degree: 6, interval: -1 ... 1),
                        ApproximationRequest(method: .gaussian, degree: 6, interval: -3 ... 3, gaussian: (0, 1))] {
            let fit = try Activation.gelu.approximation(request)
            let export = try ChebyshevSeriesExport(fit)
            for x in points(fit) {
                let value = chebyshevSum(export.coefficients, at: x, on: fit.interval.lowerBound, fit.interval.upperBound,
                                         halfConstant: false)
                #expect(Swift.abs(value - fit(x)) <= tolerance(export), "\(request.method.rawValue) at \(x)")
            }
        }
    }

    /// Runs the NumPy snippet as printed (same Clenshaw arithmetic in IEEE Double as PolyNet,
    /// within the file's tolerance).
    @Test(.enabled(if: hasNumPy, "python3 with numpy is not available"))
    func numpySnippetRuns() throws {
        let fit = try fits()[1]
        let export = try ChebyshevSeriesExport(fit)
        let xs = points(fit)
        let program = export.text(.numpy) + "\n\nfor v in approximation(np.array([\(xs.map { "\($0)" }.joined(separator: ", "))])):\n    print(repr(float(v)))\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-export-\(UUID().uuidString).py")
        try program.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try #require(run(["python3", file.path]), "the snippet failed to run")
        let values = output.split(separator: "\n").compactMap { Double(String($0)) }
        #expect(values.count == xs.count)
        for (x, value) in zip(xs, values) {
            #expect(Swift.abs(value - fit(x)) <= tolerance(export), "at \(x)")
        }
    }

    /// Compiles and runs the C snippet as printed.
    @Test(.enabled(if: hasCompiler, "no C compiler (cc)"))
    func cSnippetCompilesAndRuns() throws {
        let fit = try fits()[0]
        let export = try ChebyshevSeriesExport(fit)
        let xs = points(fit)
        let program = "#include <stdio.h>\n" + export.text(.c) + """

            int main(void) {
                static const double xs[] = {\(xs.map { "\($0)" }.joined(separator: ", "))};
                for (int i = 0; i < \(xs.count); i++) printf("%.17g\\n", approximation(xs[i]));
                return 0;
            }

            """
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("approximation.c"), binary = directory.appendingPathComponent("approximation")
        try program.write(to: source, atomically: true, encoding: .utf8)
        _ = try #require(run(["cc", "-std=c99", "-Wall", "-Werror", "-o", binary.path, source.path]), "the snippet did not compile")
        let output = try #require(run([binary.path]), "the program failed")
        let values = output.split(separator: "\n").compactMap { Double(String($0)) }
        #expect(values.count == xs.count)
        for (x, value) in zip(xs, values) {
            #expect(Swift.abs(value - fit(x)) <= tolerance(export), "at \(x)")
        }
    }
}
