import Foundation
import LinearAlgebra
import Polynomials
import Testing
import TestSupport

@Suite struct PolynomialBasisTests {
    static let bases: [Polynomial.Basis] = [
        .monomial, .chebyshev(on: -3 ... 5), .legendre(on: -2 ... 2), .probabilistsHermite(mean: 0.5, standardDeviation: 2),
        .normalizedHermite(mean: -1, standardDeviation: 0.5), Polynomial.Basis(family: .monomial, scale: 0.5, offset: 1),
    ]

    private func randomCoefficients(_ count: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0 ..< count).map { _ in Double.standardNormal(using: &generator) }
    }

    /// Σ_k |c_k·p_k(t(x))|, each basis polynomial evaluated as a unit coefficient vector.
    private func termSum(_ p: Polynomial, at x: Double) -> Double {
        p.coefficients.indices.reduce(0) { sum, k in
            var unit = [Double](repeating: 0, count: k + 1)
            unit[k] = 1
            return sum + abs(p.coefficients[k] * Polynomial(coefficients: unit, basis: p.basis)(x))
        }
    }

    @Test func evaluationMatchesClosedForms() {
        // Single basis polynomials against textbook formulas. cos(5·acos t) carries acos's and
        // cos's libm errors (a few ulps) amplified by at most 5 (the argument's factor): about
        // 1e-15; the power forms cancel terms up to 63·|t|⁵ or 3⁴·|t|⁴ = 81 (a few ulps of those,
        // ~1e-14 and ~1e-13 absolute). 1e-13 and 1e-12 bound these.
        for t in stride(from: -1.0, through: 1.0, by: 0.125) {
            let unit = [0.0, 0, 0, 0, 0, 1]
            let chebyshev = Polynomial(coefficients: unit, basis: .chebyshev(on: -1 ... 1))(t)
            #expect(abs(chebyshev - cos(5 * acos(t))) <= 1e-13)
            let legendre = Polynomial(coefficients: unit, basis: .legendre(on: -1 ... 1))(t)
            #expect(abs(legendre - (63 * pow(t, 5) - 70 * pow(t, 3) + 15 * t) / 8) <= 1e-13)
            let hermite = Polynomial(coefficients: [0, 0, 0, 0, 1], basis: .probabilistsHermite(mean: 0, standardDeviation: 1))(3 * t)
            #expect(abs(hermite - (pow(3 * t, 4) - 6 * pow(3 * t, 2) + 3)) <= 1e-12)
            let normalized = Polynomial(coefficients: [0, 0, 0, 0, 1], basis: .normalizedHermite(mean: 0, standardDeviation: 1))(3 * t)
            #expect(abs(normalized - hermite / 24.0.squareRoot()) <= 1e-12)
        }
    }

    @Test func chebyshevToMonomialIsTheTextbookExpansion() {
        // T_5 = 16x⁵ − 20x³ + 5x exactly (small integers: exact in binary).
        let t5 = Polynomial(coefficients: [0, 0, 0, 0, 0, 1], basis: .chebyshev(on: -1 ... 1)).converted(to: .monomial)
        #expect(t5.coefficients == [0, 5, 0, -20, 0, 16])
    }

    @Test(arguments: 0 ..< bases.count)
    func conversionsRoundTripAndPreserveValues(sourceIndex: Int) {
        let source = Polynomial(coefficients: randomCoefficients(11, seed: UInt64(sourceIndex + 1)), basis: Self.bases[sourceIndex])
        for target in Self.bases {
            let converted = source.converted(to: target)
            let back = converted.converted(to: source.basis)
            // Degree 10 with O(1) coefficients and moderate maps: conversion matrices have
            // entries up to ~1e4, so 1e-9 relative is rounding, not an algebra error.
            expectClose(back.coefficients, source.coefficients, absolute: 1e-9, relative: 1e-9, "\(source.basis) → \(target)")
            for x in [-1.7, -0.2, 0.4, 1.9] {
                // Rounding relative to the size of the terms Σ|c_k·p_k| in either basis.
                let scale = max(termSum(source, at: x), termSum(converted, at: x))
                #expect(abs(converted(x) - source(x)) <= 1e-12 * scale, "\(source.basis) → \(target) at \(x)")
            }
        }
    }

    @Test(arguments: 0 ..< bases.count)
    func derivativeMatchesCentralDifferences(index: Int) {
        let p = Polynomial(coefficients: randomCoefficients(13, seed: 99 + UInt64(index)), basis: Self.bases[index])
        let derivative = p.derivative()
        for x in [-1.3, 0.1, 0.8] {
            // Fourth-order difference, h = 1e-3: truncation h⁴·p⁽⁵⁾/30 plus rounding ε·|p|/h.
            let h = 1e-3
            let fd = (p(x - 2 * h) - 8 * p(x - h) + 8 * p(x + h) - p(x + 2 * h)) / (12 * h)
            #expect(abs(derivative(x) - fd) <= 1e-6 * max(1, abs(fd)), "\(p.basis) at \(x): \(derivative(x)) vs \(fd)")
        }
    }

    @Test(arguments: 0 ..< bases.count)
    func affineCompositionIsExact(index: Int) {
        let p = Polynomial(coefficients: randomCoefficients(9, seed: 7 + UInt64(index)), basis: Self.bases[index])
        for (a, b) in [(2.0, -1.0), (-0.5, 0.3), (-3.0, 0.0)] {
            let q = p.composed(withScale: a, offset: b)
            for x in [-0.9, 0.2, 0.7] {
                #expect(abs(q(x) - p(a * x + b)) <= 1e-11 * max(1, abs(p(a * x + b))))
            }
        }
    }

    @Test func monomialConversionReportsTheGrowth() throws {
        // The example: degree 63 on [-16, 16] has monomial coefficients far beyond 1e10
        // and evaluating them in Double loses most digits, while Chebyshev evaluation loses none.
        let fit = try Polynomial.chebyshevInterpolant(of: { x in x * 0.5 * erfc(-x / 2.0.squareRoot()) },
                                                      degree: 63, on: -16 ... 16)
        let report = try fit.conversionReport(to: .monomial, on: -16 ... 16)
        #expect(report.coefficientGrowth > 1e10)
        #expect(report.digitsLost > 8)
        #expect(fit.evaluationConditionNumber(on: -16 ... 16) < 100)
    }
}

/// Batched evaluation performs the same Clenshaw operations, in the same order, as evaluating
/// one value at a time (only the recurrence coefficients are tabulated first), so the results
/// are bitwise equal in every basis, for Double and Float inputs.
@Suite("Batched polynomial evaluation")
struct BatchEvaluationTests {
    @Test(arguments: [Polynomial.Basis.monomial, .chebyshev(on: -3 ... 5), .legendre(on: -1 ... 2),
                      .probabilistsHermite(mean: 0.5, standardDeviation: 2), .normalizedHermite(mean: -1, standardDeviation: 0.5)])
    func batchEqualsElementwise(basis: Polynomial.Basis) {
        let polynomial = Polynomial(coefficients: [0.3, -1.2, 0.7, 0.05, -0.4, 0.11, 0.9], basis: basis)
        let xs = (0 ... 200).map { -4 + Double($0) * 0.045 }
        var ys = [Double](repeating: 0, count: xs.count)
        xs.withUnsafeBufferPointer { x in ys.withUnsafeMutableBufferPointer { polynomial.evaluate(x, into: $0) } }
        #expect(ys == xs.map { polynomial($0) })
        let floats = xs.map(Float.init)
        var floatResults = [Float](repeating: 0, count: floats.count)
        floats.withUnsafeBufferPointer { x in floatResults.withUnsafeMutableBufferPointer { polynomial.evaluate(x, into: $0) } }
        #expect(floatResults == floats.map { Float(polynomial(Double($0))) })
    }
}
