// The levelled rational trial of the rational Remez exchange, as a symmetric eigenproblem.
//
// At the reference t_0 < … < t_{N+1} (N = n + m) we want p ∈ P_n, q ∈ P_m and a level h with
// f_j − p(t_j)/q(t_j) = σ_j·h, σ_j = (−1)^j, i.e. p(t_j) = (f_j − σ_j·h)·q(t_j). The equation
// is nonlinear (h multiplies q). Eliminate p: let w_j = |1/∏_{i≠j}(t_j − t_i)|. The signed
// weights σ_j·w_j are (up to one global sign) the barycentric weights of the N + 2 points, and
// Σ_j σ_j·w_j·g(t_j) = 0 for every g of degree ≤ N (an (N+1)-th divided difference). So for
// ψ ∈ P_m and p ∈ P_n, Σ_j w_j·(σ_j·ψ_j)·p_j = 0: the vectors σ·ψ span the w-orthogonal
// complement of P_n (dimension N + 2 − (n + 1) = m + 1). Testing the equation against them:
//   Σ_j w_j·σ_j·f_j·ψ_j·q_j = h·Σ_j w_j·ψ_j·q_j    for all ψ ∈ P_m,
// a symmetric-definite (m+1)×(m+1) eigenproblem A·b = h·B·b. With W^{1/2}·Q = U·Σ·Vᵀ (thin SVD
// of the weighted Chebyshev–Vandermonde matrix of q) it becomes the standard symmetric problem
//   Uᵀ·diag(σ·f)·U·y = h·y,   q(t_j) = (U·y)_j / √w_j,   b = V·Σ⁻¹·y,
// solved by LAPACK (syev): real levels, orthogonal eigenvectors, no generalized nonsymmetric
// solver. Of the m + 1 solutions at most one has q of constant sign on the reference (a
// q with a sign change puts a pole between two reference points); that one is the trial. Then
// p interpolates (f_j − σ_j·h)·q_j, a consistent overdetermined system solved by least squares.
// Near-Chebyshev references keep w within a small factor of uniform, so the SVD is well
// conditioned; the weights are formed in logarithms so they never overflow.

import LinearAlgebra
import RealModule

extension RationalFunction {
    /// The levelled trial at `reference` (points in [-1, 1], ascending): Chebyshev coefficients
    /// of p (degree n) and q (degree m, positive on the reference) and the level h with
    /// f_j − p(t_j)/q(t_j) = (−1)^j·h.
    /// - Throws: ``PolynomialError/degenerateRational(_:)`` when the points nearly coincide or
    ///   no solution has a denominator of constant sign.
    static func levelledSolution(values f: [Double], reference t: [Double], numeratorDegree n: Int,
                                 denominatorDegree m: Int) throws -> (numerator: [Double], denominator: [Double], level: Double) {
        let size = t.count
        precondition(size == n + m + 2 && f.count == size,
                     "levelled rational system of type (\(n), \(m)) needs \(n + m + 2) points and values, got \(size) and \(f.count)")
        let logWeights = t.indices.map { j in
            -t.indices.reduce(0.0) { sum, i in i == j ? sum : sum + Double.log(Swift.abs(t[j] - t[i])) }
        }
        let largest = logWeights.max()!
        let rootWeights = logWeights.map { Double.exp(0.5 * ($0 - largest)) }
        var weightedQ = Matrix<Double>(rows: size, columns: m + 1)
        var vandermonde = Matrix<Double>(rows: size, columns: n + 1)
        for j in 0 ..< size {
            let values = Polynomial.Basis.Family.chebyshev.valuesAndDerivatives(at: t[j], count: Swift.max(n, m) + 1).values
            for k in 0 ... m { weightedQ[j, k] = rootWeights[j] * values[k] }
            for k in 0 ... n { vandermonde[j, k] = values[k] }
        }
        let svd: (u: Matrix<Double>, singularValues: [Double], vt: Matrix<Double>)
        do { svd = try weightedQ.singularValueDecomposition() } catch {
            throw PolynomialError.degenerateRational("the SVD of the reference's denominator matrix failed (\(error))")
        }
        guard svd.singularValues.last! > 1e-13 * svd.singularValues[0] else {
            throw PolynomialError.degenerateRational("the reference points \(t) nearly coincide (denominator matrix rank-deficient)")
        }
        var signedU = svd.u
        for j in 0 ..< size {
            let factor = (j % 2 == 0 ? 1 : -1) * f[j]
            for k in 0 ... m { signedU[j, k] *= factor }
        }
        var levelMatrix = svd.u.multiplied(by: signedU, transposingSelf: true)
        for i in 0 ... m { for k in 0 ..< i { levelMatrix[i, k] = (levelMatrix[i, k] + levelMatrix[k, i]) / 2; levelMatrix[k, i] = levelMatrix[i, k] } }
        let eigen: (values: [Double], vectors: Matrix<Double>)
        do { eigen = try levelMatrix.symmetricEigendecomposition() } catch {
            throw PolynomialError.degenerateRational("the level eigenproblem failed (\(error))")
        }
        // The solution whose q keeps one sign on the reference (smallest |h| if rounding admits several).
        var chosen: (level: Double, y: [Double])?
        for k in 0 ... m {
            var y = eigen.vectors.column(k)
            let q = svd.u.multiplied(by: y)
            guard q.allSatisfy({ $0 > 0 }) || q.allSatisfy({ $0 < 0 }) else { continue }
            if q[0] < 0 { y = y.map { -$0 } }
            if chosen == nil || Swift.abs(eigen.values[k]) < Swift.abs(chosen!.level) { chosen = (eigen.values[k], y) }
        }
        guard let (h, y) = chosen else {
            throw PolynomialError.degenerateRational("no levelled trial p/q of type (\(n), \(m)) has a denominator of constant sign on the \(size) reference points; try a smaller denominator degree")
        }
        // b = V·Σ⁻¹·y; q(t_j) = (U·y)_j/√w_j.
        let scaledY = zip(y, svd.singularValues).map { $0 / $1 }
        let denominator = svd.vt.multiplied(by: scaledY, transposingSelf: true)
        let qValues = svd.u.multiplied(by: y).enumerated().map { $1 / rootWeights[$0] }
        var pValues = Matrix<Double>(rows: size, columns: 1)
        for j in 0 ..< size { pValues[j, 0] = (f[j] - (j % 2 == 0 ? h : -h)) * qValues[j] }
        let numerator: [Double]
        do { numerator = Array(try vandermonde.leastSquaresSolution(pValues).solution.elements) } catch {
            throw PolynomialError.degenerateRational("the numerator interpolation failed (\(error))")
        }
        return (numerator, denominator, h)
    }
}
