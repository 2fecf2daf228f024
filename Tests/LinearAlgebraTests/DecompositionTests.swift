import LinearAlgebra
import Testing
import TestSupport

// Tolerances: each identity is checked with the residual bound LAPACK's own test suite
// accepts, threshold·n·ε·‖A‖₁ (TestSupport/ErrorBounds.swift: 30 for linear equations, 50 for
// the SVD, 60 for the symmetric eigenproblem), applied elementwise (|Rᵢⱼ| ≤ ‖R‖₁). These
// residuals are backward errors: they do not grow with the condition number. Where the test
// forms a product itself (U·Σ·Vᵀ, L·Lᵀ, A·X), that product's own rounding, γ_k times the
// magnitude product, is added.
@Suite("LAPACK decompositions against their defining identities")
struct DecompositionTests {
    var generator = SeededGenerator(seed: 42)

    mutating func randomSymmetric(_ n: Int) -> Matrix<Double> {
        let x = Matrix<Double>.randomNormal(rows: n, columns: n, using: &generator)
        return 0.5 * (x + x.transposed())
    }

    @Test mutating func eigendecompositionReconstructsWithOrthonormalVectors() throws {
        let a = randomSymmetric(8)
        let (values, vectors) = try a.symmetricEigendecomposition()
        #expect(values == values.sorted())
        let reconstructed = vectors.multiplied(by: Matrix.diagonal(values)).multiplied(by: vectors, transposingOther: true)
        // Rows of V are unit vectors, so |V|·|Λ|·|V|ᵀ ≤ max|λ| ≤ ‖A‖₂ ≤ ‖A‖₁ (A symmetric) and
        // the two products add at most 2γ₈·‖A‖₁.
        let norm = oneNorm(a)
        let bound = lapackResidualBound(.symmetricEigenproblem, order: 8, norm: norm, Double.self) + 2 * gamma(8, Double.self) * norm
        expectClose(reconstructed, a, absolute: bound)
        // sep.in's orthogonality ratio ‖I − VᵀV‖₁/(n·ε) < 60, plus γ₈ for forming VᵀV.
        expectClose(vectors.multiplied(by: vectors, transposingSelf: true), .identity(8),
                    absolute: lapackResidualBound(.symmetricEigenproblem, order: 8, norm: 1, Double.self) + gamma(8, Double.self))
    }

    @Test mutating func eigenvaluesOfAKnownMatrix() throws {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3 exactly. The computed ones are exact for
        // A + E with ‖E‖₁ < 60·n·ε·‖A‖₁, and by Weyl's theorem move by at most ‖E‖₂ ≤ ‖E‖₁
        // (symmetric E): 60·2·ε·3 ≈ 8e-14.
        let a = Matrix<Double>([[2, 1], [1, 2]])
        let (values, _) = try a.symmetricEigendecomposition()
        expectClose(values, [1, 3], absolute: lapackResidualBound(.symmetricEigenproblem, order: 2, norm: oneNorm(a), Double.self))
    }

    @Test mutating func svdReconstructsRectangularMatrices() throws {
        for (m, n) in [(7, 4), (4, 7)] {
            let a = Matrix<Double>.randomNormal(rows: m, columns: n, using: &generator)
            let (u, s, vt) = try a.singularValueDecomposition()
            #expect(u.rows == m && u.columns == min(m, n) && vt.rows == min(m, n) && vt.columns == n)
            #expect(s == s.sorted(by: >))
            // svd.in's ratios: ‖A − UΣVᵀ‖₁/(max(m, n)·ε·‖A‖₁) < 50 and ‖I − UᵀU‖₁/(m·ε) < 50,
            // plus the rounding of the test's own products.
            expectClose(u.multiplied(by: .diagonal(s)).multiplied(by: vt), a,
                        within: reconstructionBound(a, u: u, s: s, vt: vt))
            expectClose(u.multiplied(by: u, transposingSelf: true), .identity(min(m, n)),
                        absolute: lapackResidualBound(.singularValues, order: m, norm: 1, Double.self) + gamma(m, Double.self))
        }
    }

    @Test mutating func floatSVDReconstructs() throws {
        let a = Matrix<Float>.randomNormal(rows: 6, columns: 5, using: &generator)
        let (u, s, vt) = try a.singularValueDecomposition()
        // The same svd.in bound in Float (ε = 2⁻²³).
        expectClose(u.multiplied(by: .diagonal(s)).multiplied(by: vt), a, within: reconstructionBound(a, u: u, s: s, vt: vt))
    }

    /// svd.in's accepted residual 50·max(m, n)·ε·‖A‖₁ plus the rounding of forming (U·Σ)·Vᵀ:
    /// scaling U's columns is one rounding, the product with Vᵀ has inner length min(m, n).
    func reconstructionBound<Scalar: BLASScalar>(
        _ a: Matrix<Scalar>, u: Matrix<Scalar>, s: [Scalar], vt: Matrix<Scalar>
    ) -> Matrix<Double> {
        let k = min(a.rows, a.columns)
        let lapack = lapackResidualBound(.singularValues, order: max(a.rows, a.columns), norm: oneNorm(a), Scalar.self)
        return magnitudeProduct(u.multiplied(by: .diagonal(s)), vt).map { gamma(k + 1, Scalar.self) * $0 + lapack }
    }

    @Test mutating func leastSquaresMatchesTheNormalEquations() throws {
        let a = Matrix<Double>.randomNormal(rows: 30, columns: 5, using: &generator)
        let b = Matrix<Double>.randomNormal(rows: 30, columns: 2, using: &generator)
        let (x, rank, singularValues) = try a.leastSquaresSolution(b)
        #expect(rank == 5)
        #expect(singularValues.first! / singularValues.last! < 10)  // well conditioned
        // The defining identity of the least-squares solution: the residual r = b − Ax is
        // orthogonal to A's columns, Aᵀr = 0 (this fixes x when A has full rank). LAPACK's
        // dqrt17 accepts ‖Aᵀr‖₁ < 30·max(m, n)·ε·‖A‖₁·‖b‖₁ per column; the test forms r and Aᵀr
        // in plain Double loops, adding γ₆·|Aᵀ|(|b| + |A||x|) for r and γ₃₀·|Aᵀ||r| for Aᵀr.
        let (m, n) = (30, 5)
        for column in 0 ..< 2 {
            let bColumn = b.column(column), xColumn = x.column(column)
            let residual = (0 ..< m).map { i in bColumn[i] - (0 ..< n).reduce(0.0) { $0 + a[i, $1] * xColumn[$1] } }
            let residualBound = (0 ..< m).map { i in
                gamma(n + 1, Double.self) * (abs(bColumn[i]) + (0 ..< n).reduce(0.0) { $0 + abs(a[i, $1] * xColumn[$1]) })
            }
            let normalEquations = (0 ..< n).map { j in (0 ..< m).reduce(0.0) { $0 + a[$1, j] * residual[$1] } }
            let lapack = lapackResidualBound(.linearEquations, order: m, norm: oneNorm(a), Double.self)
                * bColumn.reduce(0) { $0 + abs($1) }
            let bounds = (0 ..< n).map { j in
                lapack + (0 ..< m).reduce(0.0) {
                    $0 + abs(a[$1, j]) * (residualBound[$1] + gamma(m, Double.self) * abs(residual[$1]))
                }
            }
            expectClose(normalEquations, [Double](repeating: 0, count: n), within: bounds, "column \(column)")
        }
    }

    @Test mutating func choleskyFactorsAndSolves() throws {
        let x = Matrix<Double>.randomNormal(rows: 6, columns: 6, using: &generator)
        let spd = x.multiplied(by: x, transposingOther: true) + Matrix.identity(6)
        let l = try spd.choleskyFactor()
        #expect(l[0, 5] == 0 && l[2, 3] == 0)
        // dtest.in's ratios (threshold 30): ‖LLᵀ − A‖₁/(n·ε·‖A‖₁) for dpot01 and
        // ‖B − AX‖₁/(n·ε·‖A‖₁·‖X‖₁) per column for dpot02/dget02, plus γ₆ times the magnitude
        // of the test's own product.
        let norm = oneNorm(spd)
        expectClose(l.multiplied(by: l, transposingOther: true), spd,
                    within: magnitudeProduct(l, l, transposingB: true).map {
                        gamma(6, Double.self) * $0 + lapackResidualBound(.linearEquations, order: 6, norm: norm, Double.self)
                    })
        let b = Matrix<Double>.randomNormal(rows: 6, columns: 3, using: &generator)
        for solution in [try spd.choleskySolve(b), try spd.solve(b)] {
            let solutionNorm = oneNorm(solution)
            expectClose(spd.multiplied(by: solution), b, within: magnitudeProduct(spd, solution).map {
                gamma(6, Double.self) * $0 + lapackResidualBound(.linearEquations, order: 6, norm: norm * solutionNorm, Double.self)
            })
        }
    }

    @Test func failuresThrowTypedErrors() {
        #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2)) {
            try Matrix<Double>([[1, 2], [2, 1]]).choleskyFactor()
        }
        #expect(throws: LinearAlgebraError.singular(pivot: 2)) {
            try Matrix<Double>([[1, 2], [2, 4]]).solve(Matrix([[1], [1]]))
        }
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "syevd")) {
            try Matrix<Double>([[1, .nan], [.nan, 1]]).symmetricEigendecomposition()
        }
    }
}
