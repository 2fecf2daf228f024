// Gauss quadrature from the three-term recurrence of orthonormal polynomials.
//
// Orthonormal polynomials satisfy b_{k+1}·p_{k+1}(x) = (x − a_k)·p_k(x) − b_k·p_{k−1}(x). The
// Gauss nodes for n points are the zeros of p_n, i.e. the eigenvalues of the symmetric
// tridiagonal Jacobi matrix with diagonal a_k and off-diagonal b_k (Golub–Welsch). Eigenvalues
// are accurate to about ε·‖J‖ in absolute terms; Newton steps on p_n polish them.
//
// Weights are the Christoffel numbers w_i = μ₀ / Σ_{k<n} p_k(x_i)², computed in the log domain:
// for Hermite rules with hundreds of nodes the outermost weights are far below 1e-300 and the
// sums overflow. Golub–Welsch's w_i = μ₀·v_{0i}² would give those weights only to an absolute
// accuracy of 1e-17, which is useless once they multiply polynomials of high degree.

import LinearAlgebra
import RealModule

/// The recurrence coefficients of a family of orthonormal polynomials.
struct OrthonormalRecurrence: Sendable {
    /// Diagonal a_k of the Jacobi matrix.
    var diagonal: @Sendable (Int) -> Double
    /// Off-diagonal b_k (k ≥ 1) of the Jacobi matrix.
    var offDiagonal: @Sendable (Int) -> Double
    /// Total mass μ₀ of the weight.
    var totalMass: Double

    /// Gauss nodes (ascending) and log-weights for `count` points.
    func gaussRule(count: Int) throws -> (nodes: [Double], logWeights: [Double]) {
        precondition(count >= 1, "A Gauss rule needs at least one node, got \(count)")
        var jacobi = Matrix<Double>(rows: count, columns: count)
        for k in 0 ..< count {
            jacobi[k, k] = diagonal(k)
            if k + 1 < count {
                jacobi[k + 1, k] = offDiagonal(k + 1)
                jacobi[k, k + 1] = offDiagonal(k + 1)
            }
        }
        var nodes = try jacobi.symmetricEigendecomposition().values
        var logWeights = [Double](repeating: 0, count: count)
        for i in 0 ..< count {
            for _ in 0 ..< 3 {
                let step = newtonStep(at: nodes[i], count: count)
                nodes[i] -= step
                if Swift.abs(step) <= 1e-16 * Swift.max(1, Swift.abs(nodes[i])) { break }
            }
            logWeights[i] = Double.log(totalMass) - logSumOfSquares(count: count, at: nodes[i])
        }
        return (nodes, logWeights)
    }

    /// log Σ_{k<n} p_k(x)², with rescaling so that no partial value overflows.
    private func logSumOfSquares(count: Int, at x: Double) -> Double {
        var previous = 0.0, current = 1.0, sum = 0.0, logScale = 0.0
        for k in 0 ..< count {
            sum += current * current
            let next = ((x - diagonal(k)) * current - (k > 0 ? offDiagonal(k) * previous : 0)) / offDiagonal(k + 1)
            previous = current
            current = next
            if Swift.abs(current) > 1e100 {
                current /= 1e100
                previous /= 1e100
                sum /= 1e200
                logScale += Double.log(1e100)
            }
        }
        return Double.log(sum) + 2 * logScale
    }

    /// The Newton step p_n(x)/p_n′(x), with p_n′ from the differentiated recurrence
    /// b_{k+1}·p′_{k+1} = p_k + (x − a_k)·p′_k − b_k·p′_{k−1}.
    private func newtonStep(at x: Double, count: Int) -> Double {
        var p0 = 0.0, p1 = 1.0, d0 = 0.0, d1 = 0.0
        for k in 0 ..< count {
            let b = offDiagonal(k + 1)
            let back = k > 0 ? offDiagonal(k) : 0
            let p2 = ((x - diagonal(k)) * p1 - back * p0) / b
            let d2 = (p1 + (x - diagonal(k)) * d1 - back * d0) / b
            p0 = p1; p1 = p2; d0 = d1; d1 = d2
            if Swift.max(Swift.abs(p1), Swift.abs(d1)) > 1e100 {
                p0 /= 1e100; p1 /= 1e100; d0 /= 1e100; d1 /= 1e100
            }
        }
        return d1 == 0 ? 0 : p1 / d1
    }
}
