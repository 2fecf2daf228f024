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
//
// The NumPy and C snippets are run as printed and held to a tolerance derived per point (see
// "Snippets against the fit" below). Relative to |p(x)| that tolerance is 3.4e-12 at worst
// for exp on [−8, 0] (near x = −8, where p ≈ 3.4e-4 but the rounding scales with Σ|c_k| ≈ 1)
// and 8.1e-12 for 1/√x on [0.01, 10]; GELU crosses zero, where no relative bound holds. So
// 1e-12 relative cannot be promised from the analysis; measured (AMD EPYC, gcc, NumPy 2.4):
// exp and GELU agree bit for bit (their maps onto [-1, 1] are exact in Double), 1/√x to
// 2.9e-13 relative.

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

    /// Runs the NumPy snippets as printed — the three fits, and the ReLU and max composites —
    /// in one Python process, and matches each value within its derived tolerance.
    @Test(.enabled(if: hasNumPy, "python3 with numpy is not available"))
    func numpySnippetsRun() throws {
        let cases = try snippetCases()
        let outputs = try runPython(cases.map { ($0.text(.numpy), $0.calls) })
        for (snippet, values) in zip(cases, outputs) { snippet.check(values) }
    }

    /// Compiles the C snippets as printed (one file each, C99, warnings as errors) into one
    /// program, runs it, and matches each value within its derived tolerance.
    @Test(.enabled(if: hasCompiler, "no C compiler (cc)"))
    func cSnippetsCompileAndRun() throws {
        let cases = try snippetCases()
        let outputs = try runC(cases.map { ($0.text(.c), $0.calls, $0.arity) })
        for (snippet, values) in zip(cases, outputs) { snippet.check(values) }
    }
}

/// One exported snippet, the calls made to it, the library's values there and their tolerances.
private struct SnippetCase {
    let text: (ChebyshevSeriesExport.Format) -> String
    let calls: [String]
    /// 1, or 2 for max(a, b).
    let arity: Int
    let expected: [Double]
    let tolerances: [Double]

    func check(_ values: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(values.count == calls.count, sourceLocation: sourceLocation)
        for (i, value) in zip(calls.indices, values) {
            #expect(Swift.abs(value - expected[i]) <= tolerances[i],
                    "\(calls[i]): \(value) vs \(expected[i]), tolerance \(tolerances[i])", sourceLocation: sourceLocation)
        }
    }
}

/// The three fits at 201 points each, and two composites (fixed degrees: no search, so the
/// debug build stays fast) — ReLU on [−8, 8] at 201 points, and max(a, b) for a, b ∈ [−8, 8]
/// at 201 pairs spread over the differences a − b ∈ [−16, 16].
private func snippetCases() throws -> [SnippetCase] {
    var cases = try fits().map { fit in
        let export = try ChebyshevSeriesExport(fit)
        let xs = points(fit)
        return SnippetCase(text: export.text, calls: xs.map { "approximation(\($0))" }, arity: 1,
                           expected: xs.map { fit($0) }, tolerances: xs.map { snippetTolerance(export, at: $0) })
    }
    for kind in [CompositeApproximation.Kind.relu, .max] {
        let composite = try CompositeApproximation(kind: kind, radius: 8,
                                                   sign: try CompositeSignApproximation(epsilon: 0.05, degrees: [7, 7, 15]))
        let xs = (0 ... 200).map { -composite.inputRadius + 2 * composite.inputRadius * Double($0) / 200 }
        if kind == .max {
            // a − b = x, shifted by s within what keeps a and b in [−8, 8].
            let pairs = xs.enumerated().map { i, x in
                let s = (8 - abs(x) / 2) * Double(i % 5 - 2) / 2
                return (x / 2 + s, -x / 2 + s)
            }
            cases.append(SnippetCase(text: CompositeExport(composite).text, calls: pairs.map { "approximation(\($0.0), \($0.1))" },
                                     arity: 2, expected: pairs.map { composite.maximum($0.0, $0.1) },
                                     tolerances: pairs.map { compositeTolerance(composite, at: $0.0 - $0.1, offset: $0.1) }))
        } else {
            cases.append(SnippetCase(text: CompositeExport(composite).text, calls: xs.map { "approximation(\($0))" }, arity: 1,
                                     expected: xs.map { composite($0) },
                                     tolerances: xs.map { compositeTolerance(composite, at: $0, offset: 0) }))
        }
    }
    return cases
}

// Snippets against the fit, point by point.
//
// A snippet runs the same Clenshaw recurrence as PolyNet on the same coefficients (printed in
// shortest round-trip form, so read back exactly); NumPy's chebval, which the composite's NumPy
// snippet calls, is Clenshaw with another grouping of the same terms. So the two values differ
// only by rounding: each is within β(t) of the exact p(t), where, for |t| ≤ 1, writing the
// computed recurrence as b_k = c_k + 2t·b_{k+1} − b_{k+2} + η_k, each η_k enters exactly where
// c_k does (the sum is linear in the c_k), so the result is Σ (c_k + η_k)·T_k(t) and
//     |p̂ − p| ≤ Σ |η_k| ≤ γ₃·Σ_k (|c_k| + 2|t|·|b_{k+1}| + |b_{k+2}|) = β(t)
// (|T_k| ≤ 1; three roundings per step, γ₃ = 3u/(1 − 3u), u = ε/2), computed from the b_k at
// t. The two programs also compute t differently (PolyNet scale·x + offset, the snippets
// (2x − a − b)/(b − a)): each within 4 roundings of terms ≤ (2|x| + |a| + |b|)/(b − a), so
// |δt| ≤ 8u·(2|x| + |a| + |b|)/(b − a), moving p by |p′(t)|·|δt|. Hence the tolerance
// 2β(t) + |p′(t)|·|δt| + 2u·|p|, on any IEEE-754 machine (an FMA-contracting compiler only
// removes roundings).

/// β(t) and p′(t) for p = Σ c_k·T_k(t), |t| ≤ 1.
private func clenshawRounding(_ c: [Double], at t: Double) -> (bound: Double, derivative: Double) {
    let u = Double.ulpOfOne / 2, gamma3 = 3 * u / (1 - 3 * u)
    var (b1, b2, sum) = (0.0, 0.0, 0.0)
    for k in stride(from: c.count - 1, through: 1, by: -1) {
        sum += abs(c[k]) + 2 * abs(t) * abs(b1) + abs(b2)
        (b1, b2) = (c[k] + 2 * t * b1 - b2, b1)
    }
    sum += abs(c[0]) + abs(t) * abs(b1) + abs(b2)
    // p′ = Σ k·c_k·U_{k−1}(t), U by its recurrence.
    var (u0, u1, derivative) = (1.0, 2 * t, 0.0)
    for k in 1 ..< c.count {
        derivative += Double(k) * c[k] * u0
        (u0, u1) = (u1, 2 * t * u1 - u0)
    }
    return (gamma3 * sum, derivative)
}

/// How far a snippet's value may be from the fit's at x (see above).
private func snippetTolerance(_ export: ChebyshevSeriesExport, at x: Double) -> Double {
    let (a, b) = (export.interval.lowerBound, export.interval.upperBound)
    let t = (2 * x - a - b) / (b - a)
    let (beta, derivative) = clenshawRounding(export.coefficients, at: t)
    let deltaT = 4 * Double.ulpOfOne * (2 * abs(x) + abs(a) + abs(b)) / (b - a)
    let value = Polynomial(coefficients: export.coefficients, basis: .chebyshev(on: export.interval))(x)
    return 2 * beta + abs(derivative) * deltaT + Double.ulpOfOne * abs(value)
}

/// The same for a composite, stage by stage: y_0 = x/D is computed alike; a difference δ in a
/// stage's input moves its output by |p_s′(y)|·δ, and each side adds its own β, so
/// δ_{s+1} ≤ |p_s′(y_s)|·δ_s + 2β_s(y_s) (first order: δ ≤ 1e-13 here, and |p_s″| ≤ n⁴·Σ|c_k|
/// (Markov twice) makes the second-order term below 1e-20). The combination b + x·(1 + P)/2
/// then scales it by |x|/2 and adds its own roundings, 4u·(|x| + |b|) on each side.
private func compositeTolerance(_ composite: CompositeApproximation, at x: Double, offset b: Double) -> Double {
    var y = x / composite.inputRadius, delta = 0.0
    for stage in composite.sign.stages {
        let (beta, derivative) = clenshawRounding(stage.polynomial.coefficients, at: y)
        delta = abs(derivative) * delta + 2 * beta
        y = stage.polynomial(y)
    }
    return abs(x) / 2 * delta + 8 * Double.ulpOfOne * (abs(x) + abs(b))
}

/// Runs each program in its own namespace of one Python process (exec), printing one value
/// per call; the values per program.
private func runPython(_ programs: [(text: String, calls: [String])]) throws -> [[Double]] {
    var script = "import sys\n"
    for (index, program) in programs.enumerated() {
        script += "namespace = {}\nexec(r\'\'\'\n\(program.text)\n\'\'\', namespace)\napproximation = namespace['approximation']\n"
        script += "print('program \(index)')\n" + program.calls.map { "print(repr(float(\($0))))" }.joined(separator: "\n") + "\n"
    }
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("snippets.py")
    try script.write(to: file, atomically: true, encoding: .utf8)
    return try outputs(of: try #require(run(["python3", file.path]), "the NumPy snippets failed to run"), programs: programs.count)
}

/// Compiles each program as its own C99 file (its function renamed approximation_<index>) with
/// a main printing one value per call, in one cc invocation; the values per program.
private func runC(_ programs: [(text: String, calls: [String], arity: Int)]) throws -> [[Double]] {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var main = "#include <stdio.h>\n", body = "", sources = [String]()
    for (index, program) in programs.enumerated() {
        let source = directory.appendingPathComponent("snippet\(index).c")
        try ("#define approximation approximation_\(index)\n" + program.text + "\n").write(to: source, atomically: true, encoding: .utf8)
        sources.append(source.path)
        main += "double approximation_\(index)(\(Array(repeating: "double", count: program.arity).joined(separator: ", ")));\n"
        body += "    printf(\"program \(index)\\n\");\n" + program.calls.map { call in
            "    printf(\"%.17g\\n\", \(call.replacingOccurrences(of: "approximation(", with: "approximation_\(index)(")));"
        }.joined(separator: "\n") + "\n"
    }
    let mainFile = directory.appendingPathComponent("main.c"), binary = directory.appendingPathComponent("snippets")
    try (main + "\nint main(void) {\n" + body + "    return 0;\n}\n").write(to: mainFile, atomically: true, encoding: .utf8)
    _ = try #require(run(["cc", "-std=c99", "-Wall", "-Werror", "-o", binary.path, mainFile.path] + sources), "the C snippets did not compile")
    return try outputs(of: try #require(run([binary.path]), "the C program failed"), programs: programs.count)
}

/// Splits printed output at its "program <index>" lines into one list of values per program.
private func outputs(of text: String, programs: Int) throws -> [[Double]] {
    var values = [[Double]]()
    for line in text.split(separator: "\n") {
        if line.hasPrefix("program ") {
            values.append([])
        } else {
            try #require(!values.isEmpty, "output before the first program marker: '\(line)'")
            values[values.count - 1].append(try #require(Double(String(line))))
        }
    }
    try #require(values.count == programs)
    return values
}

/// A fresh directory under the system's temporary directory.
private func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}
