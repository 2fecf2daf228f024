import LinearAlgebra

// Rounding bounds that hold on any IEEE-754 machine with any correct BLAS and LAPACK, for
// deriving test tolerances (never from what one machine printed).
//
// - u = ε/2 is the unit roundoff (2⁻²⁴ in Float, 2⁻⁵³ in Double): one correctly rounded
//   operation errs by at most u relative.
// - A dot product of length k summed in any order, with or without FMA, errs by at most
//   γ_k·Σ|aᵢbᵢ| with γ_k = k·u/(1 − k·u) (Higham, Accuracy and Stability of Numerical
//   Algorithms, 2nd ed., §3.1); so a BLAS product op(A)·op(B) errs elementwise by at most
//   γ_k·(|op(A)|·|op(B)|), whatever kernel the CPU selects.
// - LAPACK's backward-stable decompositions are accepted by LAPACK's own test suite when a
//   residual R satisfies ‖R‖₁ < threshold·n·ε·‖A‖₁, with threshold 30 for linear equations
//   (TESTING/dtest.in), 50 for the SVD (svd.in) and 60 for the symmetric eigenproblem (sep.in).
//   Every elementwise |Rᵢⱼ| ≤ ‖R‖₁, so that bound applied elementwise passes for any LAPACK
//   that passes its own tests.

/// The unit roundoff u = ε/2 of `Scalar`.
public func unitRoundoff<Scalar: BinaryFloatingPoint>(_: Scalar.Type) -> Double {
    Double(Scalar.ulpOfOne) / 2
}

/// γ_k = k·u/(1 − k·u): the relative error bound of k rounded operations in `Scalar`.
public func gamma<Scalar: BinaryFloatingPoint>(_ k: Int, _ type: Scalar.Type) -> Double {
    let ku = Double(k) * unitRoundoff(type)
    precondition(ku < 0.5, "γ_\(k) is not small in \(type)")
    return ku / (1 - ku)
}

/// |op(A)|·|op(B)| in Double (a plain loop, independent of BLAS): the magnitude against which
/// a product's rounding error is bounded.
public func magnitudeProduct<Scalar: BLASScalar>(
    _ a: Matrix<Scalar>, _ b: Matrix<Scalar>, transposingA: Bool = false, transposingB: Bool = false
) -> Matrix<Double> {
    let (m, k) = transposingA ? (a.columns, a.rows) : (a.rows, a.columns)
    let (k2, n) = transposingB ? (b.columns, b.rows) : (b.rows, b.columns)
    precondition(k == k2, "Magnitude product of \(m)×\(k) and \(k2)×\(n)")
    var c = Matrix<Double>(rows: m, columns: n)
    for i in 0 ..< m {
        for j in 0 ..< n {
            var total = 0.0
            for p in 0 ..< k {
                let x = transposingA ? a[p, i] : a[i, p]
                let y = transposingB ? b[j, p] : b[p, j]
                total += abs(Double(x)) * abs(Double(y))
            }
            c[i, j] = total
        }
    }
    return c
}

/// ‖A‖₁, the largest absolute column sum (the norm LAPACK's test ratios use).
public func oneNorm<Scalar: BLASScalar>(_ a: Matrix<Scalar>) -> Double {
    (0 ..< a.columns).map { j in (0 ..< a.rows).reduce(0.0) { $0 + abs(Double(a[$1, j])) } }.max() ?? 0
}

/// The threshold LAPACK's own test suite applies to a normalized residual.
public enum LAPACKThreshold: Double, Sendable {
    /// TESTING/dtest.in: linear equations (LU, Cholesky, least squares).
    case linearEquations = 30
    /// TESTING/svd.in: singular value decompositions.
    case singularValues = 50
    /// TESTING/sep.in: the symmetric eigenproblem.
    case symmetricEigenproblem = 60
}

/// threshold·n·ε·norm: the largest residual LAPACK's tests accept for a problem of order n.
public func lapackResidualBound<Scalar: BinaryFloatingPoint>(
    _ threshold: LAPACKThreshold, order n: Int, norm: Double, _ type: Scalar.Type
) -> Double {
    threshold.rawValue * Double(n) * Double(Scalar.ulpOfOne) * norm
}
