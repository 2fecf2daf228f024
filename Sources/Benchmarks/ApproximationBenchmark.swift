import Activations
import Polynomials

/// Fitting speed: Remez minimax and high-degree Chebyshev interpolation, and Gaussian Hermite
/// projections for a layer's worth of neurons. Each time has a baseline from the same run.
public enum ApproximationBenchmark {
    /// Runs the benchmark; times are medians in milliseconds.
    public static func run() throws -> [BenchmarkRecord] {
        var records = [BenchmarkRecord]()
        let gelu = Activation.gelu
        // Minimax degree 32 on [-8, 8] against Chebyshev interpolation of the same degree (the
        // cheapest fit of that degree: 33 evaluations and an O(n²) transform).
        var minimaxError = 0.0, iterations = 0.0
        let minimax = try Stopwatch.median(repetitions: 9) {
            let result = try Polynomial.minimax(of: gelu.value, degree: 32, on: -8 ... 8)
            minimaxError = result.maxError
            iterations = Double(result.iterations)
        }
        let interpolation32 = try Stopwatch.median(repetitions: 51) {
            _ = try Polynomial.chebyshevInterpolant(of: gelu.value, degree: 32, on: -8 ... 8)
        }
        records.append(BenchmarkRecord(benchmark: "approx_minimax_gelu_degree32",
                                       fields: ["ms": minimax * 1e3, "chebyshev_degree32_ms": interpolation32 * 1e3,
                                                "ratio_vs_chebyshev": minimax / interpolation32,
                                                "max_error_times_1e6": minimaxError * 1e6, "iterations": iterations],
                                       labels: ["interval": "[-8,8]"]))
        // Rational minimax of type (8, 8) on [-8, 8] against the polynomial minimax with the same
        // number of free coefficients (degree 16), fitted in the same run: time and error ratios.
        var rationalError = 0.0, rationalIterations = 0.0, polynomialError = 0.0
        let rational = try Stopwatch.median(repetitions: 5) {
            let result = try RationalFunction.minimax(of: gelu.value, numeratorDegree: 8, denominatorDegree: 8, on: -8 ... 8)
            rationalError = result.maxError
            rationalIterations = Double(result.iterations)
        }
        let polynomial16 = try Stopwatch.median(repetitions: 9) {
            polynomialError = try Polynomial.minimax(of: gelu.value, degree: 16, on: -8 ... 8).maxError
        }
        records.append(BenchmarkRecord(benchmark: "approx_rational_minimax_gelu_type8_8",
                                       fields: ["ms": rational * 1e3, "polynomial_minimax_degree16_ms": polynomial16 * 1e3,
                                                "time_ratio_vs_polynomial": rational / polynomial16,
                                                "max_error_times_1e6": rationalError * 1e6,
                                                "polynomial_max_error_times_1e6": polynomialError * 1e6,
                                                "error_ratio_polynomial_over_rational": polynomialError / rationalError,
                                                "iterations": rationalIterations],
                                       labels: ["interval": "[-8,8]"]))
        // Chebyshev interpolation degree 500 against evaluating gelu at its 501 nodes only.
        let interpolation500 = try Stopwatch.median(repetitions: 21) {
            _ = try Polynomial.chebyshevInterpolant(of: gelu.value, degree: 500, on: -8 ... 8)
        }
        let nodes = Polynomial.chebyshevPoints(count: 501, on: -8 ... 8)
        var sink = 0.0
        let evaluations = Stopwatch.median(repetitions: 51) { for x in nodes { sink += gelu(x) } }
        precondition(sink.isFinite, "GELU at the Chebyshev nodes is finite") // keeps the loop from being optimized away
        records.append(BenchmarkRecord(benchmark: "approx_chebyshev_gelu_degree500",
                                       fields: ["ms": interpolation500 * 1e3, "function_evaluations_ms": evaluations * 1e3,
                                                "ratio_vs_evaluations": interpolation500 / evaluations]))
        // Gaussian projections of 3072 neurons (degree 4): closed form (GELU) vs quadrature (sigmoid).
        let means = (0 ..< 3072).map { Double($0 % 13) * 0.3 - 2 }
        let deviations = (0 ..< 3072).map { 0.5 + Double($0 % 7) * 0.4 }
        _ = try Activation.sigmoid.probabilistsHermiteCoefficients(mean: 0, standardDeviation: 1, degree: 4) // builds the cached rules
        for activation in [Activation.gelu, .sigmoid] {
            let time = try Stopwatch.median(repetitions: 3) {
                for i in 0 ..< 3072 {
                    _ = try activation.probabilistsHermiteCoefficients(mean: means[i], standardDeviation: deviations[i], degree: 4)
                }
            }
            records.append(BenchmarkRecord(benchmark: "approx_hermite_projection_3072",
                                           fields: ["ms": time * 1e3], labels: ["activation": activation.name]))
        }
        // Union-of-intervals Remez: sign on [−1, −2⁻⁶] ∪ [2⁻⁶, 1] at degree 63 (odd terms on
        // [2⁻⁶, 1]), against the one-interval Remez of GELU at degree 63 from the same run.
        var unionError = 0.0, unionIterations = 0.0
        let union = try Stopwatch.median(repetitions: 9) {
            let result = try Polynomial.minimax(of: { $0 > 0 ? 1 : -1 }, degree: 63, on: [-1 ... -0x1p-6, 0x1p-6 ... 1])
            unionError = result.maxError
            unionIterations = Double(result.iterations)
        }
        let single63 = try Stopwatch.median(repetitions: 5) {
            _ = try Polynomial.minimax(of: gelu.value, degree: 63, on: -8 ... 8)
        }
        records.append(BenchmarkRecord(benchmark: "approx_union_minimax_sign_degree63",
                                       fields: ["ms": union * 1e3, "single_interval_gelu_degree63_ms": single63 * 1e3,
                                                "max_error": unionError, "iterations": unionIterations],
                                       labels: ["union": "[-1,-2^-6]U[2^-6,1]"]))
        // Composite sign search for (ε, α) = (2⁻¹³, 13): error table, dynamic programme, fits.
        var degrees = "", depth = 0.0, products = 0.0
        let composite = try Stopwatch.median(repetitions: 3) {
            let result = try CompositeSignApproximation.search(epsilon: 0x1p-13, alpha: 13)
            degrees = result.stages.map { String($0.degree) }.joined(separator: ",")
            depth = Double(result.depth)
            products = Double(result.multiplications)
        }
        records.append(BenchmarkRecord(benchmark: "approx_composite_sign_search",
                                       fields: ["ms": composite * 1e3, "depth": depth, "non_scalar_multiplications": products],
                                       labels: ["epsilon": "2^-13", "alpha": "13", "degrees": degrees]))
        return records
    }
}
