import Foundation
import Polynomials
import Testing

@Suite struct RationalMinimaxTests {
    private static let gelu: @Sendable (Double) -> Double = { $0 * 0.5 * erfc(-$0 / 2.0.squareRoot()) }

    /// The characterization theorem, checked on samples the algorithm never saw: the error
    /// alternates in sign at n + m + 2 points with equal magnitude (non-degenerate, defect 0),
    /// q > 0 on the interval, and the reported max error and lower bound bracket the sample.
    private func verify(_ r: RationalMinimaxApproximation, _ f: (Double) -> Double, _ interval: ClosedRange<Double>,
                        n: Int, m: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let xs = (0 ... 100_000).map { interval.lowerBound + (interval.upperBound - interval.lowerBound) * Double($0) / 100_000 }
        #expect(xs.allSatisfy { r.rational.denominator($0) > 0 }, "q has a zero on the interval", sourceLocation: sourceLocation)
        let sampled = xs.map { abs(f($0) - r.rational($0)) }.max()!
        // The reported maximum comes from refined extrema: the sample cannot exceed it beyond rounding.
        #expect(sampled <= r.maxError * (1 + 1e-9), "sampled \(sampled) > reported \(r.maxError)", sourceLocation: sourceLocation)
        #expect(r.lowerBound <= sampled * (1 + 1e-9), sourceLocation: sourceLocation)
        #expect(r.reference.count == n + m + 2, sourceLocation: sourceLocation)
        for (a, b) in zip(r.referenceErrors, r.referenceErrors.dropFirst()) {
            #expect(a * b < 0, "reference errors must alternate in sign", sourceLocation: sourceLocation)
        }
        // Equal magnitude to 1e-8 relative, or to the rounding floor 64ε·max|f| where E is that
        // small (exp (3, 3): E = 1.6e-7, ripples ~4e-15): Remez stops at 1e-10 relative or at the
        // rounding floor of evaluating p/q, ε·(‖a‖₁ + |r|·‖b‖₁)/min q, which here is ~64ε·max|f|.
        let largest = xs.map { abs(f($0)) }.max()!
        let magnitudes = r.referenceErrors.map(abs)
        #expect(magnitudes.max()! - magnitudes.min()! <= 1e-8 * magnitudes.max()! + 64 * Double.ulpOfOne * largest,
                "ripples \(magnitudes)", sourceLocation: sourceLocation)
    }

    @Test func equioscillatesForExpAndGELU() throws {
        let exp33 = try RationalFunction.minimax(of: { exp($0) }, numeratorDegree: 3, denominatorDegree: 3, on: -1 ... 1)
        verify(exp33, { exp($0) }, -1 ... 1, n: 3, m: 3)
        let gelu44 = try RationalFunction.minimax(of: Self.gelu, numeratorDegree: 4, denominatorDegree: 4, on: -4 ... 4)
        verify(gelu44, Self.gelu, -4 ... 4, n: 4, m: 4)
        let gelu62 = try RationalFunction.minimax(of: Self.gelu, numeratorDegree: 6, denominatorDegree: 2, on: -6 ... 6)
        verify(gelu62, Self.gelu, -6 ... 6, n: 6, m: 2)
    }

    @Test func denominatorDegreeZeroIsThePolynomialMinimax() throws {
        // Both runs level the same error at degree 10; they stop at 1e-12 (polynomial) and 1e-10
        // (rational) relative ripple, so the errors agree to ~1e-10 and the coefficients to
        // about that times E over the smallest gap of the reference (a Lebesgue-constant factor).
        let p = try Polynomial.minimax(of: Self.gelu, degree: 10, on: -6 ... 6)
        let r = try RationalFunction.minimax(of: Self.gelu, numeratorDegree: 10, denominatorDegree: 0, on: -6 ... 6)
        #expect(abs(p.maxError - r.maxError) <= 1e-10 * p.maxError, "\(p.maxError) vs \(r.maxError)")
        #expect(r.rational.denominator.coefficients == [1])
        let gap = zip(p.polynomial.coefficients, r.rational.numerator.coefficients).map { abs($0 - $1) }.max()!
        #expect(gap <= 1e-8 * p.maxError, "coefficients differ by \(gap)")
    }

    @Test func matchesIndependentDifferentialCorrection() throws {
        // Reference: Cheney–Loeb differential correction by linear programming (scipy HiGHS,
        // feasibility tolerance 1e-10) on ~8000 grid points, /work/notes/rational-reference.py:
        // its discrete best error is ≤ the continuous best (a subset of the interval), up to the
        // LP's tolerance; agreement to 1e-5 relative covers both (measured gaps: 4.4e-7 for exp,
        // 8.4e-8 and 4.7e-6 for |x|).
        let cases: [(String, (Double) -> Double, Int, [Double], Double)] = [
            ("exp", { exp($0) }, 2, [], 8.689987282118e-05),
            ("abs", { abs($0) }, 2, [0], 4.368900939281e-02),
            ("abs", { abs($0) }, 4, [0], 8.501444990028e-03),
        ]
        for (name, f, n, kinks, reference) in cases {
            let r = try RationalFunction.minimax(of: f, numeratorDegree: n, denominatorDegree: n, on: -1 ... 1, breakpoints: kinks)
            #expect(abs(r.maxError - reference) <= 1e-5 * reference, "\(name) (\(n), \(n)): \(r.maxError) vs \(reference)")
            verify(r, f, -1 ... 1, n: n, m: n)
        }
        // GELU, same script (/tmp run of differential_correction on [-4, 4] and [-8, 8]): the LP
        // stopped before its discrete optimum at these sizes (its error exceeds ours, which the
        // equioscillation certifies), measured gaps 3.8e-5 and ~4e-6; 1e-4 relative.
        for (n, half, reference) in [(4, 4.0, 1.4541406433008497e-03), (8, 8.0, 1.0963548899006748e-04)] {
            let r = try RationalFunction.minimax(of: Self.gelu, numeratorDegree: n, denominatorDegree: n, on: -half ... half)
            #expect(abs(r.maxError - reference) <= 1e-4 * reference, "gelu (\(n), \(n)): \(r.maxError) vs \(reference)")
        }
    }

    @Test func absoluteValueEqualsSquareRootOfTheSquare() throws {
        // |x| = √(x²) and an even best approximation is a function of x², so
        // E_{2k,2k}(|x|; [-1, 1]) = E_{k,k}(√t; [0, 1]) (Varga, Ruttan & Carpenter 1993 use it):
        // two independent runs with different functions, kinks and reference sizes must agree to
        // the stopping tolerance (1e-10) plus the p/q rounding floor near the kink (~1e-11·E here).
        for k in [1, 2] {
            let abs = try RationalFunction.minimax(of: { Swift.abs($0) }, numeratorDegree: 2 * k, denominatorDegree: 2 * k,
                                                   on: -1 ... 1, breakpoints: [0])
            let root = try RationalFunction.minimax(of: { $0.squareRoot() }, numeratorDegree: k, denominatorDegree: k, on: 0 ... 1)
            #expect(Swift.abs(abs.maxError - root.maxError) <= 1e-9 * root.maxError, "k = \(k): \(abs.maxError) vs \(root.maxError)")
        }
    }

    @Test func beatsThePolynomialMinimaxOnAKink() throws {
        // Same number of free coefficients: type (4, 4) has 4 + 4 + 1 = 9, degree 8 has 9.
        // Measured: E_{4,4}(|x|) = 8.50e-3 vs E_8(|x|) = 3.3e-2 (ratio ≈ 3.9; Newman: rational
        // errors fall like e^{−π√n}, polynomial ones like 1/n). Asserted loosely: ratio > 2.
        let rational = try RationalFunction.minimax(of: { abs($0) }, numeratorDegree: 4, denominatorDegree: 4,
                                                    on: -1 ... 1, breakpoints: [0])
        let polynomial = try Polynomial.minimax(of: { abs($0) }, degree: 8, on: -1 ... 1, breakpoints: [0])
        #expect(polynomial.maxError / rational.maxError > 2, "\(polynomial.maxError) / \(rational.maxError)")
    }

    @Test func failuresAreTypedErrors() {
        // Bad input.
        #expect(throws: PolynomialError.self) { try RationalFunction.minimax(of: { $0 }, numeratorDegree: -1, denominatorDegree: 1, on: -1 ... 1) }
        #expect(throws: PolynomialError.self) { try RationalFunction.minimax(of: { $0 }, numeratorDegree: 2, denominatorDegree: 51, on: -1 ... 1) }
        #expect(throws: PolynomialError.self) { try RationalFunction.minimax(of: { $0 }, numeratorDegree: 2, denominatorDegree: 2, on: 1 ... 1) }
        #expect(throws: PolynomialError.self) { try RationalFunction.minimax(of: { _ in .nan }, numeratorDegree: 2, denominatorDegree: 2, on: -1 ... 1) }
        // A defective type: tanh is odd, so its best (3, 1) approximation is odd, q is even, i.e.
        // constant (defect 1): the degree-3 polynomial minimax. The run must return that (no
        // worse) or a typed error; never a silently wrong "best" answer.
        do {
            let r = try RationalFunction.minimax(of: { tanh($0) }, numeratorDegree: 3, denominatorDegree: 1, on: -3 ... 3)
            let p = try Polynomial.minimax(of: { tanh($0) }, degree: 3, on: -3 ... 3)
            #expect(r.maxError <= p.maxError * (1 + 1e-9))
        } catch {
            #expect(error is PolynomialError)
            #expect("\(error)".contains("degenerate") || "\(error)".contains("pole") || "\(error)".contains("converge"))
        }
    }

    @Test func newtonInverseStepsMatchIteration() throws {
        // Brute force: run y ← y·(2 − q·y) from y₀ = 2/(q_min + q_max) for q across the range and
        // count steps until every |1 − q·y| ≤ δ; the closed form must give the same count.
        for (range, delta) in [(1.0 ... 3.0, 1e-6), (0.01 ... 2.25, 1e-4), (0.5 ... 4.7, 1e-9), (1.0 ... 1.1, 0.3)] {
            let y0 = 2 / (range.lowerBound + range.upperBound)
            var steps = 0
            var ys = (0 ... 1000).map { _ in y0 }
            let qs = (0 ... 1000).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / 1000 }
            repeat {
                for i in ys.indices { ys[i] *= 2 - qs[i] * ys[i] }
                steps += 1
            } while zip(qs, ys).contains { abs(1 - $0 * $1) > delta }
            #expect(try EvaluationCost.newtonInverseSteps(denominatorRange: range, relativeError: delta) == steps, "\(range), \(delta)")
        }
        let costs = EvaluationCost.rational(numeratorDegree: 8, denominatorDegree: 8, newtonSteps: 5, needsAffineMap: true)
        #expect(costs.map(\.scheme) == ["numerator-paterson-stockmeyer-chebyshev", "denominator-paterson-stockmeyer-chebyshev",
                                        "newton-inverse-5-steps", "rational-total"])
        // q (depth 5 with the map) → 1/q adds 1 + 2·4 = 9 levels → the product one more: 15.
        #expect(costs[3].depth == 15 && costs[3].nonScalarMultiplications == 2 * costs[0].nonScalarMultiplications + 8 + 1)
    }
}
