import Foundation
import Polynomials
import Testing

@Suite struct RationalMinimaxTests {
    private static let gelu: @Sendable (Double) -> Double = { $0 * 0.5 * erfc(-$0 / 2.0.squareRoot()) }

    /// max_x |f(x) − r(x)| computed in Double differs from the exact value by at most
    /// (a) the rounding of f: erfc and exp in glibc err by at most a few ulps (libm-test-ulps),
    ///     and the formulas add a few roundings, so 32ε·max|f| bounds it;
    /// (b) the rounding of p/q by Clenshaw: about ε·(‖a‖₁ + |r|·‖b‖₁)/q per step, the same
    ///     quantity Remez uses for its own stopping floor (64ε times it, so the same factor here).
    /// A comparison of two computed errors allows twice this.
    static func roundingAllowance(_ r: RationalMinimaxApproximation, largest: Double) -> Double {
        let a = r.rational.numerator.coefficients.reduce(0) { $0 + abs($1) }
        let b = r.rational.denominator.coefficients.reduce(0) { $0 + abs($1) }
        let evaluation = (a + (largest + r.maxError) * b) / r.denominatorRange.lowerBound
        return 32 * Double.ulpOfOne * largest + 64 * Double.ulpOfOne * max(largest, evaluation)
    }

    /// The characterization theorem, checked on samples the algorithm never saw: the error
    /// alternates in sign at n + m + 2 points with equal magnitude (non-degenerate, defect 0),
    /// q > 0 on the interval, and the reported max error and lower bound bracket the sample.
    private func verify(_ r: RationalMinimaxApproximation, _ f: (Double) -> Double, _ interval: ClosedRange<Double>,
                        n: Int, m: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let xs = (0 ... 100_000).map { interval.lowerBound + (interval.upperBound - interval.lowerBound) * Double($0) / 100_000 }
        #expect(xs.allSatisfy { r.rational.denominator($0) > 0 }, "q has a zero on the interval", sourceLocation: sourceLocation)
        let sampled = xs.map { abs(f($0) - r.rational($0)) }.max()!
        let largest = xs.map { abs(f($0)) }.max()!
        let rounding = 2 * Self.roundingAllowance(r, largest: largest)
        // The reported maximum comes from refined extrema (golden section to 1e-11 in t, so its
        // value is within E·O(1e-22·N²) of the true local maxima): the sample cannot exceed it
        // beyond rounding. 1e-9 relative is slack for the refinement, far above that.
        #expect(sampled <= r.maxError * (1 + 1e-9) + rounding, "sampled \(sampled) > reported \(r.maxError)", sourceLocation: sourceLocation)
        // The interval's ends are reference points of a smooth f's best error and sample points.
        #expect(r.lowerBound <= sampled * (1 + 1e-9) + rounding, sourceLocation: sourceLocation)
        #expect(r.reference.count == n + m + 2, sourceLocation: sourceLocation)
        for (a, b) in zip(r.referenceErrors, r.referenceErrors.dropFirst()) {
            #expect(a * b < 0, "reference errors must alternate in sign", sourceLocation: sourceLocation)
        }
        // Remez stops when max − min of these ≤ 1e-10·max + 64ε·evaluationScale (its rounding
        // floor, bounded by roundingAllowance); 1e-8 relative is 100× the stopping tolerance.
        let magnitudes = r.referenceErrors.map(abs)
        #expect(magnitudes.max()! - magnitudes.min()! <= 1e-8 * magnitudes.max()! + Self.roundingAllowance(r, largest: largest),
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
        // Both runs level the same error at degree 10. Each max error is within its stopping
        // rule of the best error E*: 1e-12 relative + 64ε·max|f| (polynomial), 1e-10 relative
        // + 64ε·evaluationScale (rational, bounded by roundingAllowance), plus the rounding of
        // computing the errors; the difference is at most the sum. The coefficients agree to
        // that times 1/γ (γ: the strong-uniqueness constant of this problem, not a rounding
        // quantity); 1e-8·E allows 1/γ up to about 100.
        let p = try Polynomial.minimax(of: Self.gelu, degree: 10, on: -6 ... 6)
        let r = try RationalFunction.minimax(of: Self.gelu, numeratorDegree: 10, denominatorDegree: 0, on: -6 ... 6)
        let allowance = Self.roundingAllowance(r, largest: 6)
        let stopping = 1e-12 * p.maxError + 1e-10 * r.maxError + 64 * Double.ulpOfOne * 6 + 2 * allowance
        #expect(abs(p.maxError - r.maxError) <= stopping, "\(p.maxError) vs \(r.maxError)")
        // q is normalized by dividing by its own T_0 coefficient: b/b = 1 exactly.
        #expect(r.rational.denominator.coefficients == [1])
        let gap = zip(p.polynomial.coefficients, r.rational.numerator.coefficients).map { abs($0 - $1) }.max()!
        #expect(gap <= 1e-8 * p.maxError, "coefficients differ by \(gap)")
    }

    @Test func matchesIndependentDifferentialCorrection() throws {
        // Bounds E* ∈ [L, U] from scripts/reference/rational_minimax_bounds.py: Cheney–Loeb
        // differential correction (scipy HiGHS) on a fine grid gives a near-best r_d; U is its
        // max error on 2·10⁶ points (≥ E*), L the de la Vallée-Poussin bound from its
        // alternation (≤ E*). Printed to 12 digits (5e-13 relative, inside the rounding
        // allowance). Our result must be consistent with them: maxError ≥ E* ≥ L, lowerBound ≤
        // E* ≤ U, and maxError ≤ (E* + Remez's floor)/(1 − 1e-10) ≤ U·(1 + 2e-10) + floor.
        let cases: [(String, (Double) -> Double, Int, Double, [Double], lower: Double, upper: Double)] = [
            ("exp", { exp($0) }, 2, 1, [], 8.689984583965e-05, 8.690008741530e-05),
            ("abs", { abs($0) }, 2, 1, [0], 4.368896438145e-02, 4.368907573145e-02),
            ("abs", { abs($0) }, 4, 1, [0], 8.501336686503e-03, 8.501695113189e-03),
            ("gelu", Self.gelu, 4, 4, [], 1.454137990527e-03, 1.454146581837e-03),
            ("gelu", Self.gelu, 8, 8, [], 1.096294172989e-04, 1.096390082608e-04),
        ]
        for (name, f, n, half, kinks, lower, upper) in cases {
            let r = try RationalFunction.minimax(of: f, numeratorDegree: n, denominatorDegree: n, on: -half ... half, breakpoints: kinks)
            let largest = (0 ... 2000).map { abs(f(-half + half * Double($0) / 1000)) }.max()!
            let rounding = 2 * Self.roundingAllowance(r, largest: largest)
            #expect(r.maxError >= lower - rounding, "\(name) (\(n), \(n)): max error \(r.maxError) below L = \(lower)")
            #expect(r.lowerBound <= upper + rounding, "\(name) (\(n), \(n)): lower bound \(r.lowerBound) above U = \(upper)")
            #expect(r.maxError <= upper * (1 + 2e-10) + rounding, "\(name) (\(n), \(n)): max error \(r.maxError) above U = \(upper)")
            if half == 1 { verify(r, f, -1 ... 1, n: n, m: n) }
        }
    }

    @Test func absoluteValueEqualsSquareRootOfTheSquare() throws {
        // |x| = √(x²) and an even best approximation is a function of x², so
        // E_{2k,2k}(|x|; [-1, 1]) = E_{k,k}(√t; [0, 1]) (Varga, Ruttan & Carpenter 1993 use it):
        // two independent runs with different functions, kinks and reference sizes must agree to
        // their stopping tolerances (1e-10 relative each) plus their rounding floors.
        for k in [1, 2] {
            let abs = try RationalFunction.minimax(of: { Swift.abs($0) }, numeratorDegree: 2 * k, denominatorDegree: 2 * k,
                                                   on: -1 ... 1, breakpoints: [0])
            let root = try RationalFunction.minimax(of: { $0.squareRoot() }, numeratorDegree: k, denominatorDegree: k, on: 0 ... 1)
            let tolerance = 1e-10 * (abs.maxError + root.maxError)
                + 2 * (Self.roundingAllowance(abs, largest: 1) + Self.roundingAllowance(root, largest: 1))
            #expect(Swift.abs(abs.maxError - root.maxError) <= tolerance, "k = \(k): \(abs.maxError) vs \(root.maxError)")
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
            // E_{3,1} ≤ E_3 ≤ p.maxError, and r.maxError exceeds E_{3,1} by at most its stopping
            // rule (1e-10 relative, 1e-9 allowed) and rounding.
            #expect(r.maxError <= p.maxError * (1 + 1e-9) + 2 * Self.roundingAllowance(r, largest: 1))
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
