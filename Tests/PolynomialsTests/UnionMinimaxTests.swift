import Foundation
import Polynomials
import Testing

/// Weighted Remez on unions of intervals against scripts/reference/union_minimax.py, which
/// brackets each best error E* in [L, U] by a linear program on a refined grid (HiGHS) and the
/// max error of its solution with f in 30-digit mpmath.
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
    /// The 1e-6 relative agreement follows when U − L ≤ 1e-7·U (all cases but exp,
    /// whose E* ≈ 1.5e-10 against max|f| = 1 leaves both programs ~1e-6 relative of rounding).
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

    /// (name, weight, L, U) from the same script: 1/√x on [0.01, 10] and exp on [−8, 0], degree 15.
    @Test func inverseSquareRootAbsoluteAndRelative() throws {
        let f: (Double) -> Double = { 1 / $0.squareRoot() }
        let absolute = try Polynomial.minimax(of: f, degree: 15, on: [0.01 ... 10])
        // max|f| = 10: floor 64ε·10.
        expectMatches(absolute, lower: 1.097469078999227e+00, upper: 1.097469079014990e+00, floor: 640 * Double.ulpOfOne)
        #expect(abs(absolute.maxError - 1.097469079014990) <= 1e-6 * 1.097469079014990)
        let relativeWeight: (Double) -> Double = { $0.squareRoot() }     // 1/|f|
        let relative = try Polynomial.minimax(of: f, degree: 15, on: [0.01 ... 10], weight: relativeWeight)
        // |w·f| = 1: floor 64ε.
        expectMatches(relative, lower: 2.372065755870122e-01, upper: 2.372065755880404e-01, floor: 64 * Double.ulpOfOne)
        #expect(abs(relative.maxError - 2.372065755880404e-01) <= 1e-6 * 2.372065755880404e-01)
        expectSampledBelowMaximum(relative, f, weight: relativeWeight, on: [0.01 ... 10])
        // The single-interval union is the one-interval Remez.
        let single = try Polynomial.minimax(of: f, degree: 15, on: 0.01 ... 10)
        #expect(abs(single.maxError - absolute.maxError) <= 1e-12 * single.maxError + 640 * Double.ulpOfOne)
    }

    @Test func exponentialOnMinusEightToZero() throws {
        let m = try Polynomial.minimax(of: { exp($0) }, degree: 15, on: [-8 ... 0])
        // E* ≈ 1.5e-10 but max|f| = 1: the stopping floor 64ε = 1.4e-14 is 1e-4 of E*, and the
        // reference's own bracket is 1e-6 wide: agreement is to the floor, not to 1e-6.
        expectMatches(m, lower: 1.469359382053092e-10, upper: 1.469360906660214e-10, floor: 64 * Double.ulpOfOne)
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
