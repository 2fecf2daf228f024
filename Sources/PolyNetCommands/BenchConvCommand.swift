import ArgumentParser
import Benchmarks
import NeuralNetworks

/// `polynet bench conv`: the two convolution schemes on the same layers, in one run.
struct BenchConvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conv",
        abstract: "conv2d forward and backward by patch matrix (im2col + GEMM) and by phase planes (direct SIMD), µs and GFLOP/s, next to a 1024³ sgemm.")

    @OptionGroup var blas: BLASThreadsOption

    @Option(parsing: .upToNextOption, help: "conv2d layers, one per argument (default: cryptonets' and six more).")
    var layers: [String] = ConvolutionBenchmark.layers

    @Option(help: "Images per batch.")
    var batchSize = 64

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be positive") }
        for text in layers {
            let architecture = try Architecture(parsing: text)
            guard architecture.items.map(\.name) == ["conv2d"] else {
                throw ValidationError("--layers takes single conv2d layers, e.g. conv2d(1,5,k=5,stride=2,pad=1,size=28); got '\(text)'")
            }
        }
    }

    func run() throws {
        for record in try ConvolutionBenchmark.run(layers: layers, batchSize: batchSize, threads: blas.threads) {
            print(record.jsonLine)
        }
    }
}
