import Datasets
import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks
import Polynomials
import Testing
import Training
@testable import Polynomialization

@Suite("Gated linear units in polynomial networks")
struct PolynomialGatedLinearUnitTests {
    static let architecture = "glu(6,10,8,act=silu) bilinear(8,6,3)"

    static func model() throws -> Sequential<Float> {
        var generator = SeededGenerator(seed: 81)
        return try Architecture(parsing: architecture).makeModel(as: Float.self, using: &generator)
    }

    /// The profile records the gate's inputs W_gate·x + b (the same Float products, so the
    /// extremes are equal), the bilinear unit is kept, and the depth follows the rule: three
    /// levels per unit plus the gate polynomial's.
    @Test func gateIsProfiledAndReplaced() throws {
        let model = try Self.model()
        let inputs = gaussianInputs(rows: 120, columns: 6, seed: 82)
        let ranges = try RangeProfile.measure(model, on: inputs)
        #expect(ranges.count == 1 && ranges[0].layerIndex == 0 && ranges[0].function == .silu)
        let unit = try #require(model.layers[0] as? GatedLinearUnit<Float>)
        var projection = unit.gateProjection
        var gate = Matrix<Float>(rows: 0, columns: 0)
        projection.forward(inputs, into: &gate, training: false)
        #expect(ranges[0].distribution.minimum == Double(gate.elements.min()!))
        #expect(ranges[0].distribution.maximum == Double(gate.elements.max()!))
        #expect(ranges[0].distribution.count == 120 * 10)
        let fit = try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(9))
        let network = try PolynomialNetwork(replacingIn: model, with: [fit])
        #expect(network.layerDepths == [3 + fit.cost.depth, 3])
        #expect(network.model.specification == "polynomial-glu(6,10,8,deg=9) bilinear(8,6,3)")
        // Inside the interval the outputs move by at most ‖W_down‖∞·max|value|·E per unit of
        // the next layer's input; here just check that the replacement is close (E ~ 1e-4).
        var (original, replaced) = (model, network.model)
        let (expected, actual) = (original(inputs), replaced(inputs))
        let scale = expected.elements.reduce(0) { max($0, abs($1)) }
        #expect(zip(expected.elements, actual.elements).allSatisfy { abs($0 - $1) <= 1e-2 * scale })
    }

    /// The export runs on the add/multiply-only evaluator with the reported depth and gives the
    /// polynomial network's outputs computed in Double (sums of ≤ 10 products and the same
    /// polynomial by Paterson–Stockmeyer against Clenshaw: 1e-9 of the outputs' size); the
    /// checkpoint reloads with the polynomial layer kinds and computes the same outputs.
    @Test func exportRunsWithAdditionsAndMultiplicationsOnly() throws {
        let model = try Self.model()
        let inputs = gaussianInputs(rows: 50, columns: 6, seed: 83)
        let ranges = try RangeProfile.measure(model, on: inputs)
        let fit = try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(9))
        let network = try PolynomialNetwork(replacingIn: model, with: [fit])
        let manifest = PolynomialNetworkManifest(network, original: model)
        #expect(manifest.layers.map(\.kind) == ["glu", "bilinear"] && manifest.layers[0].tensors.count == 6)
        let tensors = doubleTensors(of: model)
        let result = try AddMultiplyEvaluator.evaluate(manifest, tensors: tensors, inputs: inputs.converted(to: Double.self))
        #expect(result.depth == manifest.totalDepth && manifest.totalDepth == network.totalDepth)

        func dense(_ prefix: String) -> Dense<Double> { Dense(weight: tensors[prefix + ".weight"]!, bias: tensors[prefix + ".bias"]!) }
        var reference = Sequential<Double>([
            PolynomialGatedLinearUnit(gateProjection: dense("0.gate_proj"), upProjection: dense("0.up_proj"),
                                      downProjection: dense("0.down_proj"), gate: ChebyshevActivation<Double>(fit.polynomial)),
            GatedLinearUnit(gateProjection: dense("1.gate_proj"), upProjection: dense("1.up_proj"),
                            downProjection: dense("1.down_proj"), gate: nil),
        ])
        let expected = reference(inputs.converted(to: Double.self))
        let scale = expected.elements.reduce(0) { max($0, abs($1)) }
        #expect(scale > 0)
        for (a, b) in zip(result.outputs.elements, expected.elements) { #expect(abs(a - b) <= 1e-9 * scale) }

        let file = Checkpoint(model: network.model).safeTensors
        #expect(try file.shape(of: "0.gate.coefficients") == [10] && file.shape(of: "0.gate_proj.weight") == [10, 6])
        let reloaded = try Checkpoint<Float>(SafeTensors(decoding: file.encoded()), registry: .polynomialNetworks)
        var (inMemory, copy) = (network.model, reloaded.model)
        #expect(inMemory(inputs).elements == copy(inputs).elements)
    }

    /// Fine-tuning trains the projections around the frozen gate polynomial, with the range
    /// penalty and the out-of-range count on the gate's inputs.
    @Test func fineTuningKeepsTheGatePolynomial() throws {
        let model = try Self.model()
        let inputs = gaussianInputs(rows: 90, columns: 6, seed: 84)
        let data = try LabeledImages(images: inputs, labels: (0 ..< 90).map { $0 % 3 }, classCount: 3, imageRows: 2, imageColumns: 3)
        let ranges = try RangeProfile.measure(model, on: inputs)
        let fit = try ActivationFit.fit(ranges[0], interval: IntervalRule(tailPercent: 5, margin: 1), degree: .degree(7))
        var network = try PolynomialNetwork(replacingIn: model, with: [fit])
        let before = try #require(network.model.layers[0] as? PolynomialGatedLinearUnit<Float>)
        var configuration = TrainingConfiguration(architecture: network.model.specification)
        configuration.epochs = 2
        configuration.batchSize = 30
        let records = try FineTuning.run(&network, configuration: configuration, training: data, test: data, penalty: 1,
                                         progressive: model)
        let after = try #require(network.model.layers[0] as? PolynomialGatedLinearUnit<Float>)
        #expect(after.gate.coefficients == before.gate.coefficients && after.gate.bounds == before.gate.bounds)
        #expect(after.gateProjection.weight != before.gateProjection.weight)
        #expect(!after.freezesPolynomial && after.rangePenalty == nil)
        #expect(records.map(\.replacedLayers) == [[0], [0]])
        let comparison = try NetworkComparison(original: model, polynomial: network, inputs: inputs, labels: data.labels)
        #expect(records.last?.excursions == comparison.excursions && comparison.excursions[0].outsideShare > 0)
    }
}
