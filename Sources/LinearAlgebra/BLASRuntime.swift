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

    /// Runs `body` with OpenBLAS set to `count` threads, restoring the count afterwards.
    ///
    /// ```swift
    /// try BLASRuntime.withThreadCount(1) { try trainEpochs() }
    /// ```
    public static func withThreadCount<Result>(_ count: Int, _ body: () throws -> Result) rethrows -> Result {
        let requested = threadCount
        setThreadCount(count)
        defer { setThreadCount(requested) }
        return try body()
    }

    /// Runs one 384×384 `sgemm` (about 2 ms) so that later small products run at full speed.
    ///
    /// OpenBLAS 0.3.21 was seen on one machine of this project's kind to run small `sgemm`
    /// calls (n ≈ 128–320) at a fraction of their speed in a fresh process until one call with
    /// n ≥ 352 had run. `polynet bench gemm` measures small products before and after this
    /// warm-up in the same process (`sgemm_warmup` records), so each machine shows whether it
    /// is affected; the warm-up is cheap enough to keep either way. Call it once at start;
    /// later calls return at once.
    public static func warmUp() { _ = warmedUp }

    private static let warmedUp: Bool = {
        let n = 384
        let a = Matrix<Float>(rows: n, columns: n, repeating: 1)
        _ = a.multiplied(by: a)
        return true
    }()
}
