import Activations
import LinearAlgebra
import NeuralNetworks

/// The seed-002 learnable activations against the fixed GELU in the same run (forward plus
/// backward, ns per element on a Float batch), and the fitted-GELU initialization of a
/// degree-8 Hermite activation (time and error on [−3, 3]).
public enum ActivationBenchmark {
    /// Runs the benchmark on a `rows` × `columns` batch.
    public static func run(rows: Int = 256, columns: Int = 128) throws -> [BenchmarkRecord] {
        var generator = SeededGenerator(seed: 0)
        let input = Matrix<Float>.randomNormal(rows: rows, columns: columns, using: &generator)
        let gradient = Matrix<Float>.randomNormal(rows: rows, columns: columns, using: &generator)
        let layers: [any Layer<Float>] = [
            ActivationLayer<Float>(.gelu), ActivationLayer<Float>(.relu),
            HermiteActivation<Float>(degree: 3), HermiteActivation<Float>(degree: 8),
            HermiteActivation<Float>(degree: 3, sharing: .perChannel(columns)),
            FourierActivation<Float>(degree: 5), FourierActivation<Float>(degree: 5, learnableFrequencies: true),
            TropicalActivation<Float>(degree: 5), TropicalRationalActivation<Float>(degree: 5),
        ]
        let times = layers.map { nanosecondsPerElement($0, input: input, gradient: gradient) }
        var records = zip(layers, times).map { layer, time in
            BenchmarkRecord(benchmark: "activation_forward_backward",
                            fields: ["ns_per_element": time, "over_gelu_time": time / times[0],
                                     "elements": Double(rows * columns)],
                            labels: ["layer": layer.specification])
        }
        records.append(try fittedGELU())
        return records
    }

    /// Median forward + backward time per element.
    private static func nanosecondsPerElement(_ layer: any Layer<Float>, input: Matrix<Float>,
                                              gradient: Matrix<Float>) -> Double {
        var layer = layer
        var (output, inputGradient) = (Matrix<Float>(rows: 0, columns: 0), Matrix<Float>(rows: 0, columns: 0))
        let step = {
            layer.forward(input, into: &output, training: true)
            layer.backward(gradient, input: input, output: output, inputGradient: &inputGradient, needsInputGradient: true)
        }
        let estimate = Stopwatch.time(step)
        let seconds = Stopwatch.median(repetitions: 7) {
            for _ in 0 ..< Stopwatch.repetitions(estimate: estimate, budget: 0.05) { step() }
        } / Double(Stopwatch.repetitions(estimate: estimate, budget: 0.05))
        return seconds / Double(input.elements.count) * 1e9
    }

    /// The degree-8 fit of GELU on values and derivatives (72 points on [−3, 3]): median time
    /// over 21 fits, and max |F − GELU|, |F′ − GELU′| on 6001 points of [−3, 3].
    private static func fittedGELU() throws -> BenchmarkRecord {
        var coefficients = [Double]()
        let seconds = try Stopwatch.median(repetitions: 21) {
            coefficients = try HermiteInitialization.fitting(.gelu).coefficients(degree: 8)
        }
        var layer = HermiteActivation<Double>(coefficients: Matrix([coefficients]))
        let x = (0 ... 6000).map { -3 + Double($0) / 1000 }
        let input = Matrix(rows: x.count, columns: 1, elements: x)
        var (output, derivative) = (Matrix<Double>(rows: 0, columns: 0), Matrix<Double>(rows: 0, columns: 0))
        layer.forward(input, into: &output, training: true)
        layer.backward(Matrix(rows: x.count, columns: 1, repeating: 1), input: input, output: output,
                       inputGradient: &derivative, needsInputGradient: true)
        let valueError = x.indices.map { abs(output.elements[$0] - Activation.gelu.value(x[$0])) }.max()!
        let slopeError = x.indices.map { abs(derivative.elements[$0] - Activation.gelu.derivative(x[$0])) }.max()!
        let oddAboveOne = stride(from: 3, to: coefficients.count, by: 2).map { abs(coefficients[$0]) }.max()!
        return BenchmarkRecord(benchmark: "hermite_fit_gelu",
                               fields: ["degree": 8, "milliseconds": seconds * 1e3,
                                        "max_value_error_on_-3_3": valueError,
                                        "max_derivative_error_on_-3_3": slopeError,
                                        "c1": coefficients[1], "max_abs_odd_coefficient_above_1": oddAboveOne])
    }
}
