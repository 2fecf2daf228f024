import ArgumentParser
import Benchmarks

/// `polynet bench gemm`: our product against raw `cblas_sgemm`, in one run.
struct BenchGEMMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "Matrix product vs raw cblas_sgemm (GFLOP/s and ratio), and the OpenBLAS warm-up effect.")

    @OptionGroup var blas: BLASThreadsOption

    @Flag(help: "Time the products of one cryptonets training step at batch 64 instead (the conv2d im2col product and its weight gradient as the patch-matrix scheme issues them, the dense layers), each and in total.")
    var cryptonetsStep = false

    func run() {
        let records = cryptonetsStep ? GEMMBenchmark.runStep(GEMMBenchmark.cryptonetsStep, threads: blas.threads)
            : GEMMBenchmark.run(threads: blas.threads)
        for record in records { print(record.jsonLine) }
    }
}

/// `polynet bench elementwise`: `Matrix.apply` against a raw pointer loop.
struct BenchElementwiseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "elementwise",
        abstract: "A cubic per element over 10M Floats: Matrix.apply vs a raw loop (ns per element).")

    func run() {
        for record in ElementwiseBenchmark.run() { print(record.jsonLine) }
    }
}
