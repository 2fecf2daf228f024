import Activations
import Interop
import LinearAlgebra
import NeuralNetworks
import Polynomials
import Testing
import Training
@testable import Polynomialization

@Suite("Composite ReLU replacements")
struct CompositeReLUTests {
    /// A ReLU network whose hidden pre-activations span a few units, and its inputs.
    static func network() throws -> (model: Sequential<Float>, inputs: Matrix<Float>) {
        (try smallNetwork("relu", inputs: 6, hidden: 12, outputs: 3, seed: 41), gaussianInputs(rows: 60, columns: 6, seed: 42))
    }

    /// The composite fit meeting 0.05 on that network's measured range, computed once for every
    /// test that uses it (the degree search is the slow part: seconds in a debug build).
    static let sharedFit = Result { () throws -> ActivationFit in
        let (model, inputs) = try network()
        let ranges = try RangeProfile.measure(model, on: inputs)
        return try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .maxError(0.05), method: .composite)
    }

    static func fitted() throws -> (model: Sequential<Float>, inputs: Matrix<Float>, fit: ActivationFit) {
        let (model, inputs) = try network()
        return (model, inputs, try sharedFit.get())
    }

    /// The layer in Double stays within the composite's certified bound of ReLU at 4,001 points
    /// of [−R, R] (the band's edge included). The bound is certified for the stages in Double;
    /// the layer evaluates the same series with the ½ folded in and the first stage's map
    /// x ↦ x/R written as a Chebyshev interval, which moves each value by a few ulps of R times
    /// the stages' slopes (≤ 1/ε here): 1e-9·R covers that with room.
    @Test func layerStaysWithinTheCertifiedBound() throws {
        let fit = try Self.fitted().fit
        let composite = try #require(fit.composite)
        let radius = composite.radius
        #expect(fit.method == .composite && fit.interval == -radius ... radius && fit.maxError <= 0.05)
        let layer = CompositeReLU<Double>(composite)
        let points = (0 ... 4000).map { -radius + 2 * radius * Double($0) / 4000 } + [composite.band, -composite.band]
        let values = layer(Matrix(rows: 1, columns: points.count, elements: points))
        for (x, y) in zip(points, values.elements) {
            #expect(abs(y - max(x, 0)) <= composite.maxError + 1e-9 * radius, "x = \(x)")
        }
        // The single polynomial of degree 31 it is compared with: its certified error on [−R, R]
        // is at least ReLU's best error there, R·E₃₀(|x|)/2 ≈ R·0.279/60 (Bernstein: n·E_n(|x|) → 0.2802 from below; 0.12/31 leaves room).
        #expect(try #require(fit.comparisonError) >= radius * 0.12 / 31)
    }

    /// ∂x = ∂y·(q + x·q′) against central differences in Double (step 1e-6: the truncation
    /// h²·|f‴|/6 and the rounding ε·|f|/h are both below 1e-8 for these stages, whose slopes
    /// stay below 1/ε ≈ 10² on the sampled inputs).
    @Test func backwardMatchesCentralDifferences() throws {
        let composite = try #require(try Self.fitted().fit.composite)
        let layer = CompositeReLU<Double>(composite)
        var generator = SeededGenerator(seed: 43)
        let inputs = Matrix<Double>.randomNormal(rows: 3, columns: 7, standardDeviation: composite.radius / 3, using: &generator)
        let weights = Matrix<Double>.randomNormal(rows: 3, columns: 7, standardDeviation: 1, using: &generator)
        _ = expectInputGradientMatchesCentralDifferences(layer, inputs: inputs, weights: weights) { layer, x in
            let copy = layer
            return zip(copy(x).elements, weights.elements).reduce(0) { $0 + $1.0 * $1.1 }
        }
    }

    /// The exported network: the add/multiply-only evaluator agrees with the Float network
    /// within 1e-6 of the largest logit (Float storage of weights, coefficients and outputs:
    /// a few 2⁻²⁴ of each sum), and the depth it measures is the manifest's — the stages'
    /// Paterson–Stockmeyer depths plus one product x·q.
    @Test func exportRunsWithAdditionsAndMultiplicationsOnly() throws {
        let (model, inputs, fit) = try Self.fitted()
        let network = try PolynomialNetwork(replacingIn: model, with: [fit])
        #expect(network.model.layers[1] is CompositeReLU<Float>)
        let stages = CompositeReLU<Float>.stages(of: try #require(fit.composite))
        let stageDepths = stages.map { EvaluationCost.chebyshevPatersonStockmeyer(degree: $0.degree, needsAffineMap: $0.basis.interval != -1 ... 1).depth }
        #expect(network.layerDepths == [1, stageDepths.reduce(1, +), 1])
        let manifest = PolynomialNetworkManifest(network, original: model)
        #expect(manifest.layers[1].kind == "composite-relu" && manifest.layers[1].stages?.count == stages.count)
        let check = try AddMultiplyEvaluator.verify(network, original: model, inputs: inputs)
        #expect(check.measuredDepth == check.reportedDepth && check.reportedDepth == network.totalDepth)
        #expect(check.largestRelativeDifference <= 1e-6)
    }

    /// Written as a checkpoint and read back with the polynomial layer kinds, the network
    /// computes exactly the same outputs (the same Float parameters and code).
    @Test func checkpointRoundTrip() throws {
        let (model, inputs, fit) = try Self.fitted()
        let network = try PolynomialNetwork(replacingIn: model, with: [fit])
        let file = Checkpoint(model: network.model).safeTensors
        let reloaded = try Checkpoint<Float>(SafeTensors(decoding: file.encoded()), registry: .polynomialNetworks)
        #expect(reloaded.model.layers[1] is CompositeReLU<Float>)
        var (original, copy) = (network.model, reloaded.model)
        #expect(original(inputs).elements == copy(inputs).elements)
    }

    /// A composite is chosen by an error bound; other nonlinearities fall back to minimax.
    @Test func compositeNeedsAnErrorBoundAndAReLU() throws {
        let ranges = try RangeProfile.measure(try smallNetwork("relu"), on: gaussianInputs(rows: 50, columns: 6, seed: 44))
        #expect(throws: PolynomializationError.self) {
            try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(15), method: .composite)
        }
        let tanh = try RangeProfile.measure(try smallNetwork("tanh"), on: gaussianInputs(rows: 50, columns: 6, seed: 45))
        let fallback = try ActivationFit.fit(tanh[0], interval: IntervalRule(), degree: .maxError(1e-3), method: .composite)
        #expect(fallback.method == .minimax && fallback.composite == nil && fallback.maxError <= 1e-3)
    }
}
