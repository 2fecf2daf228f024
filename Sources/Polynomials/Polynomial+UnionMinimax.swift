// Weighted Remez exchange on a union of intervals I₁ ∪ … ∪ I_k.
//
// Minimizes max over the union of |w(x)·(f(x) − p(x))| over polynomials p of degree ≤ n, w > 0
// (w = 1/|f| gives the relative error). Polynomials are a Haar system on any compact set with
// at least n + 2 points, so the best approximation is characterized by n + 2 alternation
// points on the union: consecutive points may lie in different pieces, and the sign change may
// happen in a gap (Chebyshev's alternation theorem needs no interval).
//
// How:
//  - p = Σ_{k∈K} c_k·T_k(t) in the Chebyshev basis on the hull [min I₁, max I_k] (well
//    conditioned at any degree); K = 0…n, or only the odd (even) k when f is odd (even), the
//    union symmetric about 0 and w even. Then the problem lives on the union's non-negative
//    half: m = |K| ≈ n/2 unknowns, and p keeps its parity exactly (T_k has the parity of k on
//    a hull symmetric about 0, so this is the fit in x² without changing variables).
//  - Levelled system at m + 1 reference points: Σ c_k·T_k(t_j) + (−1)^j·E/w(x_j) = f(x_j).
//  - Extremum search per piece, no missed extrema: e = w·(f − p) is sampled on a Chebyshev grid
//    of the piece (8 points per unknown, at least 64, denser at its ends where extrema
//    crowd) plus 16 points in each gap of the current reference; every discrete local maximum
//    of |e| — every sign change of the discrete derivative, and each end of the piece where
//    |e| grows towards it — brackets a local maximum, refined by golden-section search
//    between its grid neighbours. Runs of one sign across the union keep their largest |e|
//    (alternation), then the smallest are dropped down to m + 1 points.
//  - Certificate (de la Vallée-Poussin): e alternates at the new reference with |e| ≥ L there,
//    so the best error is ≥ L = min |e|; every p has best error ≤ its own max, U. Stop when
//    U − L ≤ tolerance·U, or when U − L is down to the rounding of w·(f − p) and no longer
//    shrinks (RemezStoppingRule).

import LinearAlgebra
import RealModule

extension Polynomial {
    /// Which terms a minimax fit keeps when f has a parity on a union symmetric about 0.
    public enum Symmetry: String, Sendable, CaseIterable {
        /// Every degree 0…n.
        case none
        /// Odd terms only: p(−x) = −p(x) exactly (f odd, union symmetric, weight even).
        case odd
        /// Even terms only: p(−x) = p(x) exactly (f even, union symmetric, weight even).
        case even
    }

    /// The best weighted uniform approximation of degree n to f on a union of intervals by the
    /// Remez exchange: p minimizing max |w(x)·(f(x) − p(x))| over I₁ ∪ … ∪ I_k.
    ///
    /// ```swift
    /// let sign: (Double) -> Double = { $0 > 0 ? 1 : -1 }
    /// let m = try Polynomial.minimax(of: sign, degree: 15, on: [-1 ... -0x1p-6, 0x1p-6 ... 1])
    /// m.lowerBound ... m.maxError     // contains the best error; m.symmetry == .odd
    /// ```
    /// - Parameters:
    ///   - f: the function approximated.
    ///   - n: the degree.
    ///   - pieces: ascending, disjoint intervals, each with a < b (``validateInterval(_:)``).
    ///   - weight: w(x) > 0 on the union (default 1); `{ 1 / abs(f($0)) }` is the relative error.
    ///   - symmetry: the terms to keep; nil detects it: odd (even) when the union is symmetric
    ///     about 0, w is even and f(−x) = −f(x) (f(x)) to 1e-13 relative at 65 points per piece.
    ///   - tolerance: relative gap between the certificate's bounds at which to stop; the
    ///     exchange also stops when the gap is below 64ε·max|w·f| and no longer halves per
    ///     iteration (rounding noise of w·(f − p)).
    ///   - maximumIterations: the exchange's iteration cap.
    /// - Returns: the fit in the Chebyshev basis on the hull; ``MinimaxApproximation/maxError``
    ///   and ``MinimaxApproximation/lowerBound`` are weighted errors, and the reference is the
    ///   alternation set on the whole union (mirrored from the non-negative half when symmetric:
    ///   n + 3 points for odd f with odd n and even f with even n).
    /// - Throws: ``PolynomialError/emptyUnion``, ``PolynomialError/invalidPieces(_:)``, interval
    ///   and degree errors, ``PolynomialError/nonPositiveWeight(at:value:)``,
    ///   ``PolynomialError/nonFiniteValue(at:)``, or
    ///   ``PolynomialError/remezNotConverged(iterations:maxError:lowerBound:best:)``.
    /// - Complexity: per iteration one (m+1)×(m+1) solve and O(m) evaluations of f, w and p
    ///   per piece and extremum, m ≈ n/2 with a symmetry, n + 1 without.
    public static func minimax(of f: (Double) -> Double, degree n: Int, on pieces: [ClosedRange<Double>],
                               weight: ((Double) -> Double)? = nil, symmetry: Symmetry? = nil,
                               tolerance: Double = 1e-12, maximumIterations: Int = 80) throws -> MinimaxApproximation {
        guard let first = pieces.first, let last = pieces.last else { throw PolynomialError.emptyUnion }
        for piece in pieces { try validateInterval(piece) }
        for (left, right) in zip(pieces, pieces.dropFirst()) where !(left.upperBound < right.lowerBound) {
            throw PolynomialError.invalidPieces("[\(left.lowerBound), \(left.upperBound)] is not strictly left of [\(right.lowerBound), \(right.upperBound)]")
        }
        try validate(degree: n, maximum: maximumMinimaxDegree, interval: first.lowerBound ... last.upperBound)
        guard tolerance > 0, tolerance.isFinite, maximumIterations >= 1 else {
            preconditionFailure("Remez needs a positive tolerance and at least one iteration, got \(tolerance), \(maximumIterations)")
        }
        return try withoutActuallyEscaping(f) { f in
            try withoutActuallyEscaping(weight ?? { _ in 1 }) { w in
                let problem = try UnionRemezProblem(f: f, weight: w, degree: n, pieces: pieces, symmetry: symmetry)
                return try problem.solve(tolerance: tolerance, maximumIterations: maximumIterations)
            }
        }
    }
}

/// One weighted union-of-intervals minimax problem, reduced to the non-negative half when
/// symmetric.
private struct UnionRemezProblem {
    let f: (Double) -> Double
    let w: (Double) -> Double
    let degree: Int
    let basis: Polynomial.Basis
    let symmetry: Polynomial.Symmetry
    /// The Chebyshev indices k kept.
    let terms: [Int]
    /// Where the error is searched: the union, or its non-negative half when symmetric.
    let domain: [ClosedRange<Double>]

    init(f: @escaping (Double) -> Double, weight w: @escaping (Double) -> Double, degree n: Int,
         pieces: [ClosedRange<Double>], symmetry requested: Polynomial.Symmetry?) throws {
        self.f = f
        self.w = w
        degree = n
        let symmetric = Self.isSymmetric(pieces)
        let detected: Polynomial.Symmetry
        if let requested {
            guard requested == .none || symmetric else {
                throw PolynomialError.unsupported("a \(requested.rawValue) fit needs a union symmetric about 0")
            }
            detected = requested
        } else {
            detected = symmetric ? try Self.parity(of: f, weight: w, on: pieces) : .none
        }
        symmetry = detected
        guard let first = pieces.first, let last = pieces.last else { throw PolynomialError.emptyUnion }
        let hull = first.lowerBound ... last.upperBound
        switch detected {
        case .none:
            terms = Array(0 ... n)
            domain = pieces
            basis = .chebyshev(on: hull)
        case .odd, .even:
            terms = (0 ... n).filter { $0 % 2 == (detected == .odd ? 1 : 0) }
            domain = pieces.compactMap { $0.upperBound <= 0 ? nil : Swift.max($0.lowerBound, 0) ... $0.upperBound }
            // The symmetric hull [−b, b] exactly, so T_k(t) = T_k(x/b) has the parity of k.
            let b = Swift.max(-hull.lowerBound, hull.upperBound)
            basis = Polynomial.Basis(family: .chebyshev, scale: 1 / b, offset: 0)
        }
        for piece in domain {
            for x in Polynomial.chebyshevPoints(count: 65, on: piece) {
                let value = w(x)
                guard value > 0, value.isFinite else { throw PolynomialError.nonPositiveWeight(at: x, value: value) }
                _ = try finiteValue(f, x)
            }
        }
    }

    /// Whether the union equals its mirror image −(I₁ ∪ … ∪ I_k), bounds compared exactly.
    static func isSymmetric(_ pieces: [ClosedRange<Double>]) -> Bool {
        let mirrored = pieces.reversed().map { -$0.upperBound ... -$0.lowerBound }
        return zip(pieces, mirrored).allSatisfy { $0.lowerBound == $1.lowerBound && $0.upperBound == $1.upperBound }
    }

    /// Odd or even when f(−x) = ∓f(x) and w(−x) = w(x) to 1e-13 relative at 65 Chebyshev points
    /// of each non-negative piece (f from libm is odd or even to the last ulp or so; the margin
    /// only separates genuine parity from near-parity).
    static func parity(of f: (Double) -> Double, weight w: (Double) -> Double,
                       on pieces: [ClosedRange<Double>]) throws -> Polynomial.Symmetry {
        var odd = true, even = true
        for piece in pieces where piece.upperBound > 0 {
            for x in Polynomial.chebyshevPoints(count: 65, on: Swift.max(piece.lowerBound, 0) ... piece.upperBound) {
                let (plus, minus) = (try finiteValue(f, x), try finiteValue(f, -x))
                let scale = 1e-13 * Swift.max(Swift.abs(plus), Swift.abs(minus), .leastNormalMagnitude)
                if Swift.abs(plus + minus) > scale { odd = false }
                if Swift.abs(plus - minus) > scale { even = false }
                let (wPlus, wMinus) = (w(x), w(-x))
                if !(Swift.abs(wPlus - wMinus) <= 1e-13 * Swift.max(Swift.abs(wPlus), Swift.abs(wMinus))) {
                    return .none
                }
            }
        }
        // f ≡ 0 is both; odd terms are then as good as any.
        return odd ? .odd : (even ? .even : .none)
    }

    func polynomial(_ c: [Double]) -> Polynomial {
        var coefficients = [Double](repeating: 0, count: degree + 1)
        for (k, value) in zip(terms, c) { coefficients[k] = value }
        return Polynomial(coefficients: coefficients, basis: basis)
    }

    func solve(tolerance: Double, maximumIterations: Int) throws -> MinimaxApproximation {
        let count = terms.count + 1
        var reference = initialReference(count: count)
        // max |w·f| on the domain sets the rounding of e = w·(f − p).
        let functionScale = try domain.flatMap { Polynomial.chebyshevPoints(count: 65, on: $0) }
            .reduce(0.0) { Swift.max($0, Swift.abs(w($1) * (try finiteValue(f, $1)))) }
        var stopping = RemezStoppingRule(tolerance: tolerance, functionScale: functionScale)
        var lowerBound = 0.0
        // The best iterate so far (the first iterate replaces this placeholder: nothing is
        // larger than infinity, and a NaN error is replaced too).
        var best = (polynomial: Polynomial(coefficients: [0], basis: basis), error: Double.infinity)
        for iteration in 1 ... maximumIterations {
            let p = try levelledSolution(reference)
            let error: (Double) -> Double = { x in self.w(x) * (self.f(x) - p(x)) }
            var (points, values) = try extrema(of: error, reference: reference)
            let maxError = values.reduce(0) { Swift.max($0, Swift.abs($1)) }
            if !(maxError >= best.error) { best = (p, maxError) }
            guard points.count >= count else {
                // Fewer alternations than unknowns + 1 happen only when f is (numerically) in the
                // span: the error is rounding noise.
                if maxError <= 1e-13 * Swift.max(functionScale, .leastNormalMagnitude) {
                    return MinimaxApproximation(polynomial: p, maxError: maxError, lowerBound: 0, reference: [],
                                                referenceErrors: [], iterations: iteration, symmetry: symmetry)
                }
                // A reference taken from rounding noise: an earlier iterate was levelled to it.
                if let levelled = stopping.levelled { return levelled.result }
                throw PolynomialError.remezNotConverged(iterations: iteration, maxError: best.error,
                                                        lowerBound: lowerBound, best: best.polynomial)
            }
            Polynomial.reduceToAlternating(&points, &values, count: count)
            let minError = values.reduce(Double.infinity) { Swift.min($0, Swift.abs($1)) }
            lowerBound = Swift.max(lowerBound, minError)
            let (fullPoints, fullValues) = mirrored(points, values)
            let result = MinimaxApproximation(polynomial: p, maxError: maxError, lowerBound: lowerBound,
                                              reference: fullPoints, referenceErrors: fullValues,
                                              iterations: iteration, symmetry: symmetry)
            if let outcome = stopping.outcome(of: result, minError: minError) { return outcome }
            reference = points
        }
        if let levelled = stopping.levelled { return levelled.result }
        throw PolynomialError.remezNotConverged(iterations: maximumIterations, maxError: best.error,
                                                lowerBound: lowerBound, best: best.polynomial)
    }

    /// `count` points spread over the domain uniformly in θ = arccos t (t the hull's
    /// standardized variable), the first dropped: on one interval these are the extrema of
    /// T_count but the leftmost. Uniform θ matches the Chebyshev basis: points dense in x but
    /// sparse in θ (Chebyshev points of a piece such as [ε, 1] for odd terms) make the levelled
    /// system's interpolation constant grow exponentially with the degree. Dropping a point makes
    /// the start asymmetric, because a reference symmetric about 0 makes the system degenerate
    /// (E = 0) for parity-matched f without a symmetry.
    func initialReference(count: Int) -> [Double] {
        let angles = domain.map { piece in
            (high: Double.acos(Swift.max(-1, Swift.min(1, basis.standardized(piece.lowerBound)))),
             low: Double.acos(Swift.max(-1, Swift.min(1, basis.standardized(piece.upperBound)))))
        }
        let total = angles.reduce(0) { $0 + $1.high - $1.low }
        return (1 ... count).map { j in
            var s = total * Double(j) / Double(count)
            for (piece, angle) in zip(domain, angles) {
                let length = angle.high - angle.low
                if s <= length {
                    let x = (Double.cos(angle.high - s) - basis.offset) / basis.scale
                    return Swift.min(Swift.max(x, piece.lowerBound), piece.upperBound)
                }
                s -= length
            }
            // Reached only when rounding leaves s a hair above the total: the domain's right end
            // (the union is never empty; the hull's end is the same point).
            return domain.last?.upperBound ?? basis.interval.upperBound
        }
    }

    /// Solves the levelled system Σ c_k·T_k(t_j) + (−1)^j·E/w(x_j) = f(x_j); returns p.
    func levelledSolution(_ reference: [Double]) throws -> Polynomial {
        let size = reference.count
        var system = Matrix<Double>(rows: size, columns: size)
        var rhs = Matrix<Double>(rows: size, columns: 1)
        for (j, x) in reference.enumerated() {
            let values = basis.family.valuesAndDerivatives(at: basis.standardized(x), count: degree + 1).values
            for (column, k) in terms.enumerated() { system[j, column] = values[k] }
            system[j, size - 1] = (j % 2 == 0 ? 1 : -1) / w(x)
            rhs[j, 0] = try finiteValue(f, x)
        }
        let solution: Matrix<Double>
        do { solution = try system.solve(rhs) } catch {
            throw PolynomialError.singularSystem("the union Remez reference system (points \(reference))")
        }
        return polynomial(Array(solution.elements.prefix(size - 1)))
    }

    /// Local maxima of |e| on each piece of the domain, in ascending x, merged to alternate in
    /// sign (each run of one sign keeps its largest |e|).
    func extrema(of e: (Double) -> Double, reference: [Double]) throws -> (points: [Double], values: [Double]) {
        var points = [Double](), values = [Double]()
        let perPiece = Swift.max(64, 8 * terms.count)
        for piece in domain {
            var grid = Polynomial.chebyshevPoints(count: perPiece + 1, on: piece)
            let inside = reference.filter { piece.contains($0) }
            for (left, right) in zip(inside, inside.dropFirst()) where right > left {
                for s in 1 ..< 16 { grid.append(left + (right - left) * Double(s) / 16) }
            }
            grid += inside + [piece.lowerBound, piece.upperBound]
            grid = Array(Set(grid.filter { piece.contains($0) })).sorted()
            let sampled = try grid.map { x -> Double in
                let v = e(x)
                guard v.isFinite else { throw PolynomialError.nonFiniteValue(at: x) }
                return v
            }
            for i in grid.indices where sampled[i] != 0 {
                let sign: Double = sampled[i] > 0 ? 1 : -1
                let leftOK = i == 0 || sign * sampled[i] >= sign * sampled[i - 1]
                let rightOK = i == grid.count - 1 || sign * sampled[i] >= sign * sampled[i + 1]
                guard leftOK && rightOK else { continue }
                var (bestX, bestValue) = (grid[i], sampled[i])
                let low = grid[Swift.max(i - 1, 0)], high = grid[Swift.min(i + 1, grid.count - 1)]
                if high > low {
                    // |e| is flat at a smooth maximum: 1e-10 of the bracket locates its value
                    // to O(|e″|·(1e-10·h)²), far below the stopping tolerance.
                    let (x, v) = try goldenSectionMaximum(of: { sign * e($0) }, in: low, high,
                                                          tolerance: 1e-10 * (high - low))
                    if v > sign * bestValue { (bestX, bestValue) = (x, sign * v) }
                }
                if let previous = values.last, previous.sign == bestValue.sign {
                    if Swift.abs(bestValue) > Swift.abs(previous) {
                        points[points.count - 1] = bestX
                        values[values.count - 1] = bestValue
                    }
                } else {
                    points.append(bestX)
                    values.append(bestValue)
                }
            }
        }
        return (points, values)
    }

    /// The alternation set on the whole union: the non-negative half's reference and its
    /// mirror image (e(−x) = −e(x) for odd fits, e(x) for even ones, where the mirror of the
    /// smallest point repeats its sign and is left out).
    func mirrored(_ points: [Double], _ values: [Double]) -> ([Double], [Double]) {
        switch symmetry {
        case .none:
            return (points, values)
        case .odd:
            let positive = zip(points, values).filter { $0.0 > 0 }
            return (positive.reversed().map { -$0.0 } + positive.map(\.0),
                    positive.reversed().map { -$0.1 } + positive.map(\.1))
        case .even:
            let mirror = zip(points, values).dropFirst().filter { $0.0 > 0 }
            return (mirror.reversed().map { -$0.0 } + points, mirror.reversed().map(\.1) + values)
        }
    }
}
