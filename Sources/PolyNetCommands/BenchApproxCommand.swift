import ArgumentParser
import Benchmarks

/// `polynet bench approx`: Remez (polynomial and rational), Chebyshev interpolation and Hermite projection speed.
struct BenchApproxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approx",
        abstract: "Minimax degree 32 and rational minimax type (8, 8) (GELU on [-8, 8]), Chebyshev interpolation degree 500, 3072 Gaussian projections, union-of-intervals Remez degree 63 and the composite sign search for (2^-13, 13).")

    func run() throws {
        for record in try ApproximationBenchmark.run() { print(record.jsonLine) }
    }
}
