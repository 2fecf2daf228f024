import LinearAlgebra
import Testing
import TestSupport

// Tolerances: for a well-conditioned n×n problem in Double, backward-stable LAPACK routines
// reconstruct A to about n·ε·‖A‖ (≈ 8·2e-16·10 here); 1e-10 leaves room for the condition
// number of the random test matrices (checked below to be modest).
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
        expectClose(reconstructed, a, absolute: 1e-10)
        expectClose(vectors.multiplied(by: vectors, transposingSelf: true), .identity(8), absolute: 1e-12)
    }

    @Test mutating func eigenvaluesOfAKnownMatrix() throws {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3 exactly.
        let (values, _) = try Matrix<Double>([[2, 1], [1, 2]]).symmetricEigendecomposition()
        expectClose(values, [1, 3], absolute: 1e-14)
    }

    @Test mutating func svdReconstructsRectangularMatrices() throws {
        for (m, n) in [(7, 4), (4, 7)] {
            let a = Matrix<Double>.randomNormal(rows: m, columns: n, using: &generator)
            let (u, s, vt) = try a.singularValueDecomposition()
            #expect(u.rows == m && u.columns == min(m, n) && vt.rows == min(m, n) && vt.columns == n)
            #expect(s == s.sorted(by: >))
            expectClose(u.multiplied(by: .diagonal(s)).multiplied(by: vt), a, absolute: 1e-10)
            expectClose(u.multiplied(by: u, transposingSelf: true), .identity(min(m, n)), absolute: 1e-12)
        }
    }

    @Test mutating func floatSVDReconstructs() throws {
        let a = Matrix<Float>.randomNormal(rows: 6, columns: 5, using: &generator)
        let (u, s, vt) = try a.singularValueDecomposition()
        // Float: ε ≈ 6e-8, ‖A‖ ≈ 5 → errors ≈ 1e-6.
        expectClose(u.multiplied(by: .diagonal(s)).multiplied(by: vt), a, absolute: 1e-5)
    }

    @Test mutating func leastSquaresMatchesTheNormalEquations() throws {
        let a = Matrix<Double>.randomNormal(rows: 30, columns: 5, using: &generator)
        let b = Matrix<Double>.randomNormal(rows: 30, columns: 2, using: &generator)
        let (x, rank, singularValues) = try a.leastSquaresSolution(b)
        #expect(rank == 5)
        #expect(singularValues.first! / singularValues.last! < 10)  // well conditioned
        // Normal equations (AᵀA)x = Aᵀb solved independently by Cholesky.
        let normal = try a.multiplied(by: a, transposingSelf: true).choleskySolve(a.multiplied(by: b, transposingSelf: true))
        expectClose(x, normal, absolute: 1e-10)
    }

    @Test mutating func choleskyFactorsAndSolves() throws {
        let x = Matrix<Double>.randomNormal(rows: 6, columns: 6, using: &generator)
        let spd = x.multiplied(by: x, transposingOther: true) + Matrix.identity(6)
        let l = try spd.choleskyFactor()
        #expect(l[0, 5] == 0 && l[2, 3] == 0)
        expectClose(l.multiplied(by: l, transposingOther: true), spd, absolute: 1e-10)
        let b = Matrix<Double>.randomNormal(rows: 6, columns: 3, using: &generator)
        expectClose(spd.multiplied(by: try spd.choleskySolve(b)), b, absolute: 1e-10)
        expectClose(spd.multiplied(by: try spd.solve(b)), b, absolute: 1e-10)
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
