// Rational Remez exchange for the best uniform approximation r = p/q, deg p ≤ n, deg q ≤ m,
// q > 0 on [a, b].
//
// Work in t ∈ [-1, 1] with p and q in the Chebyshev basis. Each iteration:
//  1. Solve the levelled system f − p/q = ±h at the n + m + 2 reference points as a symmetric
//     eigenproblem (RationalFunction+LevelledSolution.swift) and keep the solution whose q has
//     no sign change on the reference.
//  2. Check q on a dense grid: a zero inside the interval is a pole, and the run stops with a
//     typed error instead of returning an unbounded approximant.
//  3. Exchange: the n + m + 2 alternating local extrema of f − p/q, found as in the polynomial
//     Remez (one extremum per sign run, golden-section refined, kinks exact).
//  4. De la Vallée-Poussin holds for rationals too: an r whose error alternates in sign at
//     n + m + 2 points with |e| ≥ μ there gives E* ≥ μ (non-degenerate case). Stop when
//     max |e| and min |e| on the reference agree to the tolerance or to the rounding error of
//     evaluating p/q.
// Starting references, tried in order until one converges: the alternating extrema of a
// Lawson-reweighted least-squares rational (RationalFunction+LawsonStart.swift), the n + m + 2
// equioscillation points of the polynomial minimax of degree n + m, and the extrema of T_{n+m+2}
// (without t = −1, asymmetric so even/odd functions do not make the system singular).
// The default tolerance is 1e-10 rather than the polynomial Remez's 1e-12: p/q near a pole
// pair close to the interval (|x| near its kink) loses a few more digits than Clenshaw on p.
// Failure is reported, never hidden: a pole on the interval, fewer alternation points than a
// non-degenerate best approximation has (a defective type, e.g. odd m for an even function),
// or no convergence, each as a PolynomialError with the best error seen.

import LinearAlgebra
import RealModule

extension RationalFunction {
    /// The largest numerator and denominator degrees ``minimax(of:numeratorDegree:denominatorDegree:on:breakpoints:tolerance:maximumIterations:)`` accepts.
    public static let maximumMinimaxDegrees = (numerator: 100, denominator: 50)

    /// The best uniform approximation p/q of type (n, m) to f on `interval` by the rational
    /// Remez exchange.
    ///
    /// ```swift
    /// let r = try RationalFunction.minimax(of: { exp($0) }, numeratorDegree: 2, denominatorDegree: 2, on: -1 ... 1)
    /// r.maxError, r.lowerBound      // best error ∈ [lowerBound, maxError]
    /// ```
    /// - Parameters:
    ///   - f: the function approximated.
    ///   - n: the numerator degree.
    ///   - m: the denominator degree.
    ///   - interval: [a, b].
    ///   - breakpoints: points where f is not smooth (kinks); extrema there are found exactly.
    ///   - tolerance: stop when (maxError − lowerBound) ≤ tolerance·maxError + 64ε·max|f|.
    ///   - maximumIterations: exchange steps before the run stops without converging.
    /// - Throws: ``PolynomialError/poleInInterval(at:iteration:)``,
    ///   ``PolynomialError/degenerateRational(_:)``,
    ///   ``PolynomialError/rationalRemezNotConverged(iterations:maxError:lowerBound:)``, or a bad
    ///   degree/interval/non-finite f.
    /// - Complexity: per iteration one thin SVD of an (n+m+2)×(m+1) matrix, an (m+1)×(m+1)
    ///   symmetric eigenproblem, and O(n + m) evaluations of f on a grid of O(n + m) points.
    public static func minimax(of f: (Double) -> Double, numeratorDegree n: Int, denominatorDegree m: Int,
                               on interval: ClosedRange<Double>, breakpoints: [Double] = [],
                               tolerance: Double = 1e-10, maximumIterations: Int = 100) throws -> RationalMinimaxApproximation {
        try validate(degree: n, maximum: maximumMinimaxDegrees.numerator, interval: interval)
        guard (0 ... maximumMinimaxDegrees.denominator).contains(m) else {
            throw PolynomialError.invalidDegree(m, maximum: maximumMinimaxDegrees.denominator)
        }
        return try withoutActuallyEscaping(f) { f in
            let basis = Polynomial.Basis.chebyshev(on: interval)
            let count = n + m + 2
            let kinks = breakpoints.map(basis.standardized).filter { $0 > -1 && $0 < 1 }.sorted()
            let g: (Double) -> Double = { t in f((t - basis.offset) / basis.scale) }
            var starts = [[Double]]()
            if let lawson = try lawsonReference(g, numeratorDegree: n, denominatorDegree: m, kinks: kinks) {
                starts.append(lawson)
            }
            if let polynomial = try? Polynomial.minimax(of: f, degree: n + m, on: interval, breakpoints: breakpoints),
               polynomial.reference.count == count {
                starts.append(polynomial.reference.map(basis.standardized))
            }
            starts.append((1 ... count).map { j in -Double.cos(Double.pi * Double(j) / Double(count)) })
            // The first start's failure is reported if every start fails.
            var failure: Error?
            for start in starts {
                do {
                    return try exchange(f, numeratorDegree: n, denominatorDegree: m, basis: basis, start: start,
                                        breakpoints: breakpoints, tolerance: tolerance, maximumIterations: maximumIterations)
                } catch let error as PolynomialError {
                    switch error {
                    case .poleInInterval, .degenerateRational, .rationalRemezNotConverged: failure = failure ?? error
                    default: throw error
                    }
                }
            }
            throw failure!
        }
    }

    private static func exchange(_ f: @escaping (Double) -> Double, numeratorDegree n: Int, denominatorDegree m: Int,
                                 basis: Polynomial.Basis, start: [Double], breakpoints: [Double], tolerance: Double,
                                 maximumIterations: Int) throws -> RationalMinimaxApproximation {
        let g: (Double) -> Double = { t in f((t - basis.offset) / basis.scale) }
        let x: (Double) -> Double = { t in (t - basis.offset) / basis.scale }
        let kinks = breakpoints.map(basis.standardized).filter { $0 > -1 && $0 < 1 }.sorted()
        let functionScale = try (0 ... 64).map { try finiteValue(g, -Double.cos(Double.pi * Double($0) / 64)) }
            .reduce(0) { Swift.max($0, Swift.abs($1)) }
        // q is checked for zeros on this grid plus the reference (a degree-m polynomial).
        let poleGrid = (0 ... 64 * (m + 1) + 200).map { -Double.cos(Double.pi * Double($0) / Double(64 * (m + 1) + 200)) }
        var reference = start
        var lowerBound = 0.0, bestError = Double.infinity
        for iteration in 1 ... maximumIterations {
            let values = try reference.map { try finiteValue(g, $0) }
            let trial = try levelledSolution(values: values, reference: reference, numeratorDegree: n, denominatorDegree: m)
            let q: (Double) -> Double = { Polynomial.Basis.Family.chebyshev.clenshaw(trial.denominator, at: $0) }
            let qGrid = (poleGrid + reference).map { (t: $0, q: q($0)) }
            if let pole = qGrid.min(by: { $0.q < $1.q }), pole.q <= 0 {
                throw PolynomialError.poleInInterval(at: x(pole.t), iteration: iteration)
            }
            let error: (Double) -> Double = { t in
                g(t) - Polynomial.Basis.Family.chebyshev.clenshaw(trial.numerator, at: t) / q(t)
            }
            let extrema = try Polynomial.alternatingExtrema(error, reference: reference, kinks: kinks, count: n + m + 2)
            let maxError = extrema.globalMax
            bestError = Swift.min(bestError, maxError)
            let normalized = { () -> RationalFunction in
                let scale = trial.denominator[0]
                return RationalFunction(numerator: Polynomial(coefficients: trial.numerator.map { $0 / scale }, basis: basis),
                                        denominator: Polynomial(coefficients: trial.denominator.map { $0 / scale }, basis: basis))
            }
            let qValues = qGrid.map(\.q)
            let denominatorRange = qValues.min()! / trial.denominator[0] ... qValues.max()! / trial.denominator[0]
            guard extrema.points.count == n + m + 2 else {
                // f is (to rounding) a rational function of this type: nothing left to level.
                if maxError <= 1e-13 * Swift.max(functionScale, .leastNormalMagnitude) {
                    return RationalMinimaxApproximation(rational: normalized(), maxError: maxError, lowerBound: 0, reference: [],
                                                        referenceErrors: [], iterations: iteration,
                                                        denominatorRange: denominatorRange)
                }
                throw PolynomialError.degenerateRational(
                    "the error of the type-(\(n), \(m)) trial alternates at only \(extrema.points.count) of the \(n + m + 2) points a non-degenerate best approximation needs (a defective type, e.g. an odd denominator degree for an even or odd function); try type (\(n), \(Swift.max(m - 1, 0))) or (\(Swift.max(n - 1, 0)), \(m))")
            }
            let minError = extrema.values.reduce(Double.infinity) { Swift.min($0, Swift.abs($1)) }
            lowerBound = Swift.max(lowerBound, minError)
            // Equal ripples can only be resolved down to the rounding error of f − p/q: Clenshaw
            // errs by about ε·‖a‖₁ in p and ε·‖b‖₁ in q, so p/q by ε·(‖a‖₁ + |r|·‖b‖₁)/q.
            let numeratorNorm = trial.numerator.reduce(0) { $0 + Swift.abs($1) }
            let denominatorNorm = trial.denominator.reduce(0) { $0 + Swift.abs($1) }
            let evaluationScale = qGrid.reduce(functionScale) { scale, point in
                Swift.max(scale, (numeratorNorm + (functionScale + maxError) * denominatorNorm) / point.q)
            }
            if maxError - minError <= tolerance * maxError + 64 * Double.ulpOfOne * evaluationScale {
                return RationalMinimaxApproximation(rational: normalized(), maxError: maxError, lowerBound: lowerBound,
                                                    reference: extrema.points.map(x), referenceErrors: extrema.values,
                                                    iterations: iteration, denominatorRange: denominatorRange)
            }
            reference = extrema.points
        }
        throw PolynomialError.rationalRemezNotConverged(iterations: maximumIterations, maxError: bestError, lowerBound: lowerBound)
    }
}
