import ArgumentParser
import Benchmarks

/// `polynet bench activations`: the seed-002 activations against GELU, and the fitted-GELU
/// initialization's time and error.
struct BenchActivationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activations",
        abstract: "Learnable Hermite/Fourier/tropical activations vs GELU (forward+backward ns per element), and the degree-8 fitted-GELU initialization (ms, max error on [-3,3]).")

    func run() throws {
        for record in try ActivationBenchmark.run() { print(record.jsonLine) }
    }
}
