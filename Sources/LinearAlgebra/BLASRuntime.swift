import CBLAS

/// Process-wide OpenBLAS settings.
public enum BLASRuntime {
    /// Sets the number of threads OpenBLAS uses (the `--threads` option).
    ///
    /// On a 2-core machine shared with other work, one thread is the safe default: two-thread
    /// BLAS collapses when the other core is busy.
    public static func setThreadCount(_ count: Int) {
        precondition(count >= 1, "BLAS thread count must be at least 1, got \(count)")
        openblas_set_num_threads(Int32(count))
    }

    /// The number of threads OpenBLAS will use.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Runs one 384×384 `sgemm` so that later small products run at full speed.
    ///
    /// OpenBLAS 0.3.21 runs small `sgemm` calls (n ≈ 128–320) several times slower in a fresh
    /// process until one call with n ≥ 352 has run: that first large call is what first
    /// allocates and touches OpenBLAS's internal packing buffers, and small calls issued
    /// before it use a slower path. `polynet bench gemm` shows the effect. Call once at start;
    /// later calls return at once.
    public static func warmUp() { _ = warmedUp }

    private static let warmedUp: Bool = {
        let n = 384
        let a = Matrix<Float>(rows: n, columns: n, repeating: 1)
        _ = a.multiplied(by: a)
        return true
    }()
}
