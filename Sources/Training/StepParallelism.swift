/// How a training step uses the threads it may use: the batch split across worker threads,
/// each with single-threaded BLAS, or the whole batch in one pass with multithreaded BLAS.
///
/// `Trainer` asks ``suited(threads:batchSize:stepFlops:)`` unless told otherwise
/// (``Trainer/parallelism``); the thread count is OpenBLAS's as set (`polynet train --threads`).
/// Results depend on the worker count only through the order of sums over rows (see
/// ``batchSplit(workers:)``); nothing in training is random within a step, so a seed gives the
/// same run for the same worker count.
public enum StepParallelism: Equatable, Sendable, CustomStringConvertible {
    /// The batch cut into `workers` contiguous slices of rows, one per thread, each running the
    /// forward and backward passes with single-threaded BLAS; the slices' parameter gradients
    /// are then added in worker order and the optimizer steps once. Every layer treats rows
    /// independently (the `Layer` contract), so this changes only the order in which each
    /// gradient's sum over the batch is rounded.
    case batchSplit(workers: Int)
    /// The whole batch in one pass whose products use `threads` OpenBLAS threads.
    case blas(threads: Int)

    /// The fewest rows per worker for which splitting the batch pays, measured on an AMD EPYC
    /// (Zen 4, 2 cores): see ``suited(threads:batchSize:stepFlops:)``.
    public static let minimumRowsPerWorker = 32

    /// Work per step, in floating-point operations, below which a second OpenBLAS thread costs
    /// more in hand-off than it saves: measured on 2 cores, a training step of batch 64 on
    /// seed001-poly (about 2·64·parameters flops) ran 4× slower with 2 threads.
    public static let multithreadedBLASMinimumFlops = 32e6

    /// The parallelism for a step of `batchSize` rows costing about `stepFlops` when `threads`
    /// threads may be used.
    ///
    /// The rule: split the batch across `min(threads, batchSize / minimumRowsPerWorker)`
    /// workers when that is at least 2; otherwise one pass, with `threads` OpenBLAS threads
    /// when the step costs at least ``multithreadedBLASMinimumFlops`` and one thread below.
    ///
    /// Measured with `polynet bench train --threads 1 2 --parallelism batch-split|blas --epochs 2`
    /// on an AMD EPYC (Zen 4, 2 cores shared with other builds, load average 5–9: medians of
    /// 3 interleaved runs, thousands of samples per second, 1 thread / 2 split / 2 BLAS):
    ///
    /// | batch | seed001-poly      | 784→128→128→10 ReLU |
    /// |-------|-------------------|---------------------|
    /// | 32    | 72 / 59 / 57      | 59 / 48 / 44        |
    /// | 64    | 111 / 122 / 85    | 62 / 56 / 53        |
    /// | 128   | 136 / 142 / 56    | 73 / 64 / 69        |
    /// | 256   | 115 / 118 / 86    | 76 / 73 / 72        |
    /// | 512   | 111 / 204 / 106   | 78 / 88 / 50        |
    ///
    /// Re-measured idle with the spinning worker threads (`WorkerThreads`) and the C kernels,
    /// `polynet bench train --epochs 1`, medians of 3 runs, 1 thread / 2 split: seed001-poly
    /// 213 / 280 (batch 64), 238 / 350 (128), 249 / 382 (256), 229 / 459 (512); the ReLU MLP
    /// 134 / 189, 150 / 250, 161 / 275, 159 / 284. The split now wins from batch 64 on.
    ///
    /// From 32 rows per worker on, the split beats OpenBLAS's threading in 7 of the 8 cells
    /// (seed001-poly by up to 2.5×: two-thread BLAS collapses on a busy machine; the ReLU MLP at
    /// batch 128 is 64 against 69, within these runs' spread), and at 16 rows per worker one
    /// thread beats both. In CPU time (`perf stat`, seed001-poly) two workers cost
    /// 1.12× (batch 256) and 1.22× (batch 512) one thread's per sample, the price of two
    /// slices' products and feature expansions sharing the caches; so on two idle cores the
    /// split is worth at most 1.8× and 1.6×, and on a busy machine far less, since every step
    /// waits for its slower worker.
    public static func suited(threads: Int, batchSize: Int, stepFlops: Double) -> StepParallelism {
        precondition(threads >= 1 && batchSize >= 1, "\(threads) threads for a batch of \(batchSize)")
        let workers = Swift.min(threads, batchSize / minimumRowsPerWorker)
        if workers >= 2 { return .batchSplit(workers: workers) }
        return .blas(threads: stepFlops >= multithreadedBLASMinimumFlops ? threads : 1)
    }

    /// The number of worker threads that run the passes (1 for ``blas(threads:)``).
    public var workers: Int {
        switch self {
        case let .batchSplit(workers): workers
        case .blas: 1
        }
    }

    /// The OpenBLAS thread count the step runs with (1 for ``batchSplit(workers:)``).
    public var blasThreads: Int {
        switch self {
        case .batchSplit: 1
        case let .blas(threads): threads
        }
    }

    public var description: String {
        switch self {
        case let .batchSplit(workers): "batch split across \(workers) workers"
        case let .blas(threads): "\(threads) BLAS thread\(threads == 1 ? "" : "s")"
        }
    }
}
