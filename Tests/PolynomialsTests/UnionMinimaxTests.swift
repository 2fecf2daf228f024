import Foundation
import Polynomials
import Testing

/// Weighted Remez on unions of intervals against scripts/reference/union_minimax.py, which
/// brackets each best error E* for sign in [L, U] by a linear program on a refined grid (HiGHS)
/// and the max error of its solution with f in 30-digit mpmath, and, for the smooth one-interval
/// cases, against scripts/reference/remez_mpmath.py (Remez in 50-digit arithmetic).
@Suite struct UnionMinimaxTests {
    private static func sign(_ x: Double) -> Double { x > 0 ? 1 : -1 }
    private static let union6: [ClosedRange<Double>] = [-1 ... -0x1p-6, 0x1p-6 ... 1]

    /// (degree, L, U) printed by `python3 scripts/reference/union_minimax.py` for sign on
    /// [−1, −2⁻⁶] ∪ [2⁻⁶, 1].
    static let signReference: [(Int, Double, Double)] = [
        (7, 8.339014229523058e-01, 8.339014229523061e-01),
        (15, 6.844591262939118e-01, 6.844591262946728e-01),
        (31, 4.706780819793884e-01, 4.706780820031327e-01),
        (63, 2.361615893489031e-01, 2.361615893745777e-01),
    ]

    /// Checks a fit against its reference bracket [L, U] ∋ E*.
    ///
    /// Remez stops with maxError ≤ E*·(1 + 1e-12) + 64ε·max|w·f| and lowerBound ≤ E*; the
    /// reported maximum is a located one (golden section to 1e-10 of a grid gap: its shortfall
    /// is O(E·(n·1e-10·h)²), negligible). So L − floor ≤ maxError ≤ U·(1 + 1e-12) + floor and
    /// lowerBound ≤ U, where floor also covers Double rounding of w·(f − p) in both programs.
    /// The 1e-6 relative agreement follows when U − L ≤ 1e-7·U.
    private func expectMatches(_ m: MinimaxApproximation, lower: Double, upper: Double, floor: Double,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(m.maxError >= lower - floor, "maxError \(m.maxError) < L = \(lower)", sourceLocation: sourceLocation)
        #expect(m.maxError <= upper * (1 + 1e-12) + floor, "maxError \(m.maxError) > U = \(upper)", sourceLocation: sourceLocation)
        #expect(m.lowerBound <= upper + floor, sourceLocation: sourceLocation)
        #expect(m.lowerBound <= m.maxError, sourceLocation: sourceLocation)
    }

    /// Sampled |w·(f − p)| on 10⁵ points of the union never exceeds the reported maximum
    /// beyond rounding (32ε·max|w·f| for f and w, 64ε·‖c‖₁·max w for Clenshaw, twice).
    private func expectSampledBelowMaximum(_ m: MinimaxApproximation, _ f: (Double) -> Double, weight: (Double) -> Double = { _ in 1 },
                                           on pieces: [ClosedRange<Double>], sourceLocation: SourceLocation = #_sourceLocation) {
        let total = pieces.reduce(0) { $0 + $1.upperBound - $1.lowerBound }
        var sampled = 0.0, scale = 0.0, weightScale = 0.0
        for piece in pieces {
            let count = Int(100_000 * (piece.upperBound - piece.lowerBound) / total) + 2
            for i in 0 ..< count {
                let x = piece.lowerBound + (piece.upperBound - piece.lowerBound) * Double(i) / Double(count - 1)
                sampled = max(sampled, abs(weight(x) * (f(x) - m.polynomial(x))))
                scale = max(scale, abs(weight(x) * f(x)))
                weightScale = max(weightScale, weight(x))
            }
        }
        let rounding = 2 * (32 * Double.ulpOfOne * scale
            + 64 * Double.ulpOfOne * weightScale * m.polynomial.coefficients.reduce(0) { $0 + abs($1) })
        #expect(sampled <= m.maxError * (1 + 1e-12) + rounding, "sampled \(sampled) > reported \(m.maxError)",
                sourceLocation: sourceLocation)
    }

    @Test(arguments: signReference)
    func signOnUnionMatchesTheLinearProgram(degree: Int, lower: Double, upper: Double) throws {
        let m = try Polynomial.minimax(of: Self.sign, degree: degree, on: Self.union6)
        // |f| = 1: floor 64ε plus the rounding of Clenshaw in the reference (‖c‖₁ ≤ 8·n here).
        expectMatches(m, lower: lower, upper: upper, floor: 64 * Double.ulpOfOne * Double(8 * degree))
        #expect(abs(m.maxError - upper) <= 1e-6 * upper)
        #expect(m.symmetry == .odd)
        // Exact parity: the even coefficients are zero, not small.
        #expect(stride(from: 0, through: degree, by: 2).allSatisfy { m.polynomial.coefficients[$0] == 0 })
        // Odd f with odd n: n + 3 alternation points on the union, alternating in sign.
        #expect(m.reference.count == degree + 3)
        #expect(zip(m.referenceErrors, m.referenceErrors.dropFirst()).allSatisfy { $0 * $1 < 0 })
        #expect(m.reference.allSatisfy { x in Self.union6.contains { $0.contains(x) } })
        expectSampledBelowMaximum(m, Self.sign, on: Self.union6)
    }

    /// Best errors E* of degree 15 from `python3 scripts/reference/remez_mpmath.py` (Remez in
    /// 50-digit mpmath; its certificate brackets each E* to 1e-30).
    static let exponentialBest = 1.469358645589524859901186e-10     // exp on [−8, 0]
    static let inverseSquareRootBest = 1.097469079000226297883951    // 1/√x on [0.01, 10]
    static let relativeInverseSquareRootBest = 0.2372065755873040173780356   // the same, w = √x

    /// A bound N on the rounding of one computed |w·(f − p)|, with max|f| = `scale` and
    /// w ≤ `weight` on the interval:
    /// - f within 1 ulp (libm exp, sqrt and a division): |f̂ − f| ≤ 2u·|f|, u = ε/2;
    /// - Clenshaw, b_k = c_k + 2t·b_{k+1} − b_{k+2}: each step's rounding η_k enters exactly where
    ///   c_k does, so p̂ − p = Σ η_k·T_k(t) with |T_k| ≤ 1, |η_k| ≤ γ₂·(|c_k| + 2|b_{k+1}| + |b_{k+2}|),
    ///   and |b_k| ≤ Σ_{j≥k} (j − k + 1)·|c_j| (b_k = Σ c_j·U_{j−k}(t), |U_m| ≤ m + 1), so
    ///   |p̂ − p| ≤ γ₂·Σ_j |c_j|·(1 + 3j(j + 1)/2), γ₂ = 2u/(1 − 2u);
    /// - the map between x and t: at most 2 roundings of terms ≤ 3, moving f or p by
    ///   |f′|·δx or |p′|·δt ≤ 6u·Σ_j j²·|c_j| (Markov: |T_j′| ≤ j²);
    /// - f̂ − p̂ is exact (Sterbenz) or one more rounding of size u·|e|, and w·(…) one more;
    /// so N = w·(2u·max|f| + Clenshaw + map) + 2u·E. None of this depends on the machine beyond
    /// IEEE-754 Double and a libm within 1 ulp.
    private func roundingBound(_ m: MinimaxApproximation, scale: Double, weight: Double) -> Double {
        let u = Double.ulpOfOne / 2, gamma2 = 2 * u / (1 - 2 * u)
        let c = m.polynomial.coefficients.map(abs)
        let clenshaw = gamma2 * c.indices.reduce(0) { $0 + c[$1] * (1 + 1.5 * Double($1 * ($1 + 1))) }
        let map = 6 * u * c.indices.reduce(0) { $0 + c[$1] * Double($1 * $1) }
        return weight * (2 * u * scale + clenshaw + map) + 2 * u * m.maxError
    }

    /// Checks a fit against the 50-digit best error E* with N = ``roundingBound(_:scale:)``.
    ///
    /// The exchange stops once its gap Û − L̂ is rounding noise; the test requires that it got
    /// there (Û − L̂ ≤ 2N: both ends within N of exact values). Then, with the exact bounds
    /// L ≤ E* ≤ U of the returned polynomial and Û ≤ U + N, L̂ ≥ L − N:
    /// Û − E* ≤ Û − L ≤ (Û − L̂) + N ≤ 3N and E* − Û ≤ E* − U + N ≤ N; likewise for L̂.
    private func expectMatchesBest(_ m: MinimaxApproximation, best: Double, scale: Double, weight: Double = 1,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        let n = roundingBound(m, scale: scale, weight: weight)
        #expect(m.maxError - m.lowerBound <= 2 * n, "gap \(m.maxError - m.lowerBound) above the rounding 2N = \(2 * n)",
                sourceLocation: sourceLocation)
        #expect(m.maxError >= best - n && m.maxError <= best + 3 * n, "maxError \(m.maxError) vs E* = \(best), N = \(n)",
                sourceLocation: sourceLocation)
        #expect(m.lowerBound >= best - 3 * n && m.lowerBound <= best + n, "lowerBound \(m.lowerBound) vs E* = \(best), N = \(n)",
                sourceLocation: sourceLocation)
    }

    @Test func inverseSquareRootAbsoluteAndRelative() throws {
        let f: (Double) -> Double = { 1 / $0.squareRoot() }
        let absolute = try Polynomial.minimax(of: f, degree: 15, on: [0.01 ... 10])
        expectMatchesBest(absolute, best: Self.inverseSquareRootBest, scale: 10)
        let relativeWeight: (Double) -> Double = { $0.squareRoot() }     // 1/|f|
        let relative = try Polynomial.minimax(of: f, degree: 15, on: [0.01 ... 10], weight: relativeWeight)
        expectMatchesBest(relative, best: Self.relativeInverseSquareRootBest, scale: 10, weight: 10.0.squareRoot())
        expectSampledBelowMaximum(relative, f, weight: relativeWeight, on: [0.01 ... 10])
        // The single-interval union is the one-interval Remez.
        let single = try Polynomial.minimax(of: f, degree: 15, on: 0.01 ... 10)
        expectMatchesBest(single, best: Self.inverseSquareRootBest, scale: 10)
    }

    /// exp on [−8, 0], degree 15: E* ≈ 1.5e-10 against max|f| = 1, so the rounding of f − p near
    /// x = 0 (2^-53 = 7.6e-7·E* per unit in the last place) limits the agreement: N ≈ 1.5e-5·E*
    /// bounds it, and the exchanges land within ~3e-6 (both the union and the one-interval one).
    @Test func exponentialOnMinusEightToZero() throws {
        let union = try Polynomial.minimax(of: { exp($0) }, degree: 15, on: [-8 ... 0])
        expectMatchesBest(union, best: Self.exponentialBest, scale: 1)
        let single = try Polynomial.minimax(of: { exp($0) }, degree: 15, on: -8 ... 0)
        expectMatchesBest(single, best: Self.exponentialBest, scale: 1)
    }

    @Test func parityIsDetected() throws {
        let pieces: [ClosedRange<Double>] = [-1 ... -0.1, 0.1 ... 1]
        let even = try Polynomial.minimax(of: { abs($0) + $0 * $0 }, degree: 10, on: pieces)
        #expect(even.symmetry == .even)
        #expect(stride(from: 1, through: 10, by: 2).allSatisfy { even.polynomial.coefficients[$0] == 0 })
        // Even f with even n: n + 3 alternation points.
        #expect(even.reference.count == 13)
        let shifted = try Polynomial.minimax(of: { exp($0) }, degree: 6, on: pieces)
        #expect(shifted.symmetry == .none)
        let asymmetric = try Polynomial.minimax(of: Self.sign, degree: 7, on: [-1 ... -0.1, 0.2 ... 1])
        #expect(asymmetric.symmetry == .none)
        #expect(asymmetric.reference.count == 9)
        // Three pieces, alternation across both gaps.
        let three = try Polynomial.minimax(of: { sin(3 * $0) }, degree: 5, on: [-2 ... -1, -0.5 ... 0.5, 1 ... 2], symmetry: Polynomial.Symmetry.none)
        #expect(three.reference.count == 7)
        #expect(zip(three.referenceErrors, three.referenceErrors.dropFirst()).allSatisfy { $0 * $1 < 0 })
    }

    @Test func badInputThrows() {
        #expect(throws: PolynomialError.emptyUnion) { try Polynomial.minimax(of: { $0 }, degree: 3, on: [ClosedRange<Double>]()) }
        #expect(throws: PolynomialError.self) { try Polynomial.minimax(of: { $0 }, degree: 3, on: [0 ... 2, 1 ... 3]) }
        #expect(throws: PolynomialError.self) { try Polynomial.minimax(of: { $0 }, degree: 3, on: [2 ... 3, 0 ... 1]) }
        #expect(throws: PolynomialError.self) { try Polynomial.minimax(of: { $0 }, degree: 3, on: [0 ... 1, 1 ... 2]) }
        #expect(throws: PolynomialError.self) { try Polynomial.minimax(of: { $0 }, degree: 3, on: [0 ... 1], weight: { $0 - 0.5 }) }
        #expect(throws: PolynomialError.self) { try Polynomial.minimax(of: { _ in .nan }, degree: 3, on: [0 ... 1]) }
        #expect(throws: PolynomialError.self) { try Polynomial.minimax(of: { $0 }, degree: 201, on: [0 ... 1]) }
        #expect(throws: PolynomialError.self) { try Polynomial.minimax(of: { $0 }, degree: 3, on: [0 ... 1], symmetry: .odd) }
    }
}
