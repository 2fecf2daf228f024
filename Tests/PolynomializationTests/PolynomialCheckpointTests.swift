import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks
import Polynomials
import Testing
import TestSupport
import Training
@testable import Polynomialization

@Suite("The polynomial network as a checkpoint")
struct PolynomialCheckpointTests {
    /// A polynomial network with two replaced nonlinearities and a replaced LayerNorm.
    static func network() throws -> (network: PolynomialNetwork, inputs: Matrix<Float>) {
        var generator = SeededGenerator(seed: 71)
        let model = try Architecture(parsing: "dense(6,10) layernorm(10,eps=1e-06) gelu dense(10,8) relu dense(8,3)")
            .makeModel(as: Float.self, using: &generator)
        let inputs = gaussianInputs(rows: 80, columns: 6, seed: 72)
        let (ranges, variances) = try RangeProfile.measureAll(model, on: inputs)
        let fits = try ranges.map { try ActivationFit.fit($0, interval: IntervalRule(), degree: .degree(13)) }
        let inverse = try InverseSquareRoot(on: InverseSquareRoot.interval(for: variances[0], margin: 1.05), degree: 7, newtonSteps: 1)
        return (try PolynomialNetwork(replacingIn: model, with: fits, inverseSquareRoots: [1: inverse]), inputs)
    }

    /// Written as a checkpoint and read back with the polynomial layer kinds, the network
    /// computes exactly what the in-memory one does: its parameters are the Float values the
    /// layers hold and evaluate from, and the same code runs on them.
    @Test func reloadedNetworkGivesTheSameOutputs() throws {
        let (network, inputs) = try Self.network()
        let file = Checkpoint(model: network.model).safeTensors
        #expect(file.metadata[CheckpointMetadata.architecture]
                == "dense(6,10) polynomial-layernorm(10,deg=7,newton=1,eps=1e-06) chebyshev(deg=13) dense(10,8) chebyshev(deg=13) dense(8,3)")
        #expect(try file.shape(of: "2.coefficients") == [14] && file.shape(of: "2.interval") == [2])
        let reloaded = try Checkpoint<Float>(SafeTensors(decoding: file.encoded()), registry: .polynomialNetworks)
        var (original, copy) = (network.model, reloaded.model)
        let (expected, actual) = (original(inputs), copy(inputs))
        #expect(expected.rows == actual.rows && expected.columns == actual.columns)
        for (a, b) in zip(expected.elements, actual.elements) { #expect(a == b) }
        // The standard language does not know the polynomial layers.
        #expect(throws: CheckpointError.self) { try Checkpoint<Float>(SafeTensors(decoding: file.encoded())) }
    }

    /// A decreasing (or non-positive, for 1/√v) interval, a coefficient tensor of the wrong
    /// length or a degree beyond the limit is refused with one line naming it.
    @Test func corruptedPolynomialCheckpointsAreRefused() throws {
        let (network, _) = try Self.network()
        let good = Checkpoint(model: network.model).safeTensors
        func refusal(_ change: (inout SafeTensors) -> Void) -> String {
            var file = good
            change(&file)
            do {
                _ = try Checkpoint<Float>(SafeTensors(decoding: file.encoded()), registry: .polynomialNetworks)
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal { $0.insert([Float(3), 1], named: "2.interval", shape: [2]) }.contains("layer 2 (chebyshev(deg=13)): parameter 'interval' must be increasing"))
        #expect(refusal { $0.insert([Float(-1), 4], named: "1.interval", shape: [2]) }.contains("parameter 'interval' must be positive and increasing"))
        #expect(refusal { $0.insert([Float](repeating: 0, count: 9), named: "2.coefficients", shape: [9]) }
                    .contains("tensor '2.coefficients' has shape [9]"))
        #expect(refusal { $0.metadata[CheckpointMetadata.architecture] = "dense(6,10) chebyshev(deg=1000000000) dense(10,3)" }
                    .contains("'deg' must be at most 200"))
        #expect(refusal { _ in } == "")
    }

    /// Backward of the three layers against central differences in Double, for the input and every
    /// parameter (h = 1e-6: truncation h²·|f‴| and rounding ε·|f|/h below 1e-8 for O(1) values;
    /// tolerance 1e-6 relative).
    @Test func backwardMatchesCentralDifferences() throws {
        var generator = SeededGenerator(seed: 73)
        let inverse = try InverseSquareRoot(on: 0.05 ... 8, degree: 9, newtonSteps: 2)
        var norm = LayerNorm<Double>(width: 5)
        norm.weight = .randomNormal(rows: 1, columns: 5, using: &generator)
        let coefficients = (0 ... 6).map { _ in Double.random(in: -1 ... 1, using: &generator) }
        let layers: [any Layer<Double>] = [
            ChebyshevActivation<Double>(Polynomial(coefficients: coefficients, basis: .chebyshev(on: -2 ... 3))),
            PolynomialLayerNorm(norm, inverse: inverse),
            PolynomialGatedLinearUnit(GatedLinearUnit<Double>(inputWidth: 5, hiddenWidth: 4, outputWidth: 5, gate: nil, using: &generator),
                                      gate: ChebyshevActivation<Double>(Polynomial(coefficients: coefficients, basis: .chebyshev(on: -1 ... 2)))),
        ]
        let inputs = Matrix<Double>.randomNormal(rows: 4, columns: 5, using: &generator)
        let weights = Matrix<Double>.randomNormal(rows: 4, columns: 5, using: &generator)
        for base in layers {
            func loss(_ layer: any Layer<Double>, _ x: Matrix<Double>) -> Double {
                var copy = layer
                var y = Matrix<Double>(rows: 0, columns: 0)
                copy.forward(x, into: &y, training: false)
                return zip(y.elements, weights.elements).reduce(0) { $0 + $1.0 * $1.1 }
            }
            let layer = expectInputGradientMatchesCentralDifferences(base, inputs: inputs, weights: weights, loss: loss)
            let h = centralDifferenceStep
            let gradients = layer.parameterGradients
            for (parameterIndex, info) in layer.parameterInfo.enumerated() {
                for element in 0 ..< info.count {
                    let numeric = (loss(perturbed(base, parameterIndex, element, by: h), inputs)
                        - loss(perturbed(base, parameterIndex, element, by: -h), inputs)) / (2 * h)
                    let analytic = gradients[parameterIndex].value.elements[element]
                    #expect(abs(numeric - analytic) <= 1e-6 * max(1, abs(numeric)), "\(layer.specification) ∂\(info.name)[\(element)]")
                }
            }
        }
    }
}

@Suite("Minimax error curves")
struct MinimaxErrorCurveTests {
    /// GELU's error falls to rounding level well before degree 63; the curve then ends at the
    /// first degree Remez cannot fit, says why, and never rises (minimax errors are
    /// non-increasing in the degree) by more than rounding: 1e-12 absolute, a few hundred ulps
    /// of GELU's values on the interval (|f| ≤ 8), where the last fits' errors wander.
    @Test func curveEndsWhereRemezReachesRoundingLevel() throws {
        let model = try smallNetwork("gelu", seed: 74)
        let ranges = try RangeProfile.measure(model, on: gaussianInputs(rows: 100, columns: 6, seed: 75))
        let curve = try MinimaxErrorCurve(ranges[0], interval: IntervalRule(), degrees: 1 ... 63)
        #expect(curve.degrees.first == 1 && curve.degrees == Array(1 ... curve.degrees.count))
        #expect(curve.errors.count == curve.degrees.count)
        #expect(zip(curve.errors, curve.errors.dropFirst()).allSatisfy { $1 <= $0 + 1e-12 })
        if curve.degrees.count < 63 {
            #expect(curve.stopped?.hasPrefix("degree \(curve.degrees.count + 1): ") == true)
            #expect((curve.errors.last ?? 1) < 1e-9)
        }
        #expect(throws: PolynomializationError.self) { try MinimaxErrorCurve(ranges[0], interval: IntervalRule(), degrees: [0, 3]) }
    }
}

/// The step of the central differences in these tests (see the callers for the bound).
let centralDifferenceStep = 1e-6

/// Runs `base` forward and backward with upstream gradient `weights` and checks ∂x against
/// central differences of `loss` (the weighted sum of the outputs), within 1e-6 relative;
/// returns the layer after its backward pass, its parameter gradients accumulated.
func expectInputGradientMatchesCentralDifferences<L: Layer<Double>>(
    _ base: L, inputs: Matrix<Double>, weights: Matrix<Double>, loss: (L, Matrix<Double>) -> Double
) -> L {
    var layer = base
    var output = Matrix<Double>(rows: 0, columns: 0), gradient = Matrix<Double>(rows: 0, columns: 0)
    layer.forward(inputs, into: &output, training: true)
    layer.backward(weights, input: inputs, output: output, inputGradient: &gradient, needsInputGradient: true)
    let h = centralDifferenceStep
    for index in inputs.elements.indices {
        var (plus, minus) = (inputs, inputs)
        plus.elements[index] += h
        minus.elements[index] -= h
        let numeric = (loss(layer, plus) - loss(layer, minus)) / (2 * h)
        #expect(abs(numeric - gradient.elements[index]) <= 1e-6 * max(1, abs(numeric)), "\(layer.specification) ∂x[\(index)]")
    }
    return layer
}
