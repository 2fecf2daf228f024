import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks
import Testing
import TestSupport
@testable import Training

/// A convolutional model written by PyTorch (Fixtures/make_conv_fixture.py) loads with its
/// state-dict names, and conv2d, square, avgpool, flatten and dense compute what PyTorch
/// computes in float64, forward and backward.
struct ConvolutionCheckpointTests {
    static let architecture = "conv2d(2,3,k=3,stride=2,pad=1,size=7) square avgpool(2) flatten dense(12,4)"

    static func fixture(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "safetensors"))
    }

    /// In Double: every value is a sum of at most 2·3·3 = 18 products (conv), 4 (pool), 12
    /// (dense) or 2·16 = 32 (∂W over positions) of terms below 10² in magnitude (inputs in
    /// [−1, 1], weights within PyTorch's ±1/√fan-in), along chains of at most four such
    /// stages, so the rounding error is below 4·γ₃₂·10² ≈ 1.5e-12 in any summation order;
    /// 1e-10 leaves margin, far below the 1e-5 agreement asked of the layer, and a wrong index
    /// or a dropped term moves values by 1e-3 or more.
    @Test func doubleForwardAndBackwardMatchPyTorch() throws {
        var model = try Checkpoint<Double>(contentsOf: try Self.fixture("conv_model")).model
        #expect(model.specification == Self.architecture)
        let io = try SafeTensors(contentsOf: try Self.fixture("conv_io"))
        func tensor(_ name: String) throws -> Matrix<Double> { try io.matrix(named: name, as: Double.self) }
        let input = try tensor("input")

        var convolution = model.layers[0]
        var convolutionOutput = Matrix<Double>(rows: 0, columns: 0)
        convolution.forward(input, into: &convolutionOutput, training: false)
        expectClose(convolutionOutput, try tensor("conv_output"), absolute: 1e-10, "conv2d output")

        let output = model.forward(input, training: true)
        expectClose(output, try tensor("output"), absolute: 1e-10, "model output")
        model.zeroGradients()
        let inputGradient = model.backward(try tensor("output_gradient"))
        expectClose(inputGradient, try tensor("input_gradient"), absolute: 1e-10, "input gradient")
        for (name, gradient) in model.parameterGradients {
            let expected = try tensor("\(name).grad")
            expectClose(gradient, expected.reshaped(rows: gradient.rows, columns: gradient.columns), absolute: 1e-10,
                        "gradient of \(name)")
        }
    }

    /// In Float (the training type), the output is within the forward rounding bound: each
    /// stage adds at most γ_n relative error on the sum of its terms' magnitudes (n = 18 conv,
    /// squared: 2·18 + 1, then 4 pool and 12 dense), so |fl(y) − y| ≤ γ₅₄·M with M the model
    /// evaluated on |x| with every weight replaced by its magnitude (the sum of all terms'
    /// magnitudes; square is monotone on [0, ∞)). The weights and inputs are Float values, so
    /// nothing is lost converting them.
    @Test func floatForwardIsWithinTheRoundingBound() throws {
        var model = try Checkpoint<Float>(contentsOf: try Self.fixture("conv_model")).model
        var magnitudes = try Checkpoint<Double>(contentsOf: try Self.fixture("conv_model")).model
        magnitudes.visitParameters { value, _ in value = value.map(abs) }
        let io = try SafeTensors(contentsOf: try Self.fixture("conv_io"))
        let input = try io.matrix(named: "input", as: Double.self)
        let output = model(input.converted(to: Float.self)).converted(to: Double.self)
        let u = Double(Float.ulpOfOne) / 2
        let bound = magnitudes(input.map(abs)).map { 54 * u / (1 - 54 * u) * $0 }
        expectClose(output, try io.matrix(named: "output", as: Double.self), within: bound, "Float output")
        #expect(bound.elements.allSatisfy { $0 < 1e-5 })
    }
}
