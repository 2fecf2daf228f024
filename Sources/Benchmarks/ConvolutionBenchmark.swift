import LinearAlgebra
import NeuralNetworks

/// ``Conv2D`` by both ``ConvolutionScheme``s on the same shapes, in the same run: forward,
/// backward without the input gradient (a first layer, as in training) and with it, in µs per
/// batch and GFLOP/s, next to a 1024³ `sgemm`'s GFLOP/s (the machine's BLAS peak on one
/// thread) measured alongside.
///
/// The measurement behind ``ConvolutionScheme/preferred(for:outputChannels:)``.
public enum ConvolutionBenchmark {
    /// The layers measured: cryptonets' convolution, then more output and input channels.
    public static let layers = [
        "conv2d(1,5,k=5,stride=2,pad=1,size=28)", "conv2d(1,8,k=5,stride=2,pad=1,size=28)",
        "conv2d(1,16,k=5,stride=2,pad=1,size=28)", "conv2d(1,32,k=5,stride=1,pad=2,size=28)",
        "conv2d(3,8,k=3,pad=1,size=32)", "conv2d(8,16,k=3,pad=1,size=14)", "conv2d(16,32,k=3,pad=1,size=14)",
    ]

    /// One record per layer and scheme, then per layer the phase-plane time over the patch-matrix
    /// time of each pass, and the `sgemm` peak. Layers that are not a `conv2d` are skipped.
    ///
    /// - Throws: `ArchitectureError` for a layer that does not parse, `ModelError` when the
    ///   batch's buffers are over ``NeuralNetworks/ArchitectureLimits/standard``.
    public static func run(layers: [String] = layers, batchSize: Int, threads: Int) throws -> [BenchmarkRecord] {
        BLASRuntime.setThreadCount(threads)
        BLASRuntime.warmUp()
        var records = [BenchmarkRecord]()
        for text in layers {
            var generator = SeededGenerator(seed: 1)
            let model: Sequential<Float> = try Architecture(parsing: text).makeModel(using: &generator)
            guard let template = model.layers.first as? Conv2D<Float> else { continue }
            // The batch's input, output and patch matrix within the standard activation limit.
            try model.checkBuffers(rows: batchSize, inputWidth: template.geometry.input.count, within: .standard)
            let input = Matrix<Float>.randomUniform(rows: batchSize, columns: template.geometry.input.count, in: 0 ... 1,
                                                    using: &generator)
            let gradient = Matrix<Float>.randomNormal(rows: batchSize, columns: template.outputShape.count, using: &generator)
            // forward, backward (weights), backward (weights and input) per scheme, interleaved.
            var times = [ConvolutionScheme: [[Double]]]()
            var layers = Dictionary(uniqueKeysWithValues: ConvolutionScheme.allCases.map { scheme in
                (scheme, Conv2D(geometry: template.geometry, weight: template.weight, bias: template.bias, scheme: scheme))
            })
            let flops = 2 * Double(batchSize) * Double(template.geometry.positions) * Double(template.geometry.patchWidth)
                * Double(template.outputChannels)
            let repetitions = Stopwatch.repetitions(estimate: flops / 20e9, budget: 0.05)
            for _ in 0 ..< 5 {
                for scheme in ConvolutionScheme.allCases {
                    guard var layer = layers[scheme] else { continue }
                    var (output, inputGradient) = (Matrix<Float>(rows: 0, columns: 0), Matrix<Float>(rows: 0, columns: 0))
                    let forward = Stopwatch.median(repetitions: repetitions) { layer.forward(input, into: &output, training: true) }
                    let weights = Stopwatch.median(repetitions: repetitions) {
                        layer.backward(gradient, input: input, output: output, inputGradient: &inputGradient, needsInputGradient: false)
                    }
                    let both = Stopwatch.median(repetitions: repetitions) {
                        layer.backward(gradient, input: input, output: output, inputGradient: &inputGradient, needsInputGradient: true)
                    }
                    times[scheme, default: []].append([forward, weights, both])
                    layers[scheme] = layer
                }
            }
            var medians = [ConvolutionScheme: [Double]]()
            for (scheme, runs) in times {
                let median = (0 ..< 3).map { pass in runs.map { $0[pass] }.sorted()[runs.count / 2] }
                medians[scheme] = median
                records.append(BenchmarkRecord(
                    benchmark: "conv", fields: [
                        "batch_size": Double(batchSize), "threads": Double(threads), "mflop_per_pass": flops / 1e6,
                        "forward_us": median[0] * 1e6, "backward_weights_us": median[1] * 1e6,
                        "backward_weights_and_input_us": median[2] * 1e6,
                        "forward_gflops": flops / median[0] / 1e9, "backward_weights_gflops": flops / median[1] / 1e9,
                        "backward_weights_and_input_gflops": 2 * flops / median[2] / 1e9,
                    ], labels: ["layer": text, "scheme": "\(scheme)", "preferred": "\(ConvolutionScheme.preferred(for: template.geometry, outputChannels: template.outputChannels))"]))
            }
            if let planes = medians[.phasePlanes], let patches = medians[.patchMatrix] {
                records.append(BenchmarkRecord(
                    benchmark: "conv_ratio", fields: [
                        "output_channels": Double(template.outputChannels),
                        "forward_planes_over_patches": planes[0] / patches[0],
                        "backward_weights_planes_over_patches": planes[1] / patches[1],
                        "backward_weights_and_input_planes_over_patches": planes[2] / patches[2],
                    ], labels: ["layer": text]))
            }
        }
        records.append(BenchmarkRecord(benchmark: "sgemm_peak", fields: ["m": 1024, "k": 1024, "n": 1024,
                                                                        "gflops": peakGFLOPs(), "threads": Double(threads)]))
        return records
    }

    /// GFLOP/s of a 1024 × 1024 × 1024 `Matrix.setProduct` (median of 5).
    public static func peakGFLOPs() -> Double {
        var generator = SeededGenerator(seed: 2)
        let a = Matrix<Float>.randomNormal(rows: 1024, columns: 1024, using: &generator)
        var c = Matrix<Float>(rows: 1024, columns: 1024)
        let seconds = Stopwatch.median(repetitions: 5) { c.setProduct(a, a) }
        return 2 * 1024 * 1024 * 1024 / seconds / 1e9
    }
}
