import Foundation
import PolyNet
import Testing

/// The code of the article "Converting a trained block" (ConvertingABlock.md).
@Suite("Article: Converting a trained block")
struct ConvertingABlockTests {
    @Test func convertCheckpoint() throws {
        let (training, test) = try DocumentationData.slices.get()
        let run = try DocumentationData.reluRun.get()

        let checkpoint = try Checkpoint<Float>(contentsOf: try RunDirectory.resolveCheckpoint(run.path))
        let block = try FeedforwardBlock(checkpoint: checkpoint)  // dense(784,32) relu dense(32,10)

        // The Gaussian the fit is least-squares optimal under: N(0, I), or fitted to the data.
        let standard = GaussianDistribution.standard(block.inputDimension)
        let distribution = try GaussianDistribution(fitting: training.images)

        let approximant = try PolynomialApproximant(of: block, degree: 2, under: distribution)
        let variance = try approximant.gaussianVariance()
        let exactRSquared = variance.pooledRSquared(degree: 2)        // exact, under the Gaussian
        let onTestData = approximant.compare(on: test.images, labels: test.labels)
        print(exactRSquared, onTestData.pooledRSquared, onTestData.modelAccuracy!, onTestData.approximantAccuracy!)

        #expect(standard.dimension == 784)
        #expect(exactRSquared > 0.5 && exactRSquared <= 1 + 1e-9)
        #expect(variance.pooledRSquared(degree: 1) <= exactRSquared + 1e-12)
        #expect(onTestData.sampleCount == test.count)
    }

    @Test func explicitAndFactorized() throws {
        let (training, _) = try DocumentationData.slices.get()
        let run = try DocumentationData.reluRun.get()
        let checkpoint = try Checkpoint<Float>(contentsOf: try RunDirectory.resolveCheckpoint(run.path))
        let block = try FeedforwardBlock(checkpoint: checkpoint)
        let distribution = try GaussianDistribution(fitting: training.images)
        let approximant = try PolynomialApproximant(of: block, degree: 2, under: distribution)

        // Factorized: per hidden unit, a polynomial in its pre-activation (cheap for any degree).
        let inputs = training.images.rows(0 ..< 50).converted(to: Double.self)
        let factorized = approximant(inputs)
        // Explicit: the constant, linear and quadratic coefficients in the inputs themselves.
        let explicit = try approximant.explicitCoefficients()
        let sameOutputs = explicit(inputs)
        // Both as safetensors for PyTorch.
        let file = approximant.safeTensors(explicit: explicit)

        #expect(explicit.quadratic.count == 10 && explicit.linear.rows == 10 && explicit.linear.columns == 784)
        let largest = factorized.elements.reduce(0) { max($0, abs($1)) }
        let difference = zip(factorized.elements, sameOutputs.elements).reduce(0) { max($0, abs($1.0 - $1.1)) }
        #expect(difference <= 1e-8 * max(largest, 1))
        #expect(!file.names.isEmpty)
    }

    @Test func pyTorchWeightsWithKeys() throws {
        let run = try DocumentationData.reluRun.get()
        let checkpoint = try Checkpoint<Float>(contentsOf: try RunDirectory.resolveCheckpoint(run.path))
        let url = DocumentationData.temporaryDirectory("llama-mlp.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        // A bias-free gated block named as in Llama's MLP (the checkpoint's weights, renamed).
        let weights = checkpoint.model.parameters.map(\.value)
        var llama = SafeTensors()
        llama.insert(weights[0], named: "gate_proj.weight")
        llama.insert(weights[0], named: "up_proj.weight")
        llama.insert(weights[2], named: "down_proj.weight")
        try llama.write(to: url)

        let keys = try BlockKeys(mapping: [
            "input.weight=gate_proj.weight", "linear.weight=up_proj.weight", "output.weight=down_proj.weight",
            "input.bias=none", "linear.bias=none", "output.bias=none",
        ])
        let block = try FeedforwardBlock(safeTensors: try SafeTensors(contentsOf: url), keys: keys, activation: .silu)
        let approximant = try PolynomialApproximant(of: block, degree: 3, under: .standard(block.inputDimension))
        print(try approximant.gaussianVariance().rSquared(degree: 3))
        #expect(block.isGated && block.hiddenCount == 32)
    }
}
