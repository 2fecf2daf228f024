// A starting reference for the rational Remez exchange from a near-best rational on a grid.
//
// Rational Remez converges only from a reference close to the final one; for functions with a
// kink the best rational's extrema crowd geometrically towards the kink, where neither
// Chebyshev points nor the polynomial minimax's reference put them. So first compute a near-best
// p/q on a fine grid (Chebyshev points plus points at distances 2^{−k} from each kink) by
// iteratively reweighted linearized least squares:
//   minimize Σ_i w_i·|f_i·q_i − p_i|² / |q_prev,i|²  with q's T_0 coefficient fixed at 1
// (LAPACK gelsd on the weighted matrix [T_k(t_i) | −f_i·T_k(t_i)]; a unit-norm normalization
// instead lets q shrink towards zero somewhere and put spurious poles on the interval)
// (dividing by the previous q turns the linearized residual f·q − p into the true error
// f − p/q, as in the Sanathanan–Koerner/Loeb iteration), with Lawson's update w_i ← w_i·|e_i|,
// which drives the weighted least-squares solution towards the minimax one. Its error's
// alternating extrema are the starting reference.

import LinearAlgebra
import RealModule

extension RationalFunction {
    /// n + m + 2 alternating extrema (in t ∈ [-1, 1]) of a Lawson-reweighted linearized
    /// least-squares rational fit of type (n, m) to g, or nil when the fit has a pole on the
    /// grid or too few alternations.
    static func lawsonReference(_ g: (Double) -> Double, numeratorDegree n: Int, denominatorDegree m: Int,
                                kinks: [Double], iterations: Int = 40) throws -> [Double]? {
        var clustered = [Double]()
        for kink in kinks {
            for k in 1 ... 40 {
                let distance = Double.pow(2, -Double(k))
                clustered += [kink - distance, kink + distance].filter { $0 > -1 && $0 < 1 }
            }
        }
        clustered.sort()
        let chebyshevCount = 1000 + 20 * (n + m)
        let chebyshevGrid = (0 ... chebyshevCount).map { -Double.cos(Double.pi * Double($0) / Double(chebyshevCount)) }
        let grid = Array(Set(chebyshevGrid + clustered + kinks)).sorted()
        let f = try grid.map { try finiteValue(g, $0) }
        let columns = n + m + 2
        var basisValues = Matrix<Double>(rows: grid.count, columns: Swift.max(n, m) + 1)
        for (i, t) in grid.enumerated() {
            let values = Polynomial.Basis.Family.chebyshev.valuesAndDerivatives(at: t, count: Swift.max(n, m) + 1).values
            for k in values.indices { basisValues[i, k] = values[k] }
        }
        var weights = [Double](repeating: 1 / Double(grid.count), count: grid.count)
        var previousQ = [Double](repeating: 1, count: grid.count)
        var fit: (numerator: [Double], denominator: [Double], error: Double)?
        var system = Matrix<Double>(rows: grid.count, columns: n + 1 + m)
        var rhs = Matrix<Double>(rows: grid.count, columns: 1)
        for _ in 1 ... iterations {
            // q = T_0 + Σ_{k≥1} b_k·T_k (its T_0 coefficient fixed at 1, which any q > 0 allows):
            // scale·(p − f·(q − T_0)) ≈ scale·f.
            for i in grid.indices {
                let scale = weights[i].squareRoot() / Swift.abs(previousQ[i])
                for k in 0 ... n { system[i, k] = scale * basisValues[i, k] }
                for k in 0 ..< m { system[i, n + 1 + k] = -scale * f[i] * basisValues[i, k + 1] }
                rhs[i, 0] = scale * f[i]
            }
            guard let c = try? system.leastSquaresSolution(rhs).solution.elements else { break }
            let numerator = Array(c[0 ... n]), denominator = [1] + Array(c[(n + 1)...])
            let q = grid.map { Polynomial.Basis.Family.chebyshev.clenshaw(denominator, at: $0) }
            guard q.allSatisfy({ $0 > 0 }) else { break }
            let errors = grid.indices.map { f[$0] - Polynomial.Basis.Family.chebyshev.clenshaw(numerator, at: grid[$0]) / q[$0] }
            let largest = errors.reduce(0) { Swift.max($0, Swift.abs($1)) }
            if fit == nil || largest < fit!.error { fit = (numerator, denominator, largest) }
            var total = 0.0
            for i in grid.indices {
                weights[i] *= Swift.abs(errors[i])
                total += weights[i]
            }
            guard total > 0, total.isFinite else { break }
            for i in grid.indices { weights[i] /= total }
            previousQ = q
        }
        guard let fit else { return nil }
        let error: (Double) -> Double = { t in
            g(t) - Polynomial.Basis.Family.chebyshev.clenshaw(fit.numerator, at: t)
                / Polynomial.Basis.Family.chebyshev.clenshaw(fit.denominator, at: t)
        }
        let extrema = try Polynomial.alternatingExtrema(error, reference: clustered, kinks: kinks, count: columns)
        return extrema.points.count == columns ? extrema.points : nil
    }
}
