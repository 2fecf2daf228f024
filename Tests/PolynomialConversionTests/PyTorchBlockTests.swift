import Activations
import Foundation
import Interop
import LinearAlgebra
import Testing
import TestSupport
@testable import PolynomialConversion

/// Blocks written by PyTorch itself (Fixtures/make_pytorch_blocks.py, float64) load through
/// `BlockKeys` mappings of their own state-dict names and compute what PyTorch computed.
/// Tolerance: PyTorch and we each compute the block within γ_K of its magnitude
/// (`RoundingBounds.blockMagnitude`: dot products in any order, SiLU and GELU through libm
/// exp/erf within a few ulps, including GELU's 1 + erf cancellation for negative inputs,
/// whose absolute error ≤ |h|·2u is covered by the 1.13·H term), so they differ by at most
/// twice that.
@Suite("Blocks written by PyTorch")
struct PyTorchBlockTests {
    static func fixture() throws -> SafeTensors {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/pytorch_blocks", withExtension: "safetensors"))
        return try SafeTensors(contentsOf: url)
    }

    static func bound(_ block: FeedforwardBlock, _ inputs: Matrix<Double>) -> Matrix<Double> {
        let rounding = gamma(RoundingBounds.blockOperationCount(inputs: block.inputDimension, hidden: block.hiddenCount), Double.self)
        return RoundingBounds.blockMagnitude(block, at: inputs).map { 2 * rounding * $0 }
    }

    @Test func llamaStyleGLUWithoutBiasesMatchesPyTorch() throws {
        let file = try Self.fixture()
        let keys = try BlockKeys(mapping: [
            "input.weight=glu.gate_proj.weight,linear.weight=glu.up_proj.weight,output.weight=glu.down_proj.weight",
            "input.bias=none,linear.bias=none,output.bias=none",
        ])
        let block = try FeedforwardBlock(safeTensors: file, keys: keys, activation: .silu)
        let inputs = try file.matrix(named: "input", as: Double.self)
        expectClose(block(inputs), try file.matrix(named: "glu.output", as: Double.self), within: Self.bound(block, inputs))
    }

    @Test func sequentialGELUBlockUnderAPrefixMatchesPyTorch() throws {
        let file = try Self.fixture()
        let keys = try BlockKeys(mapping: ["input.weight=mlp.0.weight,input.bias=mlp.0.bias,output.weight=mlp.2.weight,output.bias=mlp.2.bias"])
        let block = try FeedforwardBlock(safeTensors: file, keys: keys, activation: .gelu)
        let inputs = try file.matrix(named: "input", as: Double.self)
        expectClose(block(inputs), try file.matrix(named: "mlp.output", as: Double.self), within: Self.bound(block, inputs))
    }

    /// Leaving a bias role at its default name, which this file does not have, is an error
    /// that names the missing tensor rather than a silent zero.
    @Test func unmappedBiasOfAPyTorchGLUIsReported() throws {
        let keys = try BlockKeys(mapping: ["input.weight=glu.gate_proj.weight,linear.weight=glu.up_proj.weight,output.weight=glu.down_proj.weight"])
        let file = try Self.fixture()
        #expect {
            try FeedforwardBlock(safeTensors: file, keys: keys, activation: .silu)
        } throws: { error in
            guard case let .missingTensor(name, available)? = error as? SafeTensorsError else { return false }
            return name == "0.bias" && available.contains("glu.gate_proj.weight")
        }
    }
}
