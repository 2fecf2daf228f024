extension Matrix {
    /// Sets `self = α·op(A)·op(B) + β·self` with one `cblas_?gemm` call and no copies.
    ///
    /// `op(X)` is `X` or `Xᵀ` as the flags say. With `beta == 0` the previous contents are
    /// ignored, and `self` is reallocated only when its shape does not fit.
    /// - Complexity: O(m·n·k) floating-point operations, in OpenBLAS.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func setProduct(
        _ a: Matrix, _ b: Matrix, transposingA: Bool = false, transposingB: Bool = false,
        alpha: Scalar = 1, beta: Scalar = 0
    ) {
        let (m, k) = transposingA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kB, n) = transposingB ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(k == kB, "Product of \(m)×\(k) and \(kB)×\(n) (after transposes; A is \(a.rows)×\(a.columns), B is \(b.rows)×\(b.columns)) does not conform")
        if rows != m || columns != n {
            precondition(beta == 0, "Accumulating a \(m)×\(n) product into a \(rows)×\(columns) matrix")
            self = Matrix(rows: m, columns: n)
        }
        if m == 0 || n == 0 { return }
        if k == 0 {
            self.scale(by: beta)
            return
        }
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                elements.withUnsafeMutableBufferPointer { pc in
                    Scalar.gemm(transposeA: transposingA, transposeB: transposingB, m: m, n: n, k: k,
                                alpha: alpha, a: pa.baseAddress!, lda: a.columns,
                                b: pb.baseAddress!, ldb: b.columns,
                                beta: beta, c: pc.baseAddress!, ldc: n)
                }
            }
        }
    }

    /// Sets `self = α·op(A)·op(A)ᵀ + β·self`, the symmetric Gram matrix, with one
    /// `cblas_?syrk` call: op(A) is `A`, or `Aᵀ` when `transposingA` (then the result is the
    /// columns' Gram matrix AᵀA, as in a scatter matrix of data rows).
    ///
    /// BLAS computes the lower triangle only, half the flops of `setProduct(a, a, …)`; the
    /// upper triangle is then mirrored from it, so `self` is exactly symmetric. With
    /// `beta != 0` only the lower triangle of the old `self` is read.
    /// - Complexity: O(n²·k) floating-point operations in OpenBLAS (n×k = shape of op(A)),
    ///   plus O(n²) to mirror.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func setGram(of a: Matrix, transposingA: Bool = false,
                                 alpha: Scalar = 1, beta: Scalar = 0) {
        let (n, k) = transposingA ? (a.columns, a.rows) : (a.rows, a.columns)
        if rows != n || columns != n {
            precondition(beta == 0, "Accumulating an \(n)×\(n) Gram matrix into a \(rows)×\(columns) matrix")
            self = Matrix(rows: n, columns: n)
        }
        if n == 0 { return }
        if k == 0 { self.scale(by: beta) }
        a.elements.withUnsafeBufferPointer { pa in
            elements.withUnsafeMutableBufferPointer { pc in
                if k > 0 {
                    Scalar.syrk(transpose: transposingA, n: n, k: k, alpha: alpha, a: pa.baseAddress!,
                                lda: a.columns, beta: beta, c: pc.baseAddress!, ldc: n)
                }
                for i in 0 ..< n {
                    for j in 0 ..< i { pc[j * n + i] = pc[i * n + j] }
                }
            }
        }
    }

    /// The matrix product op(self)·op(other).
    public func multiplied(by other: Matrix, transposingSelf: Bool = false,
                           transposingOther: Bool = false) -> Matrix {
        var result = Matrix(rows: 0, columns: 0)
        result.setProduct(self, other, transposingA: transposingSelf, transposingB: transposingOther)
        return result
    }

    /// The matrix–vector product op(self)·x (`cblas_?gemv`).
    public func multiplied(by x: [Scalar], transposingSelf: Bool = false) -> [Scalar] {
        let (outputCount, inputCount) = transposingSelf ? (columns, rows) : (rows, columns)
        precondition(x.count == inputCount,
                     "Product of a \(rows)×\(columns) matrix\(transposingSelf ? " (transposed)" : "") and a vector of \(x.count)")
        var y = [Scalar](repeating: 0, count: outputCount)
        if outputCount == 0 || inputCount == 0 { return y }
        elements.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    Scalar.gemv(transpose: transposingSelf, m: rows, n: columns, alpha: 1,
                                a: pa.baseAddress!, lda: columns, x: px.baseAddress!, beta: 0,
                                y: py.baseAddress!)
                }
            }
        }
        return y
    }
}
