// LAPACK works in place on column-major or row-major storage; LAPACKE's row-major interface
// transposes internally where needed, so we pass our row-major buffers straight in and copy
// only the inputs LAPACK would overwrite (the value semantics of `Matrix` demand that).

extension Matrix {
    private func requireFinite(_ routine: String) throws {
        if !isFinite { throw LinearAlgebraError.nonFiniteInput(routine: routine) }
    }

    /// The eigendecomposition A = V·diag(λ)·Vᵀ of a symmetric matrix (`?syevd`).
    ///
    /// Only the lower triangle is read. Eigenvalues come in ascending order; eigenvector `i`
    /// is column `i` of `vectors`, with unit norm.
    /// - Throws: `LinearAlgebraError.notConverged` if the divide-and-conquer iteration fails.
    /// - Complexity: O(n³).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func symmetricEigendecomposition() throws -> (values: [Scalar], vectors: Matrix) {
        precondition(rows == columns, "Eigendecomposition of a non-square \(rows)×\(columns) matrix")
        try requireFinite("syevd")
        var vectors = self
        var values = [Scalar](repeating: 0, count: rows)
        if rows == 0 { return (values, vectors) }
        let info = vectors.elements.withUnsafeMutableBufferPointer { a in
            values.withUnsafeMutableBufferPointer { w in Scalar.syevd(n: rows, a: a.baseAddress!, w: w.baseAddress!) }
        }
        try checkLAPACK(info, routine: "syevd") { .notConverged(routine: "syevd", info: $0) }
        return (values, vectors)
    }

    /// The thin singular value decomposition A = U·diag(σ)·Vᵀ (`?gesdd`).
    ///
    /// With k = min(m, n): `u` is m×k, `singularValues` has k entries in descending order,
    /// `vt` is k×n.
    /// - Complexity: O(m·n·k).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func singularValueDecomposition() throws -> (u: Matrix, singularValues: [Scalar], vt: Matrix) {
        try requireFinite("gesdd")
        let k = Swift.min(rows, columns)
        var a = self
        var u = Matrix(rows: rows, columns: k)
        var vt = Matrix(rows: k, columns: columns)
        var s = [Scalar](repeating: 0, count: k)
        if k == 0 { return (u, s, vt) }
        let info = a.elements.withUnsafeMutableBufferPointer { pa in
            s.withUnsafeMutableBufferPointer { ps in
                u.elements.withUnsafeMutableBufferPointer { pu in
                    vt.elements.withUnsafeMutableBufferPointer { pvt in
                        Scalar.gesdd(m: rows, n: columns, a: pa.baseAddress!, s: ps.baseAddress!,
                                     u: pu.baseAddress!, vt: pvt.baseAddress!)
                    }
                }
            }
        }
        try checkLAPACK(info, routine: "gesdd") { .notConverged(routine: "gesdd", info: $0) }
        return (u, s, vt)
    }

    /// The minimum-norm least-squares solution X of A·X ≈ B (`?gelsd`, SVD-based).
    ///
    /// Singular values below `relativeCutoff`·σ_max are treated as zero; the default (−1)
    /// uses machine precision. Returns the n×nrhs solution, the effective rank and the
    /// singular values of A (for its condition number).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func leastSquaresSolution(
        _ b: Matrix, relativeCutoff: Scalar = -1
    ) throws -> (solution: Matrix, rank: Int, singularValues: [Scalar]) {
        precondition(b.rows == rows, "Least squares with A \(rows)×\(columns) and B \(b.rows)×\(b.columns)")
        try requireFinite("gelsd")
        try b.requireFinite("gelsd")
        let ldb = b.columns
        var a = self
        // B is overwritten by X; it needs max(m, n) rows.
        var work = Matrix(rows: Swift.max(rows, columns), columns: b.columns)
        work.elements.replaceSubrange(0 ..< b.elements.count, with: b.elements)
        var s = [Scalar](repeating: 0, count: Swift.min(rows, columns))
        var rank: Int32 = 0
        if rows > 0 && columns > 0 && b.columns > 0 {
            let info = a.elements.withUnsafeMutableBufferPointer { pa in
                work.elements.withUnsafeMutableBufferPointer { pb in
                    s.withUnsafeMutableBufferPointer { ps in
                        Scalar.gelsd(m: rows, n: columns, nrhs: b.columns, a: pa.baseAddress!,
                                     b: pb.baseAddress!, ldb: ldb, s: ps.baseAddress!,
                                     rcond: relativeCutoff, rank: &rank)
                    }
                }
            }
            try checkLAPACK(info, routine: "gelsd") { .notConverged(routine: "gelsd", info: $0) }
        }
        return (work.rows(0 ..< columns), Int(rank), s)
    }

    /// The lower-triangular Cholesky factor L with A = L·Lᵀ (`?potrf`); only A's lower
    /// triangle is read.
    /// - Throws: `LinearAlgebraError.notPositiveDefinite` when A is not positive definite.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func choleskyFactor() throws -> Matrix {
        precondition(rows == columns, "Cholesky of a non-square \(rows)×\(columns) matrix")
        try requireFinite("potrf")
        var l = self
        if rows > 0 {
            let info = l.elements.withUnsafeMutableBufferPointer { Scalar.potrf(n: rows, a: $0.baseAddress!) }
            try checkLAPACK(info, routine: "potrf") { .notPositiveDefinite(order: $0) }
        }
        let n = rows
        l.elements.withUnsafeMutableBufferPointer { factor in
            for i in 0 ..< n { for j in (i + 1) ..< n { factor[i * n + j] = 0 } }
        }
        return l
    }

    /// Solves A·X = B for symmetric positive definite A by Cholesky (`?potrf` + `?potrs`).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func choleskySolve(_ b: Matrix) throws -> Matrix {
        precondition(rows == columns && b.rows == rows,
                     "Cholesky solve with A \(rows)×\(columns) and B \(b.rows)×\(b.columns)")
        let l = try choleskyFactor()
        try b.requireFinite("potrs")
        return try Self.solution(of: b, routine: "potrs", onPositive: { .notPositiveDefinite(order: $0) }) { x in
            l.elements.withUnsafeBufferPointer { Scalar.potrs(n: rows, nrhs: b.columns, l: $0.baseAddress!, b: x) }
        }
    }

    /// Solves the square system A·X = B by LU with partial pivoting (`?gesv`).
    /// - Throws: `LinearAlgebraError.singular` when a pivot is exactly zero.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func solve(_ b: Matrix) throws -> Matrix {
        precondition(rows == columns && b.rows == rows,
                     "Solve with A \(rows)×\(columns) and B \(b.rows)×\(b.columns)")
        try requireFinite("gesv")
        try b.requireFinite("gesv")
        var lu = self
        return try Self.solution(of: b, routine: "gesv", onPositive: { .singular(pivot: $0) }) { x in
            lu.elements.withUnsafeMutableBufferPointer { Scalar.gesv(n: rows, nrhs: b.columns, a: $0.baseAddress!, b: x) }
        }
    }

    /// X for A·X = B: a copy of `b` that `solver` overwrites with one LAPACK call (`?potrs`,
    /// `?gesv`) given its storage; an empty system calls nothing.
    private static func solution(of b: Matrix, routine: String, onPositive: (Int) -> LinearAlgebraError,
                                 _ solver: (UnsafeMutablePointer<Scalar>) -> Int32) throws -> Matrix {
        var x = b
        if b.rows > 0 && b.columns > 0 {
            let info = x.elements.withUnsafeMutableBufferPointer { solver($0.baseAddress!) }
            try checkLAPACK(info, routine: routine, onPositive: onPositive)
        }
        return x
    }
}
