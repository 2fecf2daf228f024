import Activations
import Datasets
import Foundation
import LinearAlgebra
import PolynomialConversion

/// Closed-form polynomial conversion: an MNIST-sized block under the data distribution, and a
/// GPT-2-sized block at degree 4 with exact Gaussian R² and peak memory.
public enum ConversionBenchmark {
    /// Runs both measurements. `mnistDirectory` supplies the data distribution and test set;
    /// without it, the MNIST record is skipped.
    public static func run(mnistDirectory: URL?, threads: Int) throws -> [BenchmarkRecord] {
        BLASRuntime.setThreadCount(threads)
        BLASRuntime.warmUp()
        // The GPT-2-sized block first, so that its peak memory is not masked by MNIST's.
        var records = [try gptBlock(threads: threads)]
        if let mnistDirectory { records.append(try mnistBlock(directory: mnistDirectory, threads: threads)) }
        return records
    }

    /// A random 784→256→10 ReLU block (PyTorch initialization) converted at degree 2 under the
    /// MNIST training distribution, with exact Gaussian R², explicit linear and quadratic terms,
    /// and R², accuracy and KL on the 10 000 test images. Fitting the distribution (mean and
    /// covariance of the 60 000 training images) and converting are each the median of 3 runs;
    /// `fit_and_convert_seconds` is their sum. Baseline: the block's forward pass over the same
    /// test set.
    static func mnistBlock(directory: URL, threads: Int) throws -> BenchmarkRecord {
        let training = try MNIST.load(.train, from: directory)
        let test = try MNIST.load(.test, from: directory)
        let block = try randomBlock(inputs: 784, hidden: 256, outputs: 10, activation: .relu, seed: 1)
        var distribution = GaussianDistribution.standard(784)
        let fitSeconds = try Stopwatch.median(repetitions: 3) {
            distribution = try GaussianDistribution(fitting: training.images)
        }
        var pooled = 0.0, dataPooled = 0.0
        let convertSeconds = try Stopwatch.median(repetitions: 3) {
            let approximant = try PolynomialApproximant(of: block, degree: 2, under: distribution)
            pooled = try approximant.gaussianVariance().pooledRSquared()
            _ = try approximant.explicitCoefficients(includingQuadratic: false)
            dataPooled = approximant.compare(on: test.images, labels: test.labels).pooledRSquared
        }
        let approximant = try PolynomialApproximant(of: block, degree: 2, under: distribution)
        let quadraticSeconds = try Stopwatch.time { _ = try approximant.explicitCoefficients() }
        let testImages = test.images.converted(to: Double.self)
        let forwardSeconds = Stopwatch.median(repetitions: 3) { _ = block(testImages) }
        return BenchmarkRecord(benchmark: "convert_mnist_degree2", fields: [
            "convert_with_r2_seconds": convertSeconds, "fit_data_distribution_seconds": fitSeconds,
            "fit_and_convert_seconds": fitSeconds + convertSeconds,
            "explicit_quadratic_seconds": quadraticSeconds, "forward_test_set_seconds": forwardSeconds,
            "convert_over_forward": convertSeconds / forwardSeconds, "gaussian_r2_pooled": pooled,
            "data_r2_pooled": dataPooled, "threads": Double(threads),
        ], labels: ["block": "784-256-10 relu (random)", "distribution": "mnist train, regularization \(distribution.regularization)"])
    }

    /// A random 768→3072→768 GELU block (GPT-2 sized): the factorized degree-4 approximant under
    /// N(0, I) and the exact per-degree Gaussian R² of every output. Baseline: the Gram matrix
    /// W₁W₁ᵀ alone (one n×d×n gemm), which any exact R² needs.
    static func gptBlock(threads: Int) throws -> BenchmarkRecord {
        let block = try randomBlock(inputs: 768, hidden: 3072, outputs: 768, activation: .gelu, seed: 2)
        let before = peakResidentMegabytes()
        var pooled = [Double](), bound = 0.0, truncation = 0
        let seconds = try Stopwatch.time {
            let approximant = try PolynomialApproximant(of: block, degree: 4, under: .standard(768))
            let variance = try approximant.gaussianVariance()
            pooled = (1 ... 4).map { variance.pooledRSquared(degree: $0) }
            bound = zip(variance.totalErrorBound, variance.total).map { $0 / $1 }.max() ?? 0
            truncation = variance.truncation
        }
        let peak = peakResidentMegabytes()
        let gramSeconds = Stopwatch.time { _ = block.inputWeight.multiplied(by: block.inputWeight, transposingOther: true) }
        return BenchmarkRecord(benchmark: "convert_gpt2_block_degree4", fields: [
            "convert_with_exact_r2_seconds": seconds, "gram_gemm_seconds": gramSeconds,
            "convert_over_gram": seconds / gramSeconds, "peak_rss_mb": peak, "peak_rss_before_mb": before,
            "r2_pooled_degree1": pooled[0], "r2_pooled_degree2": pooled[1], "r2_pooled_degree3": pooled[2],
            "r2_pooled_degree4": pooled[3], "variance_relative_error_bound": bound,
            "truncation": Double(truncation), "threads": Double(threads),
        ], labels: ["block": "768-3072-768 gelu (random, PyTorch init)", "distribution": "standard"])
    }

    /// A block initialized like PyTorch's nn.Linear (uniform on ±1/√fan-in).
    static func randomBlock(inputs: Int, hidden: Int, outputs: Int, activation: Activation, seed: UInt64) throws -> FeedforwardBlock {
        var generator = SeededGenerator(seed: seed)
        func uniform(_ rows: Int, _ columns: Int, fanIn: Int) -> Matrix<Double> {
            let bound = 1 / Double(fanIn).squareRoot()
            return .randomUniform(rows: rows, columns: columns, in: -bound ... bound, using: &generator)
        }
        return try FeedforwardBlock(inputWeight: uniform(hidden, inputs, fanIn: inputs),
                                    inputBias: uniform(1, hidden, fanIn: inputs).row(0), activation: activation,
                                    outputWeight: uniform(outputs, hidden, fanIn: hidden),
                                    outputBias: uniform(1, outputs, fanIn: hidden).row(0))
    }

    /// The process's peak resident set size so far (getrusage; Linux reports kilobytes).
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
