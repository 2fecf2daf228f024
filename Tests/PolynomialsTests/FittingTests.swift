import Foundation
import Polynomials
import Testing
import TestSupport

@Suite struct FittingTests {
    /// I_k(1) by its power series Σ_m (1/2)^{2m+k}/(m!(m+k)!) (converges to rounding in 20 terms).
    private func besselI(_ k: Int) -> Double {
        var sum = 0.0
        for m in 0 ..< 30 { sum += pow(0.5, Double(2 * m + k)) / (tgamma(Double(m + 1)) * tgamma(Double(m + k + 1))) }
        return sum
    }

    @Test func chebyshevInterpolantOfExpHasBesselCoefficients() throws {
        // exp(x) = I_0(1) + 2·Σ I_k(1)·T_k(x); interpolation aliasing adds only c_{2n−k}
        // (< 1e-40 at n = 30), so the coefficients match to rounding. Each c_k = (2/n)·Σ″ f_j·cos
        // is a sum of n + 1 terms with exp and cos within a few ulps (libm) and a table angle
        // πj/n of relative error ε: |δc_k| ≤ (2/n)·Σ|f_j|·(n + 16)·ε, with Σ|f_j| ≤ (n + 1)·e.
        // The reference sums positive terms from pow and tgamma (a few ulps each): 16ε·|c_k|.
        let n = 30
        let p = try Polynomial.chebyshevInterpolant(of: exp, degree: n, on: -1 ... 1)
        let expected = (0 ... n).map { k in k == 0 ? besselI(0) : 2 * besselI(k) }
        let rounding = 2 / Double(n) * Double(n + 1) * exp(1.0) * Double(n + 16) * Double.ulpOfOne
        expectClose(p.coefficients, expected, absolute: rounding, relative: 16 * Double.ulpOfOne)
    }

    @Test func chebyshevInterpolationOfTanhConvergesAtTheBernsteinEllipseRate() throws {
        // tanh on [-4, 4] has poles at ±iπ/2, i.e. at ±iy with y = π/8 in t ∈ [-1, 1]: the error
        // decays like ρ⁻ⁿ with ρ = y + √(y² + 1). The measured rate between degrees 21 and 61
        // must match log ρ within 10% (the algebraic prefactor shifts it by ~log(n)/n).
        let errors = try [21, 61].map { n -> Double in
            let p = try Polynomial.chebyshevInterpolant(of: tanh, degree: n, on: -4 ... 4)
            return try ApproximationErrorReport(of: { p($0) }, against: tanh, on: -4 ... 4).maxError
        }
        let y = Double.pi / 8
        let rate = -log(errors[1] / errors[0]) / 40
        #expect(abs(rate - log(y + (y * y + 1).squareRoot())) <= 0.1 * log(y + (y * y + 1).squareRoot()),
                "measured rate \(rate)")
    }

    @Test func chebyshevInterpolationHandlesDegree500() throws {
        let n = 500
        let runge: (Double) -> Double = { 1 / (1 + 25 * $0 * $0) }
        let p = try Polynomial.chebyshevInterpolant(of: runge, degree: n, on: -1 ... 1)
        // Runge's function: poles at ±i/5, ρ = 0.2 + √1.04 ≈ 1.22, ρ⁻⁵⁰⁰ ≈ 1e-43, so only
        // rounding remains. Worst case: each coefficient errs by (2/n)·Σ|f_j|·(n + 16)·ε (see
        // above), the n + 1 of them add, and Clenshaw adds about 2(n + 1)·ε·Σ|c_k|; f itself has
        // three roundings. Far below the truncation error ρ⁻ⁿ of any degree short of ~100.
        let nodes = Polynomial.chebyshevPoints(count: n + 1, on: -1 ... 1)
        let sumF = nodes.map(runge).reduce(0, +)
        let coefficientError = 2 / Double(n) * sumF * Double(n + 16) * Double.ulpOfOne
        let bound = Double(n + 1) * coefficientError
            + 2 * Double(n + 1) * Double.ulpOfOne * p.coefficients.reduce(0) { $0 + abs($1) } + 3 * Double.ulpOfOne
        let report = try ApproximationErrorReport(of: { p($0) }, against: runge, on: -1 ... 1)
        #expect(report.maxError <= bound, "\(report.maxError) > \(bound)")
        #expect(bound < pow(1.22, -100))
    }

    @Test func leastSquaresOfAbsoluteValueHasTheLegendreSeries() throws {
        // |x| = ½P₀ + ⅝P₂ − (3/16)P₄ + (13/128)P₆ − …  (closed form (−1)^{m+1}(4m+1)(2m−2)!/(2^{2m}(m−1)!(m+1)!)).
        // Panels end at the kink, so every Gauss rule is exact on |x|·P_k: only rounding
        // remains, which the routine bounds as 4ε·(k + 1)·(2k + 1)/2·Σ w·|f| (Σ w·|f| = ∫|t| = 1)
        // plus its 1e-13 relative agreement; k = 6: 4ε·7·6.5 + 1e-13·⅝ < 1.1e-13.
        let p = try Polynomial.leastSquares(of: { abs($0) }, degree: 6, on: -1 ... 1, breakpoints: [0])
        expectClose(p.coefficients, [0.5, 0, 5.0 / 8, 0, -3.0 / 16, 0, 13.0 / 128],
                    absolute: 4 * Double.ulpOfOne * 7 * 6.5 + 1e-13 * 5.0 / 8)
    }

    @Test func hermiteInterpolationMatchesValuesAndSlopesAndReproducesPolynomials() throws {
        let f: (Double) -> Double = { sin(2 * $0) + 0.3 * $0 }
        let df: (Double) -> Double = { 2 * cos(2 * $0) + 0.3 }
        let nodes = [-1.5, -0.2, 0.9, 1.7]
        let p = try Polynomial.hermiteInterpolant(of: f, derivative: df, degree: 7, on: -2 ... 2, nodes: nodes)
        let dp = p.derivative()
        // The same f(x) and f′(x) values feed the system and the check, so libm accuracy does not
        // enter; what remains is LAPACK's backward error on an 8×8 system whose entries are ≤ 1
        // (values) and ≤ n²·scale = 24.5 (slopes) with coefficients ≤ 1: about 8·ε·24.5·n per row
        // (≈ 3.5e-13 even with modest pivot growth), plus Clenshaw's few ulps. 1e-12 and 1e-11.
        for x in nodes {
            #expect(abs(p(x) - f(x)) <= 1e-12)
            #expect(abs(dp(x) - df(x)) <= 1e-11)
        }
        // A cubic is its own Hermite interpolant on two nodes (degree 3), and even degrees
        // (which also match f at the right end) reproduce a degree-6 polynomial exactly.
        let cubic: (Double) -> Double = { 1 - 2 * $0 + 0.5 * pow($0, 3) }
        let q = try Polynomial.hermiteInterpolant(of: cubic, derivative: { -2 + 1.5 * $0 * $0 }, degree: 3, on: -1 ... 3)
        for x in [-0.5, 1, 2.5] { #expect(abs(q(x) - cubic(x)) <= 1e-12) }
        let sextic: (Double) -> Double = { pow($0, 6) - $0 }
        let r = try Polynomial.hermiteInterpolant(of: sextic, derivative: { 6 * pow($0, 5) - 1 }, degree: 6, on: -1 ... 1)
        for x in [-0.7, 0.1, 0.95] { #expect(abs(r(x) - sextic(x)) <= 1e-12) }
        #expect(throws: PolynomialError.self) {
            try Polynomial.hermiteInterpolant(of: f, derivative: df, degree: 3, on: -2 ... 2, nodes: [0.5, 0.5])
        }
    }

    @Test func taylorSeriesArithmeticMatchesKnownSeries() {
        let x = TaylorSeries.variable(at: 0, count: 9)
        // exp: 1/k!; tanh: x − x³/3 + 2x⁵/15 − 17x⁷/315; all to rounding.
        expectClose(TaylorSeries.exp(x).coefficients, (0 ..< 9).map { 1 / tgamma(Double($0 + 1)) }, absolute: 1e-16)
        expectClose(TaylorSeries.tanh(x).coefficients, [0, 1, 0, -1.0 / 3, 0, 2.0 / 15, 0, -17.0 / 315, 0], absolute: 1e-15)
        // log(1 + x) at 0: (−1)^{k+1}/k.
        let logSeries: [Double] = [0, 1, -1.0 / 2, 1.0 / 3, -1.0 / 4, 1.0 / 5, -1.0 / 6, 1.0 / 7, -1.0 / 8]
        expectClose(TaylorSeries.log(x + 1).coefficients, logSeries, absolute: 1e-15)
        // Φ at 0.7: the first two coefficients are Φ(0.7) and φ(0.7). Both sides call exp (a few
        // ulps in common libms) on arguments that differ by rounding (0.7² is inexact), then
        // round 2–4 times: 8 ulps of the value each side... 16 ulps for the difference.
        let phi = TaylorSeries.normalCDF(TaylorSeries.variable(at: 0.7, count: 3)).coefficients
        let density = exp(-0.245) / (2 * Double.pi).squareRoot()
        #expect(abs(phi[1] - density) <= 16 * density.ulp)
        // φ′ = −xφ, so the second coefficient is −0.7·φ(0.7)/2 (three more roundings).
        #expect(abs(phi[2] + 0.35 * density) <= 22 * (0.35 * density).ulp)
    }

    @Test func padeOfExpIsTheClassicalApproximant() throws {
        // [2/2] of eˣ at 0 is (1 + x/2 + x²/12)/(1 − x/2 + x²/12).
        let series = TaylorSeries.exp(.variable(at: 0, count: 5)).coefficients
        let r = try RationalFunction.pade(taylorCoefficients: series, numeratorDegree: 2, denominatorDegree: 2, at: 0)
        expectClose(r.numerator.coefficients, [1, 0.5, 1.0 / 12], absolute: 1e-15)
        expectClose(r.denominator.coefficients, [1, -0.5, 1.0 / 12], absolute: 1e-15)
    }
}
