// Remez exchange for the best uniform (minimax) polynomial approximation on [a, b].
//
// Work in t ∈ [-1, 1] with the Chebyshev basis, whose Vandermonde matrices at near-Chebyshev
// points are well conditioned (monomials would lose every digit by degree 30).
// Each iteration:
//  1. Solve Σ_k c_k·T_k(t_j) + (−1)^j·E = f(t_j) at the n + 2 reference points (LAPACK gesv).
//  2. Sample e = f − p on a dense grid: Chebyshev-spaced points, plus 16 points in every gap of
//     the current reference (extrema cluster where the reference does, e.g. near a kink), plus
//     the breakpoints and the endpoints. Split the grid into runs of constant sign; the largest
//     |e| in each run, refined by golden-section search on each smooth side of it, is a local
//     extremum. Consecutive runs alternate in sign by construction.
//  3. Reduce to n + 2 alternating extrema by dropping the smallest |e| (an end point, or an
//     interior point together with its smaller neighbour so the signs keep alternating).
//  4. De la Vallée-Poussin: any p whose error alternates in sign at n + 2 points with
//     |e| ≥ m there satisfies E* ≥ m, so min |e| on the new reference is a lower bound on the
//     best error, and max |e| an upper bound. Stop when they agree to the tolerance, or when
//     their gap is rounding noise that no longer shrinks (RemezStoppingRule).
// Kinks (ReLU, |x|) are handled by making them grid points and never refining across them:
// the extremum at a kink is exactly at the kink.

import LinearAlgebra
import RealModule

/// The result of ``Polynomial/minimax(of:degree:on:breakpoints:tolerance:maximumIterations:)``.
public struct MinimaxApproximation: Sendable {
    /// The minimax polynomial, in the Chebyshev basis on the interval.
    public var polynomial: Polynomial
    /// max |f − p| on the interval (refined extrema): an upper bound on the best error.
    public var maxError: Double
    /// De la Vallée-Poussin lower bound: the best possible error is in [lowerBound, maxError].
    public var lowerBound: Double
    /// The n + 2 points where the error equioscillates, ascending.
    public var reference: [Double]
    /// f − p at ``reference`` (alternating in sign, equal in magnitude at convergence).
    public var referenceErrors: [Double]
    /// Exchange iterations used.
    public var iterations: Int
    /// The terms kept: ``Polynomial/Symmetry/none`` on one interval; odd or even terms when a
    /// union fit found or was given a parity.
    public var symmetry: Polynomial.Symmetry = .none
}

extension Polynomial {
    /// The largest degree the Remez exchanges accept (200): each step solves a dense
    /// (n + 2)×(n + 2) system and searches O(n) extrema.
    public static let maximumMinimaxDegree = 200

    /// The best uniform approximation of degree n to f on `interval` by the Remez exchange.
    ///
    /// - Parameters:
    ///   - f: the function approximated.
    ///   - n: the degree, 0…200.
    ///   - interval: [a, b].
    ///   - breakpoints: points where f is not smooth (kinks); extrema there are found exactly.
    ///   - tolerance: stop when (maxError − lowerBound) ≤ tolerance·maxError, or when the gap
    ///     is below 64ε·max|f| and no longer halves per iteration (ripples in the rounding
    ///     error of f − p cannot be levelled further).
    ///   - maximumIterations: exchange steps before the run stops without converging.
    /// - Throws: ``PolynomialError/remezNotConverged(iterations:maxError:lowerBound:best:)`` with
    ///   the best polynomial found, or a bad degree/interval/non-finite f.
    /// - Complexity: per iteration one (n+2)×(n+2) solve and O(n) evaluations of f and p on a
    ///   grid of O(n) points.
    public static func minimax(of f: (Double) -> Double, degree n: Int, on interval: ClosedRange<Double>,
                               breakpoints: [Double] = [], tolerance: Double = 1e-12,
                               maximumIterations: Int = 80) throws -> MinimaxApproximation {
        try validate(degree: n, maximum: maximumMinimaxDegree, interval: interval)
        return try withoutActuallyEscaping(f) { f in
            try remez(f, degree: n, on: interval, breakpoints: breakpoints, tolerance: tolerance,
                      maximumIterations: maximumIterations)
        }
    }

    private static func remez(_ f: @escaping (Double) -> Double, degree n: Int, on interval: ClosedRange<Double>,
                              breakpoints: [Double], tolerance: Double,
                              maximumIterations: Int) throws -> MinimaxApproximation {
        let basis = Basis.chebyshev(on: interval)
        let g: (Double) -> Double = { t in f((t - basis.offset) / basis.scale) }
        let kinks = breakpoints.map(basis.standardized).filter { $0 > -1 && $0 < 1 }.sorted()
        // The extrema of T_{n+2} without t = −1: an asymmetric start, because a symmetric
        // reference makes the system degenerate (E = 0) for even f with even n and odd f with
        // odd n, where the best error equioscillates at n + 3 points.
        var reference = (1 ... n + 2).map { j in -Double.cos(Double.pi * Double(j) / Double(n + 2)) }
        let functionScale = try (0 ... 64).map { try finiteValue(g, -Double.cos(Double.pi * Double($0) / 64)) }
            .reduce(0) { Swift.max($0, Swift.abs($1)) }
        var stopping = RemezStoppingRule(tolerance: tolerance, functionScale: functionScale)
        var lowerBound = 0.0
        var best: (polynomial: Polynomial, error: Double)?
        for iteration in 1 ... maximumIterations {
            let polynomial = try levelledSolution(g, reference: reference, basis: basis)
            let error: (Double) -> Double = { t in g(t) - basis.family.clenshaw(polynomial.coefficients, at: t) }
            let extrema = try alternatingExtrema(error, reference: reference, kinks: kinks, count: n + 2)
            let maxError = extrema.globalMax
            if best == nil || maxError < best!.error { best = (polynomial, maxError) }
            guard extrema.points.count == n + 2 else {
                // Fewer sign changes than n + 2 happens only when f is (numerically) a polynomial
                // of degree ≤ n: the error is rounding noise.
                if maxError <= 1e-13 * Swift.max(functionScale, .leastNormalMagnitude) {
                    return MinimaxApproximation(polynomial: polynomial, maxError: maxError, lowerBound: 0,
                                                reference: [], referenceErrors: [], iterations: iteration)
                }
                // A reference taken from rounding noise: an earlier iterate was levelled to it.
                if let levelled = stopping.levelled { return levelled.result }
                throw PolynomialError.remezNotConverged(iterations: iteration, maxError: best!.error,
                                                        lowerBound: lowerBound, best: best!.polynomial)
            }
            let minError = extrema.values.reduce(Double.infinity) { Swift.min($0, Swift.abs($1)) }
            lowerBound = Swift.max(lowerBound, minError)
            let result = MinimaxApproximation(
                polynomial: polynomial, maxError: maxError, lowerBound: lowerBound,
                reference: extrema.points.map { ($0 - basis.offset) / basis.scale },
                referenceErrors: extrema.values, iterations: iteration)
            if let outcome = stopping.outcome(of: result, minError: minError) { return outcome }
            reference = extrema.points
        }
        if let levelled = stopping.levelled { return levelled.result }
        throw PolynomialError.remezNotConverged(iterations: maximumIterations, maxError: best!.error,
                                                lowerBound: lowerBound, best: best!.polynomial)
    }

    /// Solves the levelled-error system at the reference; returns p (E is dropped).
    private static func levelledSolution(_ g: (Double) -> Double, reference: [Double],
                                         basis: Basis) throws -> Polynomial {
        let size = reference.count
        var system = Matrix<Double>(rows: size, columns: size)
        var rhs = Matrix<Double>(rows: size, columns: 1)
        for (j, t) in reference.enumerated() {
            let values = basis.family.valuesAndDerivatives(at: t, count: size - 1).values
            for k in 0 ..< size - 1 { system[j, k] = values[k] }
            system[j, size - 1] = j % 2 == 0 ? 1 : -1
            rhs[j, 0] = try finiteValue(g, t)
        }
        let solution: Matrix<Double>
        do { solution = try system.solve(rhs) } catch {
            throw PolynomialError.singularSystem("the Remez reference system (points \(reference))")
        }
        return Polynomial(coefficients: Array(solution.elements.prefix(size - 1)), basis: basis)
    }

    /// One extremum per sign run of e on the search grid, reduced to `count` alternating points
    /// (shared with the rational Remez exchange).
    static func alternatingExtrema(_ e: (Double) -> Double, reference: [Double], kinks: [Double],
                                           count: Int) throws -> (points: [Double], values: [Double], globalMax: Double) {
        var grid = (0 ... Swift.max(200, 10 * count)).map { i in -Double.cos(Double.pi * Double(i) / Double(Swift.max(200, 10 * count))) }
        let edges = [-1.0] + reference + [1.0]
        for i in 0 ..< edges.count - 1 where edges[i + 1] > edges[i] {
            for s in 1 ..< 16 { grid.append(edges[i] + (edges[i + 1] - edges[i]) * Double(s) / 16) }
        }
        grid += reference + kinks
        grid = Array(Set(grid.filter { $0 >= -1 && $0 <= 1 })).sorted()
        let values = try grid.map { t -> Double in
            let v = e(t)
            guard v.isFinite else { throw PolynomialError.nonFiniteValue(at: t) }
            return v
        }
        // Largest |e| per run of constant sign (zeros join the current run).
        var runs = [(index: Int, sign: Double)]()
        for i in grid.indices where values[i] != 0 {
            let sign: Double = values[i] > 0 ? 1 : -1
            if let last = runs.last, last.sign == sign {
                if Swift.abs(values[i]) > Swift.abs(values[last.index]) { runs[runs.count - 1].index = i }
            } else {
                runs.append((i, sign))
            }
        }
        var points = [Double](), extremes = [Double]()
        for run in runs {
            let (t, v) = try refine(e, grid: grid, index: run.index, sign: run.sign, kinks: kinks)
            points.append(t)
            extremes.append(v)
        }
        let globalMax = extremes.reduce(0) { Swift.max($0, Swift.abs($1)) }
        reduceToAlternating(&points, &extremes, count: count)
        return (points, extremes, globalMax)
    }

    /// Reduces alternating extrema to `count` points that still alternate: repeatedly drops the
    /// smallest |e|, alone when it is an end point, else together with its smaller neighbour
    /// (with one point to spare, the smaller end instead), so the signs keep alternating and the
    /// largest errors stay (shared by the polynomial, union and rational Remez exchanges).
    static func reduceToAlternating(_ points: inout [Double], _ extremes: inout [Double], count: Int) {
        while points.count > count {
            let smallest = extremes.indices.min { Swift.abs(extremes[$0]) < Swift.abs(extremes[$1]) }!
            let surplus = points.count - count
            var remove: [Int]
            if smallest == 0 || smallest == points.count - 1 {
                remove = [smallest]
            } else if surplus == 1 {
                remove = [Swift.abs(extremes[0]) < Swift.abs(extremes[points.count - 1]) ? 0 : points.count - 1]
            } else {
                let neighbour = Swift.abs(extremes[smallest - 1]) < Swift.abs(extremes[smallest + 1]) ? smallest - 1 : smallest + 1
                remove = [smallest, neighbour]
            }
            for i in remove.sorted(by: >) {
                points.remove(at: i)
                extremes.remove(at: i)
            }
        }
    }

    /// Maximizes sign·e around grid[index] by golden-section search on each side, never crossing
    /// a kink (a kink that is the grid point itself stays a candidate).
    private static func refine(_ e: (Double) -> Double, grid: [Double], index: Int, sign: Double,
                               kinks: [Double]) throws -> (Double, Double) {
        var bestT = grid[index], bestValue = e(grid[index])
        let center = grid[index]
        for neighbour in [index - 1, index + 1] where neighbour >= 0 && neighbour < grid.count {
            var low = Swift.min(center, grid[neighbour]), high = Swift.max(center, grid[neighbour])
            // Clip at any kink strictly inside the bracket.
            for kink in kinks where kink > low && kink < high {
                if center < kink { high = kink } else { low = kink }
            }
            // |e| is flat at a smooth maximum: locating t to 1e-11 gives |e| to ~E·n²·1e-22.
            let (t, v) = try goldenSectionMaximum(of: { sign * e($0) }, in: low, high, tolerance: 1e-11)
            if v > sign * bestValue { bestT = t; bestValue = sign * v }
        }
        return (bestT, bestValue)
    }
}
