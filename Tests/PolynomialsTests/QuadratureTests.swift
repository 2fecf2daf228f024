import Foundation
import Polynomials
import Testing

@Suite struct QuadratureTests {
    /// (2k − 1)!! = E[Z^{2k}], the reference moments of the standard normal.
    private func doubleFactorial(_ m: Int) -> Double { stride(from: m, to: 0, by: -2).reduce(1.0) { $0 * Double($1) } }

    @Test(arguments: [8, 64, 128])
    func gaussHermiteIntegratesMomentsExactly(nodes: Int) throws {
        let rule = try GaussHermiteQuadrature(nodeCount: nodes)
        // Exact for polynomials of degree ≤ 2n − 1; each moment is a sum of n positive terms,
        // so the relative error is a few ulps × n (node errors are polished to ~1 ulp).
        for k in 0 ..< min(nodes, 40) {
            let moment = rule.expectation { pow($0, Double(2 * k)) }
            let expected = doubleFactorial(2 * k - 1)
            #expect(abs(moment - expected) <= 1e-12 * expected, "E[Z^\(2 * k)] = \(moment), expected \(expected)")
            #expect(abs(rule.expectation { pow($0, Double(2 * k + 1)) }) <= 1e-12 * expected)
        }
    }

    /// With 512 nodes the outer weights are ~1e-200; the orthonormal Hermite functions must
    /// still be orthonormal to rounding, which fails if tiny weights lose relative accuracy.
    @Test func gaussHermiteTinyWeightsKeepOrthonormality() throws {
        let rule = try GaussHermiteQuadrature(nodeCount: 512)
        let degree = 300
        var gram = [[Double]](repeating: [Double](repeating: 0, count: degree + 1), count: degree + 1)
        for i in rule.nodes.indices {
            var h = [Double](repeating: 0, count: degree + 1)
            h[0] = rule.squareRootWeights[i]
            h[1] = rule.nodes[i] * h[0]
            for j in 1 ..< degree { h[j + 1] = (rule.nodes[i] * h[j] - Double(j).squareRoot() * h[j - 1]) / Double(j + 1).squareRoot() }
            for j in stride(from: 0, through: degree, by: 25) { for k in stride(from: 0, through: degree, by: 25) { gram[j][k] += h[j] * h[k] } }
        }
        // Σ of 512 terms of size ≤ 1: 1e-12 allows ~ε·n·(polynomial condition).
        for j in stride(from: 0, through: degree, by: 25) {
            for k in stride(from: 0, through: degree, by: 25) {
                #expect(abs(gram[j][k] - (j == k ? 1 : 0)) <= 1e-12, "⟨h\(j), h\(k)⟩ = \(gram[j][k])")
            }
        }
    }

    @Test func gaussHermiteMatchesClosedFormExpectations() throws {
        let rule = try GaussHermiteQuadrature.cached(nodeCount: 64)
        // E[cos Z] = e^{−1/2}; E[e^Z] = e^{1/2}. Entire functions: the rule converges past
        // rounding. Rounding, worst case: 64 terms summed (γ₆₄ ≈ 64ε), each weight within ~10ε
        // (log-domain Christoffel numbers of O(1) logarithms) and cos/exp within a few ulps,
        // all relative to Σ|wᵢ·g(xᵢ)| ≤ E[|g|] (1 for cos, e^{1/2} for exp): (64 + 16)ε·E[|g|].
        let bound = Double(64 + 16) * Double.ulpOfOne
        #expect(abs(rule.expectation { cos($0) } - exp(-0.5)) <= bound)
        #expect(abs(rule.expectation { exp($0) } - exp(0.5)) <= bound * exp(0.5))
        #expect(abs(rule.weights.reduce(0, +) - 1) <= bound)
        #expect(try GaussHermiteQuadrature.cached(nodeCount: 64).nodes == rule.nodes)
    }

    @Test func gaussLegendreIntegratesPolynomialsAndExp() throws {
        let rule = try GaussLegendreQuadrature(nodeCount: 20)
        // Exact for degree ≤ 39; rounding, worst case: 20 positive terms (γ₂₀), weights from a
        // 20-step recurrence (~20ε), pow/exp within a few ulps: (20 + 20 + 8)ε relative to the
        // integral of the positive integrand.
        let relative = Double(20 + 20 + 8) * Double.ulpOfOne
        for k in 0 ..< 40 {
            let integral = rule.integral(of: { pow($0, Double(k)) }, over: 0 ... 1)
            #expect(abs(integral - 1 / Double(k + 1)) <= relative / Double(k + 1), "∫x^\(k) = \(integral)")
        }
        // e^x on [-2, 3]: the 20-point rule's truncation error is ~ 5^41/(41!·…) < 1e-30.
        #expect(abs(rule.integral(of: { exp($0) }, over: -2 ... 3) - (exp(3) - exp(-2))) <= relative * exp(3))
    }
}
