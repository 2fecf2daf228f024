import Foundation
import Polynomials
import Testing

@Suite struct MinimaxTests {
    /// Checks the result against a dense sample that the algorithm never saw, and the
    /// equioscillation of its reference.
    private func verify(_ m: MinimaxApproximation, _ f: (Double) -> Double, _ interval: ClosedRange<Double>,
                        degree: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let sampled = (0 ... 200_000).map { i -> Double in
            let x = interval.lowerBound + (interval.upperBound - interval.lowerBound) * Double(i) / 200_000
            return abs(f(x) - m.polynomial(x))
        }.max()!
        // The reported maximum comes from refined extrema, so the sample cannot exceed it
        // (beyond rounding) and the lower bound cannot exceed either.
        #expect(sampled <= m.maxError * (1 + 1e-12), "sampled \(sampled) > reported \(m.maxError)", sourceLocation: sourceLocation)
        #expect(m.lowerBound <= sampled * (1 + 1e-12), sourceLocation: sourceLocation)
        #expect(m.reference.count == degree + 2, sourceLocation: sourceLocation)
        for (a, b) in zip(m.referenceErrors, m.referenceErrors.dropFirst()) {
            #expect(a * b < 0, "reference errors must alternate in sign", sourceLocation: sourceLocation)
        }
    }

    @Test func absoluteValueApproachesBernsteinsConstant() throws {
        // Bernstein (1914): n·E_n(|x|) → β = 0.2801694990… for even n; at n = 64 the issue asks
        // for 1%. Equioscillation to 1e-10 relative (E ≈ 4e-3 ≫ rounding).
        let m = try Polynomial.minimax(of: { abs($0) }, degree: 64, on: -1 ... 1, breakpoints: [0])
        #expect(abs(64 * m.maxError - 0.2801694990) <= 0.01 * 0.2801694990, "64·E = \(64 * m.maxError)")
        let magnitudes = m.referenceErrors.map(abs)
        #expect((magnitudes.max()! - magnitudes.min()!) <= 1e-10 * magnitudes.max()!)
        #expect(m.lowerBound <= m.maxError && m.maxError - m.lowerBound <= 1e-10 * m.maxError)
        verify(m, { abs($0) }, -1 ... 1, degree: 64)
    }

    @Test(arguments: [4, 9, 12])
    func powerOfXHasTheChebyshevError(n: Int) throws {
        // x^{n+1} − 2^{−n}·T_{n+1}(x) is the best approximation from P_n: E = 2^{−n} exactly.
        let f: (Double) -> Double = { pow($0, Double(n + 1)) }
        let m = try Polynomial.minimax(of: f, degree: n, on: -1 ... 1)
        // Down to the rounding floor of f − p (64ε·max|f| with max|f| = 1), as Remez stops there.
        #expect(abs(m.maxError - pow(2, -Double(n))) <= 1e-12 * pow(2, -Double(n)) + 64 * Double.ulpOfOne)
        verify(m, f, -1 ... 1, degree: n)
    }

    @Test func reluAndGELUOnWideIntervals() throws {
        let relu: (Double) -> Double = { max($0, 0) }
        let r = try Polynomial.minimax(of: relu, degree: 16, on: -6 ... 6, breakpoints: [0])
        // ReLU = (x + |x|)/2, so its error on [-6, 6] is 6·E_16(|x|)/2 = 3·E_16(|x|), and E_16(|x|)
        // comes from an independent run on [-1, 1].
        let abs16 = try Polynomial.minimax(of: { abs($0) }, degree: 16, on: -1 ... 1, breakpoints: [0])
        #expect(abs(r.maxError - 3 * abs16.maxError) <= 1e-10 * r.maxError)
        verify(r, relu, -6 ... 6, degree: 16)
        let gelu: (Double) -> Double = { $0 * 0.5 * erfc(-$0 / 2.0.squareRoot()) }
        let g = try Polynomial.minimax(of: gelu, degree: 32, on: -8 ... 8)
        verify(g, gelu, -8 ... 8, degree: 32)
    }

    @Test func badInputThrows() {
        #expect(throws: PolynomialError.self) { try Polynomial.minimax(of: { $0 }, degree: -1, on: -1 ... 1) }
        #expect(throws: PolynomialError.self) { try Polynomial.minimax(of: { $0 }, degree: 5, on: 1 ... 1) }
        #expect(throws: PolynomialError.self) { try Polynomial.minimax(of: { _ in .nan }, degree: 5, on: -1 ... 1) }
    }

    @Test func signFunctionHasBestErrorOne() throws {
        // Any continuous p has max(|1 − p(0)|, |−1 − p(0)|) ≥ 1 at the jump, and p = 0 attains 1:
        // E_n(sign) = 1 for every n. Remez must certify exactly that, not loop.
        let m = try Polynomial.minimax(of: { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }, degree: 8, on: -1 ... 1, breakpoints: [0])
        #expect(abs(m.maxError - 1) <= 1e-12 && m.lowerBound <= 1 + 1e-12 && m.lowerBound >= 1 - 1e-10)
    }
}
