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
        // (< 1e-40 at n = 30), so the coefficients match to rounding (1e-15 absolute).
        let p = try Polynomial.chebyshevInterpolant(of: exp, degree: 30, on: -1 ... 1)
        let expected = (0 ... 30).map { k in k == 0 ? besselI(0) : 2 * besselI(k) }
        expectClose(p.coefficients, expected, absolute: 1e-15)
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
        let p = try Polynomial.chebyshevInterpolant(of: { 1 / (1 + 25 * $0 * $0) }, degree: 500, on: -1 ... 1)
        // Runge's function: poles at ±i/5, ρ = 0.2 + √1.04 ≈ 1.22, ρ⁻⁵⁰⁰ ≈ 1e-43, so only
        // rounding remains (the interpolant's Lebesgue constant ~ (2/π)·log n ≈ 4).
        let report = try ApproximationErrorReport(of: { p($0) }, against: { 1 / (1 + 25 * $0 * $0) }, on: -1 ... 1)
        #expect(report.maxError <= 1e-14)
    }

    @Test func leastSquaresOfAbsoluteValueHasTheLegendreSeries() throws {
        // |x| = ½P₀ + ⅝P₂ − (3/16)P₄ + (13/128)P₆ − …  (closed form (−1)^{m+1}(4m+1)(2m−2)!/(2^{2m}(m−1)!(m+1)!)).
        let p = try Polynomial.leastSquares(of: { abs($0) }, degree: 6, on: -1 ... 1, breakpoints: [0])
        expectClose(p.coefficients, [0.5, 0, 5.0 / 8, 0, -3.0 / 16, 0, 13.0 / 128], absolute: 1e-14)
    }

    @Test func hermiteInterpolationMatchesValuesAndSlopesAndReproducesPolynomials() throws {
        let f: (Double) -> Double = { sin(2 * $0) + 0.3 * $0 }
        let df: (Double) -> Double = { 2 * cos(2 * $0) + 0.3 }
        let nodes = [-1.5, -0.2, 0.9, 1.7]
        let p = try Polynomial.hermiteInterpolant(of: f, derivative: df, degree: 7, on: -2 ... 2, nodes: nodes)
        let dp = p.derivative()
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
        // Φ at 0.7: the first two coefficients are Φ(0.7) and φ(0.7).
        let phi = TaylorSeries.normalCDF(TaylorSeries.variable(at: 0.7, count: 3)).coefficients
        #expect(abs(phi[1] - exp(-0.245) / (2 * Double.pi).squareRoot()) <= 1e-16)
        // φ′ = −xφ, so the second coefficient is −0.7·φ(0.7)/2.
        #expect(abs(phi[2] + 0.35 * exp(-0.245) / (2 * Double.pi).squareRoot()) <= 1e-16)
    }

    @Test func padeOfExpIsTheClassicalApproximant() throws {
        // [2/2] of eˣ at 0 is (1 + x/2 + x²/12)/(1 − x/2 + x²/12).
        let series = TaylorSeries.exp(.variable(at: 0, count: 5)).coefficients
        let r = try RationalFunction.pade(taylorCoefficients: series, numeratorDegree: 2, denominatorDegree: 2, at: 0)
        expectClose(r.numerator.coefficients, [1, 0.5, 1.0 / 12], absolute: 1e-15)
        expectClose(r.denominator.coefficients, [1, -0.5, 1.0 / 12], absolute: 1e-15)
    }
}
