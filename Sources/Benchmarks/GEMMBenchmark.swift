import CBLAS
import LinearAlgebra

/// Our `Matrix.setProduct` against a raw `cblas_sgemm` call on the same buffers, in the same
/// run, plus the cold-start effect of OpenBLAS 0.3.21 on small products.
public enum GEMMBenchmark {
    /// The shapes (m, k, n) measured: squares and the batch shape of a 784→256 layer.
    public static let shapes = [(64, 64, 64), (256, 256, 256), (1024, 1024, 1024), (128, 784, 256)]

    /// Runs the benchmark and returns one record per measurement.
    ///
    /// The first records time small products before any product of n ≥ 352 has run in this
    /// process ("cold") and again after `BLASRuntime.warmUp()` ("warm"); call this first in
    /// a fresh process for the cold figures to mean anything.
    public static func run(threads: Int) -> [BenchmarkRecord] {
        BLASRuntime.setThreadCount(threads)
        var records = [BenchmarkRecord]()
        let coldShapes = [(128, 128, 128), (64, 784, 256)]
        var cold = [Double]()
        for (m, k, n) in coldShapes { cold.append(rawGFLOPS(m: m, k: k, n: n, seconds: 0.3)) }
        BLASRuntime.warmUp()
        for ((m, k, n), coldRate) in zip(coldShapes, cold) {
            let warmRate = rawGFLOPS(m: m, k: k, n: n, seconds: 0.3)
            records.append(BenchmarkRecord(
                benchmark: "sgemm_warmup", fields: ["m": Double(m), "k": Double(k), "n": Double(n),
                                                    "cold_gflops": coldRate, "warm_gflops": warmRate,
                                                    "warm_over_cold": warmRate / coldRate, "threads": Double(threads)]))
        }
        for (m, k, n) in shapes {
            var generator = SeededGenerator(seed: 1)
            let a = Matrix<Float>.randomNormal(rows: m, columns: k, using: &generator)
            let b = Matrix<Float>.randomNormal(rows: k, columns: n, using: &generator)
            var ours = Matrix<Float>(rows: m, columns: n)
            var raw = Matrix<Float>(rows: m, columns: n)
            let flops = 2.0 * Double(m * n * k)
            let repetitions = Stopwatch.repetitions(estimate: flops / 30e9, budget: 0.4)
            // Interleave the two so that machine load hits both alike; take medians.
            var oursTimes = [Double](), rawTimes = [Double]()
            for _ in 0 ..< 5 {
                oursTimes.append(Stopwatch.median(repetitions: repetitions) { ours.setProduct(a, b) })
                rawTimes.append(Stopwatch.median(repetitions: repetitions) { rawSGEMM(a, b, into: &raw) })
            }
            let oursRate = flops / oursTimes.sorted()[2] / 1e9
            let rawRate = flops / rawTimes.sorted()[2] / 1e9
            records.append(BenchmarkRecord(
                benchmark: "gemm", fields: ["m": Double(m), "k": Double(k), "n": Double(n),
                                            "ours_gflops": oursRate, "raw_cblas_gflops": rawRate,
                                            "ours_over_raw": oursRate / rawRate, "threads": Double(threads)]))
        }
        return records
    }

    /// One product C = op(A)·op(B) of a training step: C is m × n and the inner size is k.
    public struct StepProduct: Sendable {
        /// What the product computes, e.g. `conv2d forward`.
        public var name: String
        public var m: Int, k: Int, n: Int
        /// Whether A is stored k × m (and B n × k), as the layer passes it.
        public var transposeA: Bool, transposeB: Bool
    }

    /// The products of one `cryptonets` training step at batch 64 (the first layer computes no
    /// input gradient): the convolution's product W · patches over 64·13·13 = 10 816 positions
    /// and its weight gradient as ``NeuralNetworks/ConvolutionScheme/patchMatrix`` issues them
    /// (cryptonets' five channels now take ``NeuralNetworks/ConvolutionScheme/phasePlanes``,
    /// which issues no product: these two are the BLAS reference for its passes, see
    /// `polynet bench conv`), then both dense layers' forward, weight-gradient and
    /// input-gradient products.
    public static let cryptonetsStep: [StepProduct] = [
        StepProduct(name: "conv2d forward", m: 5, k: 25, n: 10_816, transposeA: false, transposeB: false),
        StepProduct(name: "conv2d weight gradient", m: 5, k: 10_816, n: 25, transposeA: false, transposeB: true),
        StepProduct(name: "dense(845,100) forward", m: 64, k: 845, n: 100, transposeA: false, transposeB: true),
        StepProduct(name: "dense(845,100) weight gradient", m: 100, k: 64, n: 845, transposeA: true, transposeB: false),
        StepProduct(name: "dense(845,100) input gradient", m: 64, k: 100, n: 845, transposeA: false, transposeB: false),
        StepProduct(name: "dense(100,10) forward", m: 64, k: 100, n: 10, transposeA: false, transposeB: true),
        StepProduct(name: "dense(100,10) weight gradient", m: 10, k: 64, n: 100, transposeA: true, transposeB: false),
        StepProduct(name: "dense(100,10) input gradient", m: 64, k: 10, n: 100, transposeA: false, transposeB: false),
    ]

    /// Times each product of `products` through `Matrix.setProduct` (median of 5 medians, as
    /// `run` does) and returns one record per product plus a `step_gemm_total` record: the
    /// summed seconds per step and the GFLOP/s they achieve together. Dividing the total by a
    /// measured step time gives the step's share of time in sgemm.
    public static func runStep(_ products: [StepProduct], threads: Int) -> [BenchmarkRecord] {
        BLASRuntime.setThreadCount(threads)
        BLASRuntime.warmUp()
        var records = [BenchmarkRecord]()
        var (totalSeconds, totalFlops) = (0.0, 0.0)
        for product in products {
            var generator = SeededGenerator(seed: 1)
            let (m, k, n) = (product.m, product.k, product.n)
            let a = product.transposeA ? Matrix<Float>.randomNormal(rows: k, columns: m, using: &generator)
                : Matrix<Float>.randomNormal(rows: m, columns: k, using: &generator)
            let b = product.transposeB ? Matrix<Float>.randomNormal(rows: n, columns: k, using: &generator)
                : Matrix<Float>.randomNormal(rows: k, columns: n, using: &generator)
            var c = Matrix<Float>(rows: m, columns: n)
            let flops = 2.0 * Double(m * n * k)
            let repetitions = Stopwatch.repetitions(estimate: flops / 30e9, budget: 0.2)
            let times = (0 ..< 5).map { _ in
                Stopwatch.median(repetitions: repetitions) {
                    c.setProduct(a, b, transposingA: product.transposeA, transposingB: product.transposeB)
                }
            }
            let seconds = times.sorted()[2]
            (totalSeconds, totalFlops) = (totalSeconds + seconds, totalFlops + flops)
            records.append(BenchmarkRecord(
                benchmark: "step_gemm", fields: ["m": Double(m), "k": Double(k), "n": Double(n),
                                                 "transpose_a": product.transposeA ? 1 : 0, "transpose_b": product.transposeB ? 1 : 0,
                                                 "microseconds": seconds * 1e6, "gflops": flops / seconds / 1e9,
                                                 "threads": Double(threads)],
                labels: ["product": product.name]))
        }
        records.append(BenchmarkRecord(
            benchmark: "step_gemm_total", fields: ["microseconds": totalSeconds * 1e6, "gflops": totalFlops / totalSeconds / 1e9,
                                                   "mflop": totalFlops / 1e6, "threads": Double(threads)]))
        return records
    }

    private static func rawSGEMM(_ a: Matrix<Float>, _ b: Matrix<Float>, into c: inout Matrix<Float>) {
        let (m, k, n) = (a.rows, a.columns, b.columns)
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(m), blasint(n), blasint(k),
                                1, pa.baseAddress, blasint(k), pb.baseAddress, blasint(n), 0, pc.baseAddress, blasint(n))
                }
            }
        }
    }

    private static func rawGFLOPS(m: Int, k: Int, n: Int, seconds: Double) -> Double {
        let a = Matrix<Float>(rows: m, columns: k, repeating: 0.5)
        let b = Matrix<Float>(rows: k, columns: n, repeating: 0.25)
        var c = Matrix<Float>(rows: m, columns: n)
        let flops = 2.0 * Double(m * n * k)
        let time = Stopwatch.median(repetitions: Stopwatch.repetitions(estimate: flops / 10e9, budget: seconds)) {
            rawSGEMM(a, b, into: &c)
        }
        return flops / time / 1e9
    }
}
