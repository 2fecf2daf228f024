import Activations
import Foundation
import Polynomials
import Testing

/// ε = 2⁻⁵², the spacing of Doubles at 1.
private let eps = Double.ulpOfOne

/// A small seeded generator (SplitMix64) for reproducible mutations.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Function expressions")
struct FunctionExpressionTests {

    // MARK: Parsing and printing

    @Test(arguments: [
        ("x*sigmoid(1.702*x)", "x*sigmoid(1.702*x)"),
        ("log(1+exp(x))", "log(1 + exp(x))"),
        ("1 / sqrt(x)", "1/sqrt(x)"),
        ("-x^2", "-x^2"),
        ("(-x)^2", "(-x)^2"),
        ("2^-x", "2^-x"),
        ("2^x^3", "2^x^3"),
        ("(2^x)^3", "(2^x)^3"),
        ("x - (1 - x)", "x - (1 - x)"),
        ("(x - 1) - x", "x - 1 - x"),
        ("x/(2*x)", "x/(2*x)"),
        ("x**3 × 2 ÷ 4 − 1", "x^3*2/4 - 1"),
        ("1e-3*x + pi", "0.001*x + pi"),
        ("min(x, 2*x - 1) + max(abs(x), sign(x))", "min(x, 2*x - 1) + max(abs(x), sign(x))"),
        ("-(-x)", "-(-x)"),
        ("relu(x)*erf(x)/tanh(x)", "relu(x)*erf(x)/tanh(x)"),
    ])
    func printsCanonicallyAndParsesBack(input: String, printed: String) throws {
        let expression = try FunctionExpression(parsing: input)
        #expect(expression.description == printed)
        #expect(try FunctionExpression(parsing: expression.description) == expression)
    }

    @Test func precedenceAndAssociativity() throws {
        let x = FunctionExpression.variable
        #expect(try FunctionExpression(parsing: "-x^2") == .negation(.binary(.power, x, .number(2))))
        #expect(try FunctionExpression(parsing: "2^x^3") == .binary(.power, .number(2), .binary(.power, x, .number(3))))
        #expect(try FunctionExpression(parsing: "1 - x - 2") == .binary(.subtract, .binary(.subtract, .number(1), x), .number(2)))
        #expect(try FunctionExpression(parsing: "8/x/2") == .binary(.divide, .binary(.divide, .number(8), x), .number(2)))
        #expect(try FunctionExpression(parsing: "1 + 2*x") == .binary(.add, .number(1), .binary(.multiply, .number(2), x)))
    }

    // MARK: Values

    /// Each expression is the same formula as the Foundation closure beside it, so the two agree
    /// to the few roundings in which they differ: at most 4 operations, each within an ulp, on a
    /// function whose relative condition number is at most |x·f′/f| ≤ 4 at these points → 16ε.
    @Test func valuesMatchFoundation() throws {
        let cases: [(String, (Double) -> Double)] = [
            ("exp(x)", { Foundation.exp($0) }),
            ("log(x + 3)", { Foundation.log($0 + 3) }),
            ("sqrt(x + 3)", { ($0 + 3).squareRoot() }),
            ("tanh(x)", { Foundation.tanh($0) }),
            ("erf(x)", { Foundation.erf($0) }),
            ("sigmoid(x)", { 1 / (1 + Foundation.exp(-$0)) }),
            ("x*sigmoid(1.702*x)", { $0 / (1 + Foundation.exp(-1.702 * $0)) }),
            ("log(1 + exp(x))", { Foundation.log(1 + Foundation.exp($0)) }),
            ("relu(x - 1)", { Swift.max($0 - 1, 0) }),
            ("abs(x)", { Swift.abs($0) }),
            ("sign(x - 0.5)", { $0 > 0.5 ? 1 : ($0 < 0.5 ? -1 : 0) }),
            ("min(x, 2*x - 1)", { Swift.min($0, 2 * $0 - 1) }),
            ("max(x, 2*x - 1)", { Swift.max($0, 2 * $0 - 1) }),
            ("x^3", { $0 * $0 * $0 }),
            ("(x + 3)^0.5", { Foundation.pow($0 + 3, 0.5) }),
            ("2^x", { Foundation.pow(2, $0) }),
            ("x^-2", { 1 / ($0 * $0) }),
            ("pi*x", { Double.pi * $0 }),
            ("-x^2", { -($0 * $0) }),
        ]
        for (text, reference) in cases {
            let expression = try FunctionExpression(parsing: text)
            for x in [-2.5, -1, -0.3, 0.25, 0.5, 1, 1.75, 2.9] {
                let expected = reference(x)
                #expect(Swift.abs(expression.value(at: x) - expected) <= 16 * eps * Swift.abs(expected),
                        "\(text) at \(x): \(expression.value(at: x)) vs \(expected)")
            }
        }
    }

    @Test func namedActivationsStayShortcuts() throws {
        let gelu = try Activation.named(orExpression: "gelu")
        #expect(gelu.name == "gelu" && gelu(1) == Activation.gelu(1))
        #expect(try Activation.named(orExpression: "leaky-relu:0.2")(-1) == -0.2)
        // As a bare name, sigmoid is the activation; in an expression, the function.
        #expect(try Activation.named(orExpression: "sigmoid").name == "sigmoid")
        #expect(try Activation.named(orExpression: "sigmoid(2*x)").name == "sigmoid(2*x)")
    }

    // MARK: Derivatives

    /// Forward mode performs the chain rule's operations in another order than the closed form:
    /// at most 16 roundings, each within ε of a term bounded by `scale` (the sum of the closed
    /// form's absolute terms), so they agree within 16ε·scale; 32ε·scale allows libm's exp, log
    /// and erf their ulp.
    @Test func derivativesMatchClosedForms() throws {
        func sigmoid(_ a: Double) -> Double { 1 / (1 + Foundation.exp(-a)) }
        let cases: [(String, (Double) -> (value: Double, scale: Double))] = [
            ("exp(x)", { (Foundation.exp($0), Foundation.exp($0)) }),
            ("x*sigmoid(1.702*x)", { x in
                let s = sigmoid(1.702 * x), t = 1.702 * x * s * (1 - s)
                return (s + t, Swift.abs(s) + Swift.abs(t))
            }),
            ("log(1 + exp(x))", { (sigmoid($0), sigmoid($0)) }),
            ("1/sqrt(x + 3)", { x in let v = -0.5 * Foundation.pow(x + 3, -1.5); return (v, Swift.abs(v)) }),
            ("(x + 3)^2.5", { x in let v = 2.5 * Foundation.pow(x + 3, 1.5); return (v, v) }),
            ("erf(x)", { x in let v = 2 / Double.pi.squareRoot() * Foundation.exp(-x * x); return (v, v) }),
            ("tanh(2*x)", { x in let t = Foundation.tanh(2 * x); return (2 * (1 - t * t), 2 * (1 + t * t)) }),
            ("x^3 - 2*x", { x in (3 * x * x - 2, 3 * x * x + 2) }),
            ("max(x, 2*x - 1)", { x in (x > 1 ? 2 : 1, 2) }),
            ("relu(x - 1)*x", { x in x > 1 ? (2 * x - 1, 2 * Swift.abs(x) + 1) : (0, 0) }),
        ]
        for (text, closedForm) in cases {
            let expression = try FunctionExpression(parsing: text)
            for x in [-2.5, -1, -0.3, 0.25, 0.5, 1.75, 2.9] {
                let (expected, scale) = closedForm(x)
                #expect(Swift.abs(expression.derivative(at: x) - expected) <= 32 * eps * scale,
                        "\(text)′ at \(x): \(expression.derivative(at: x)) vs \(expected)")
            }
        }
    }

    /// f″ by a three-term jet against the central difference of the closed-form f′ with step
    /// h = ε^{1/3}: truncation h²·|f⁗|/6 and rounding ε·|f′|/h, both ≤ 1e-10·max|f′…f⁗| for
    /// these functions on [−1, 1] (derivatives ≤ 10), so 1e-9 absolute.
    @Test func secondDerivativeMatchesCentralDifferences() throws {
        let expression = try FunctionExpression(parsing: "x*sigmoid(1.702*x)")
        func firstDerivative(_ x: Double) -> Double {
            let s = 1 / (1 + Foundation.exp(-1.702 * x))
            return s + 1.702 * x * s * (1 - s)
        }
        let h = Foundation.cbrt(eps)
        for x in [-1, -0.4, 0, 0.3, 1.0] {
            let difference = (firstDerivative(x + h) - firstDerivative(x - h)) / (2 * h)
            #expect(Swift.abs(expression.secondDerivative(at: x) - difference) <= 1e-9, "at \(x)")
        }
        // (x + 3)^-0.5″ = ¾·(x + 3)^{-5/2}: the same two-operation chain rule, a few ulps.
        let inverseRoot = try FunctionExpression(parsing: "1/sqrt(x + 3)")
        let expected = 0.75 * Foundation.pow(4, -2.5)
        #expect(Swift.abs(inverseRoot.secondDerivative(at: 1) - expected) <= 32 * eps * expected)
    }

    @Test func derivativesAtSwitchesFollowPyTorch() throws {
        #expect(try FunctionExpression(parsing: "relu(x)").derivative(at: 0) == 0)
        #expect(try FunctionExpression(parsing: "abs(x)").derivative(at: 0) == 0)
        #expect(try FunctionExpression(parsing: "sign(x)").derivative(at: 0) == 0)
        // min and max take the mean of the branches' slopes at a tie: (1 + 2)/2.
        #expect(try FunctionExpression(parsing: "max(x, 2*x - 1)").derivative(at: 1) == 1.5)
    }

    // MARK: Taylor series

    /// eˣ at 0: c_k = c_{k−1}/k in both the recurrence and the reference, each one division
    /// within ½ulp, so c_k agree to 2k·ε relative.
    @Test func taylorOfExpIsTheExponentialSeries() throws {
        let f = Activation(expression: try FunctionExpression(parsing: "exp(x)"))
        let c = try f.taylorCoefficients(at: 0, count: 20)
        var reference = 1.0
        for k in 0 ..< 20 {
            if k > 0 { reference /= Double(k) }
            #expect(Swift.abs(c[k] - reference) <= 2 * Double(k + 1) * eps * reference, "c_\(k)")
        }
    }

    /// Known series: log(1 + x) = Σ (−1)^{k+1}x^k/k, 1/(1 − x) = Σ x^k, √(1 + x) = Σ C(½, k)x^k,
    /// e^{2x} at ½ = e·Σ 2^k/k!·h^k, erf x = (2/√π)Σ (−1)^j x^{2j+1}/(j!(2j+1)). Each
    /// coefficient comes from a recurrence of at most 2(k + 1) roundings over terms no larger
    /// than |c_k| (the series have one sign pattern, no cancellation), so 4(k + 1)ε relative.
    @Test func taylorCoefficientsMatchKnownSeries() throws {
        func coefficients(_ text: String, at x0: Double, count: Int) throws -> [Double] {
            try Activation(expression: try FunctionExpression(parsing: text)).taylorCoefficients(at: x0, count: count)
        }
        func check(_ actual: [Double], _ expected: [Double], _ name: String) {
            for k in expected.indices {
                #expect(Swift.abs(actual[k] - expected[k]) <= 4 * Double(k + 1) * eps * Swift.abs(expected[k]),
                        "\(name) c_\(k): \(actual[k]) vs \(expected[k])")
            }
        }
        let n = 12
        let logarithm: [Double] = (0 ..< n).map { k -> Double in
            guard k > 0 else { return 0 }
            return (k % 2 == 1 ? 1.0 : -1.0) / Double(k)
        }
        check(try coefficients("log(1 + x)", at: 0, count: n), logarithm, "log(1 + x)")
        check(try coefficients("1/(1 - x)", at: 0, count: n), Array(repeating: 1, count: n), "1/(1 - x)")
        var binomial = [1.0]
        for k in 1 ..< n { binomial.append(binomial[k - 1] * (0.5 - Double(k - 1)) / Double(k)) }
        check(try coefficients("sqrt(1 + x)", at: 0, count: n), binomial, "sqrt(1 + x)")
        var exponential = [Foundation.exp(1.0)]
        for k in 1 ..< n { exponential.append(exponential[k - 1] * 2 / Double(k)) }
        check(try coefficients("exp(2*x)", at: 0.5, count: n), exponential, "exp(2x) at 0.5")
        var erf = [Double](repeating: 0, count: n)
        var factorial = 1.0
        for j in 0 ..< n / 2 {
            if j > 0 { factorial *= Double(j) }
            erf[2 * j + 1] = 2 / Double.pi.squareRoot() * (j % 2 == 0 ? 1 : -1) / (factorial * Double(2 * j + 1))
        }
        check(try coefficients("erf(x)", at: 0, count: n), erf, "erf")
    }

    /// x·σ(1.702x) at 0.5 against mpmath (scripts/reference/expression_taylor.py), within the
    /// running-error bound the script derives: 4(k + 1)·ε·M_k, M_k the majorant of the
    /// recurrences (exp, 1 + e, reciprocal, product), plus ε·|c_k| for the reference's rounding.
    @Test func taylorOfSiluVariantMatchesMpmath() throws {
        let reference = [0.35038843660638012093, 0.87922191196541426361, 0.29591143946561677187, -0.14419621124214682445,
                         -0.022158068077349384913, 0.044460663630666737049, -0.0063954366663930750657,
                         -0.010371380799091184885, 0.0045918749135372998692, 0.0015789906654553704595]
        let majorants = [0.350388, 0.879222, 0.599625, 0.77258, 0.906173, 1.04823, 1.21412, 1.40735, 1.63138, 1.89101]
        let c = try Activation(expression: try FunctionExpression(parsing: "x*sigmoid(1.702*x)"))
            .taylorCoefficients(at: 0.5, count: reference.count)
        for k in reference.indices {
            let allowed = 4 * Double(k + 1) * eps * majorants[k] + eps * Swift.abs(reference[k])
            #expect(Swift.abs(c[k] - reference[k]) <= allowed, "c_\(k): \(c[k]) vs \(reference[k])")
        }
    }

    @Test func taylorAtAKinkIsRefusedAndElsewhereIsTheBranch() throws {
        let relu = Activation(expression: try FunctionExpression(parsing: "relu(x - 1)"))
        #expect(relu.kinks == [1])
        #expect(throws: PolynomialError.self) { try relu.taylorCoefficients(at: 1, count: 4) }
        #expect(try relu.taylorCoefficients(at: 2, count: 4) == [1, 1, 0, 0])
        #expect(try relu.taylorCoefficients(at: 0, count: 4) == [0, 0, 0, 0])
    }

    // MARK: Kinks

    @Test func kinksOfAffineSwitchesAreExactAndOthersAreFoundOnTheRange() throws {
        #expect(try FunctionExpression(parsing: "relu(2*x - 1) + abs(x + 3)").kinks(on: nil) == [-3, 0.5])
        #expect(try FunctionExpression(parsing: "max(x, 2*x - 1)").kinks(on: nil) == [1])
        #expect(try FunctionExpression(parsing: "min((x + 1)/4, 0)").kinks(on: nil) == [-1])
        // |x² − 1| switches at ±1; found by bisection to adjacent Doubles on the range.
        let kinks = try FunctionExpression(parsing: "abs(x^2 - 1)").kinks(on: -2 ... 2)
        #expect(kinks.count == 2)
        for (kink, expected) in zip(kinks, [-1.0, 1.0]) { #expect(Swift.abs(kink - expected) <= 2 * eps) }
        #expect(try FunctionExpression(parsing: "abs(x^2 - 1)").kinks(on: nil).isEmpty)
    }

    // MARK: Fitting

    /// The expression and a closure over the same libm exp give bitwise-equal samples, so the
    /// Remez runs see identical data; their coefficients may differ only through summation order
    /// in multithreaded BLAS, a few ulps × the condition of the (n + 2)-point Chebyshev systems
    /// (≲ n + 2 = 17): 64ε·max|c| bounds it.
    @Test func minimaxOfExpMatchesTheClosureFit() throws {
        let request = ApproximationRequest(method: .minimax, degree: 15, interval: -8 ... 0)
        let byExpression = try Activation(expression: try FunctionExpression(parsing: "exp(x)")).approximation(request)
        let byClosure = try Activation(name: "exp", value: { Foundation.exp($0) }, derivative: { Foundation.exp($0) }).approximation(request)
        let largest = byClosure.polynomial.coefficients.map(Swift.abs).max() ?? 0
        #expect(byExpression.polynomial.basis == byClosure.polynomial.basis)
        for (a, b) in zip(byExpression.polynomial.coefficients, byClosure.polynomial.coefficients) {
            #expect(Swift.abs(a - b) <= 64 * eps * largest)
        }
        #expect(byExpression.errors.maxError < 2e-10)
    }

    /// Every method of `approx` on an expression. Hermite interpolation is also compared with the
    /// same fit using the closed-form derivative: the nodes' values and slopes agree to 32ε
    /// (derivativesMatchClosedForms), and the interpolant's Lebesgue-type constant for 2·4
    /// Chebyshev nodes is below 10, so 1e-12 absolute on values of size ≤ 1.
    @Test func everyMethodFitsAnExpression() throws {
        let f = Activation(expression: try FunctionExpression(parsing: "x*sigmoid(1.702*x)"))
        // composite builds p_k ∘ … ∘ p_1 for relu, abs and sign only (CompositeApproximation).
        for method in ApproximationMethod.allCases where method != .composite {
            let request = ApproximationRequest(method: method, degree: 7, interval: -1 ... 1,
                                               gaussian: method == .gaussian ? (0, 0.5) : nil, denominatorDegree: 2)
            let fit = try f.approximation(request)
            // Degree 7 on [-1, 1]: the nearest singularity is ±iπ/1.702 (|z| ≈ 1.85), so even the
            // Taylor polynomial is within (1/1.85)⁸·max|f| ≈ 0.01 of f.
            #expect(fit.errors.maxError < 0.02, "\(method.rawValue): \(fit.errors.maxError)")
        }
        let closedForm = Activation(name: "closed", value: { x in x / (1 + Foundation.exp(-1.702 * x)) }, derivative: { x in
            let s = 1 / (1 + Foundation.exp(-1.702 * x))
            return s + 1.702 * x * s * (1 - s)
        })
        let request = ApproximationRequest(method: .hermite, degree: 7, interval: -1 ... 1)
        let a = try f.approximation(request).polynomial, b = try closedForm.approximation(request).polynomial
        for x in stride(from: -1.0, through: 1, by: 0.125) { #expect(Swift.abs(a(x) - b(x)) <= 1e-12) }
    }

    @Test func jumpsOfSignRefuseMinimaxButNotLeastSquares() throws {
        let step = Activation(expression: try FunctionExpression(parsing: "sign(x - 0.25)"))
        #expect(step.jumps == [0.25])
        for method in [ApproximationMethod.minimax, .rationalMinimax] {
            #expect(throws: PolynomialError.self) {
                try step.approximation(ApproximationRequest(method: method, degree: 6, interval: -1 ... 1))
            }
        }
        // Least squares of a unit step: the L² error of degree 6 is about 0.3 at most.
        let fit = try step.approximation(ApproximationRequest(method: .leastSquares, degree: 6, interval: -1 ... 1))
        #expect(fit.errors.rmsUniform < 0.3)
        // On a range without the jump, minimax applies.
        #expect(try step.approximation(ApproximationRequest(method: .minimax, degree: 2, interval: 0.5 ... 1)).errors.maxError == 0)
    }

    /// Outside f's domain the report says "undefined" instead of "overflows", and a side where
    /// f is defined is still measured.
    @Test func errorsOutsideTheDomainAreUndefinedNotOverflowing() throws {
        // √(1 − x²) on [-0.9, 0.9]: 1.1× the half-width is ±0.99 (defined), 1.5× and 2× are
        // beyond ±1 on both sides (NaN).
        let circle = Activation(expression: try FunctionExpression(parsing: "sqrt(1 - x^2)"))
        let fit = try circle.approximation(ApproximationRequest(method: .chebyshev, degree: 8, interval: -0.9 ... 0.9))
        #expect(fit.errors.outside.map(\.isUndefined) == [false, true, true])
        #expect(fit.errors.outside.map(\.overflows) == [false, false, false])
        // 1/√x on [0.01, 10]: the left points are negative (NaN), the right ones count.
        let inverseRoot = Activation(expression: try FunctionExpression(parsing: "1/sqrt(x)"))
        let wide = try inverseRoot.approximation(ApproximationRequest(method: .chebyshev, degree: 8, interval: 0.01 ... 10))
        #expect(wide.errors.outside.allSatisfy { !$0.isUndefined && $0.error.isFinite })
    }

    // MARK: Errors

    @Test func parseErrorsPointAtTheFault() {
        let cases: [(String, String, String)] = [
            ("x*foo(x)", "unknown function 'foo'", "    ^^^"),
            ("exp(x", "missing ')' for this '('", "     ^"),
            ("1 +", "expected a number, x, pi, a function or '(' at the end", "     ^"),
            ("2x", "expected an operator (+ - * / ^) before this", "   ^"),
            ("min(x)", "min takes 2 arguments, got 1", "  ^^^^^^"),
            ("x $ 1", "unexpected character '$'", "    ^"),
            ("y + 1", "unknown name 'y'; the variable is x and the constant pi", "  ^"),
            ("x)", "unmatched ')'", "   ^"),
            ("exp + 1", "'exp' is a function: write exp(…)", "  ^^^"),
            ("", "empty expression", "  ^"),
            ("1e999*x", "number '1e999' overflows Double", "  ^^^^^"),
        ]
        for (text, message, carets) in cases {
            do {
                _ = try FunctionExpression(parsing: text)
                Issue.record("'\(text)' parsed")
            } catch let error as FunctionExpressionError {
                let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                #expect(lines.count == 3, "\(error)")
                #expect(lines.first?.hasPrefix(message) == true, "\(text): \(error)")
                #expect(lines.dropFirst().first == "  " + text)
                #expect(lines.last == carets, "\(text): carets '\(lines.last ?? "")'")
            } catch {
                Issue.record("'\(text)': \(error)")
            }
        }
    }

    @Test func deepNestingIsRefusedNotOverflowed() {
        let text = String(repeating: "(", count: 10_000) + "x" + String(repeating: ")", count: 10_000)
        #expect(throws: FunctionExpressionError.self) { try FunctionExpression(parsing: text) }
        let minuses = String(repeating: "-", count: 10_000) + "x"
        let sum = Array(repeating: "x", count: 10_000).joined(separator: "+")
        #expect(throws: FunctionExpressionError.self) { try FunctionExpression(parsing: sum) }
        #expect(throws: FunctionExpressionError.self) { try FunctionExpression(parsing: minuses) }
    }

    /// Seeded mutations of valid expressions (deleted, duplicated, swapped and replaced
    /// characters): parsing throws or succeeds, never traps; what parses prints back to the same
    /// tree and evaluates without trapping.
    @Test func mutatedExpressionsThrowOrRoundTrip() throws {
        var generator = SplitMix64(seed: 14)
        let seeds = ["x*sigmoid(1.702*x)", "log(1 + exp(x))", "1/sqrt(x)", "min(x, 2*x - 1)^2", "-x^-2.5e-3 + pi"]
        let alphabet = Array("x()+-*/^,.e0123456789 pi" + "expsqrtminmax")
        var parsed = 0
        for _ in 0 ..< 3000 {
            var characters = Array(seeds[Int(generator.next() % UInt64(seeds.count))])
            for _ in 0 ... generator.next() % 3 where !characters.isEmpty {
                let i = Int(generator.next() % UInt64(characters.count))
                switch generator.next() % 4 {
                case 0: characters.remove(at: i)
                case 1: characters.insert(characters[i], at: i)
                case 2: characters.swapAt(i, Int(generator.next() % UInt64(characters.count)))
                default: characters[i] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                }
            }
            let text = String(characters)
            guard let expression = try? FunctionExpression(parsing: text) else { continue }
            parsed += 1
            #expect(try FunctionExpression(parsing: expression.description) == expression, "'\(text)'")
            _ = expression.value(at: 0.5) + expression.derivative(at: -0.5)
            _ = expression.series(TaylorSeries.variable(at: 0.25, count: 4), strict: true)
        }
        #expect(parsed > 100)
    }

    @Test func misspeltNamesAreReportedAsNames() {
        #expect(throws: ActivationError.unknownNameOrExpression("gleu", known: Activation.knownNames)) {
            try Activation.named(orExpression: "gleu")
        }
    }

    // MARK: Poles and non-finite values

    @Test func polesAndDomainErrorsAreFoundBeforeFitting() throws {
        func failure(_ text: String, on interval: ClosedRange<Double>) throws -> (x: Double, message: String)? {
            let f = Activation(expression: try FunctionExpression(parsing: text))
            do {
                _ = try f.approximation(ApproximationRequest(method: .chebyshev, degree: 8, interval: interval))
                return nil
            } catch let error as ActivationError {
                guard case let .notFiniteOnInterval(_, x, _, _) = error else { return nil }
                return (x, error.description)
            }
        }
        let atZero = try #require(try failure("1/x", on: -1 ... 1))
        #expect(atZero.x == 0 && atZero.message.contains("1/x is not finite at x = 0.0 on [-1.0, 1.0]: division by zero in '1/x'"))
        #expect(!atZero.message.contains("\n"))
        // A pole between samples: the denominator's sign change is bisected to adjacent Doubles.
        let between = try #require(try failure("1/(x - 0.3)", on: 0 ... 1))
        #expect(Swift.abs(between.x - 0.3) <= eps && between.message.contains("(a pole)"))
        let logarithm = try #require(try failure("log(x)", on: -1 ... 1))
        #expect(logarithm.x == -1 && logarithm.message.contains("takes the logarithm of -1.0"))
        let overflow = try #require(try failure("exp(1000*x)", on: 0 ... 1))
        #expect(overflow.message.contains("overflows"))
        #expect(try failure("1/sqrt(x)", on: 0.01 ... 10) == nil)
    }
}
