import CBLAS
import RealModule

/// A floating-point type that OpenBLAS and LAPACKE can compute with: `Float` or `Double`.
///
/// This is the only place where the single- and double-precision routine names (`sgemm` /
/// `dgemm`, …) differ; everything above it is written once, generically.
public protocol BLASScalar: Real, BinaryFloatingPoint, SIMDScalar, Sendable, Codable
where Self.RawSignificand: FixedWidthInteger {
    /// C = α·op(A)·op(B) + β·C on row-major buffers (`cblas_?gemm`).
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// y = α·op(A)·x + β·y on a row-major buffer (`cblas_?gemv`).
    static func gemv(
        transpose: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)

    /// The lower triangle of C = α·op(A)·op(A)ᵀ + β·C on row-major buffers, where op(A) is
    /// n×k (`cblas_?syrk`; the strict upper triangle of C is left untouched).
    static func syrk(
        transpose: Bool, n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// Symmetric eigendecomposition by divide and conquer (`LAPACKE_?syevd`, row-major).
    static func syevd(n: Int, a: UnsafeMutablePointer<Self>, w: UnsafeMutablePointer<Self>) -> Int32

    /// Thin SVD by divide and conquer (`LAPACKE_?gesdd`, job "S", row-major).
    static func gesdd(m: Int, n: Int, a: UnsafeMutablePointer<Self>, s: UnsafeMutablePointer<Self>,
                      u: UnsafeMutablePointer<Self>, vt: UnsafeMutablePointer<Self>) -> Int32

    /// Minimum-norm least squares by SVD (`LAPACKE_?gelsd`, row-major).
    static func gelsd(m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Self>,
                      b: UnsafeMutablePointer<Self>, ldb: Int, s: UnsafeMutablePointer<Self>,
                      rcond: Self, rank: UnsafeMutablePointer<Int32>) -> Int32

    /// Cholesky factorization A = L·Lᵀ, lower triangle (`LAPACKE_?potrf`, row-major).
    static func potrf(n: Int, a: UnsafeMutablePointer<Self>) -> Int32

    /// Solves A·X = B from a Cholesky factor (`LAPACKE_?potrs`, row-major).
    static func potrs(n: Int, nrhs: Int, l: UnsafePointer<Self>, b: UnsafeMutablePointer<Self>) -> Int32

    /// Solves A·X = B by LU with partial pivoting (`LAPACKE_?gesv`, row-major).
    static func gesv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Self>,
                     b: UnsafeMutablePointer<Self>) -> Int32
}

@inline(__always)
private func cblasTranspose(_ flag: Bool) -> CBLAS_TRANSPOSE {
    flag ? CblasTrans : CblasNoTrans
}

private let rowMajor = Int32(LAPACK_ROW_MAJOR)
private let lowerTriangle = CChar(UInt8(ascii: "L"))

/// Float through the single-precision BLAS and LAPACK routines (`s` prefix).
extension Float: BLASScalar {
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, cblasTranspose(transposeA), cblasTranspose(transposeB),
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                    beta, c, blasint(ldc))
    }

    public static func gemv(
        transpose: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(CblasRowMajor, cblasTranspose(transpose), blasint(m), blasint(n), alpha,
                    a, blasint(lda), x, 1, beta, y, 1)
    }

    public static func syrk(
        transpose: Bool, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_ssyrk(CblasRowMajor, CblasLower, cblasTranspose(transpose), blasint(n), blasint(k),
                    alpha, a, blasint(lda), beta, c, blasint(ldc))
    }

    public static func syevd(n: Int, a: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_ssyevd(rowMajor, CChar(UInt8(ascii: "V")), lowerTriangle, Int32(n), a, Int32(n), w)
    }

    public static func gesdd(m: Int, n: Int, a: UnsafeMutablePointer<Float>, s: UnsafeMutablePointer<Float>,
                             u: UnsafeMutablePointer<Float>, vt: UnsafeMutablePointer<Float>) -> Int32 {
        let k = Swift.min(m, n)
        return LAPACKE_sgesdd(rowMajor, CChar(UInt8(ascii: "S")), Int32(m), Int32(n), a,
                              Int32(n), s, u, Int32(k), vt, Int32(n))
    }

    public static func gelsd(m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>,
                             b: UnsafeMutablePointer<Float>, ldb: Int, s: UnsafeMutablePointer<Float>,
                             rcond: Float, rank: UnsafeMutablePointer<Int32>) -> Int32 {
        LAPACKE_sgelsd(rowMajor, Int32(m), Int32(n), Int32(nrhs), a, Int32(n),
                       b, Int32(ldb), s, rcond, rank)
    }

    public static func potrf(n: Int, a: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_spotrf(rowMajor, lowerTriangle, Int32(n), a, Int32(n))
    }

    public static func potrs(n: Int, nrhs: Int, l: UnsafePointer<Float>, b: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_spotrs(rowMajor, lowerTriangle, Int32(n), Int32(nrhs), l, Int32(n),
                       b, Int32(nrhs))
    }

    public static func gesv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>,
                            b: UnsafeMutablePointer<Float>) -> Int32 {
        var pivots = [Int32](repeating: 0, count: n)
        return LAPACKE_sgesv(rowMajor, Int32(n), Int32(nrhs), a, Int32(n), &pivots,
                             b, Int32(nrhs))
    }
}

/// Double through the double-precision BLAS and LAPACK routines (`d` prefix).
extension Double: BLASScalar {
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(CblasRowMajor, cblasTranspose(transposeA), cblasTranspose(transposeB),
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                    beta, c, blasint(ldc))
    }

    public static func gemv(
        transpose: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
    ) {
        cblas_dgemv(CblasRowMajor, cblasTranspose(transpose), blasint(m), blasint(n), alpha,
                    a, blasint(lda), x, 1, beta, y, 1)
    }

    public static func syrk(
        transpose: Bool, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dsyrk(CblasRowMajor, CblasLower, cblasTranspose(transpose), blasint(n), blasint(k),
                    alpha, a, blasint(lda), beta, c, blasint(ldc))
    }

    public static func syevd(n: Int, a: UnsafeMutablePointer<Double>, w: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dsyevd(rowMajor, CChar(UInt8(ascii: "V")), lowerTriangle, Int32(n), a, Int32(n), w)
    }

    public static func gesdd(m: Int, n: Int, a: UnsafeMutablePointer<Double>, s: UnsafeMutablePointer<Double>,
                             u: UnsafeMutablePointer<Double>, vt: UnsafeMutablePointer<Double>) -> Int32 {
        let k = Swift.min(m, n)
        return LAPACKE_dgesdd(rowMajor, CChar(UInt8(ascii: "S")), Int32(m), Int32(n), a,
                              Int32(n), s, u, Int32(k), vt, Int32(n))
    }

    public static func gelsd(m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>,
                             b: UnsafeMutablePointer<Double>, ldb: Int, s: UnsafeMutablePointer<Double>,
                             rcond: Double, rank: UnsafeMutablePointer<Int32>) -> Int32 {
        LAPACKE_dgelsd(rowMajor, Int32(m), Int32(n), Int32(nrhs), a, Int32(n),
                       b, Int32(ldb), s, rcond, rank)
    }

    public static func potrf(n: Int, a: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dpotrf(rowMajor, lowerTriangle, Int32(n), a, Int32(n))
    }

    public static func potrs(n: Int, nrhs: Int, l: UnsafePointer<Double>, b: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dpotrs(rowMajor, lowerTriangle, Int32(n), Int32(nrhs), l, Int32(n),
                       b, Int32(nrhs))
    }

    public static func gesv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>,
                            b: UnsafeMutablePointer<Double>) -> Int32 {
        var pivots = [Int32](repeating: 0, count: n)
        return LAPACKE_dgesv(rowMajor, Int32(n), Int32(nrhs), a, Int32(n), &pivots,
                             b, Int32(nrhs))
    }
}
