import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks
import Testing
import TestSupport
@testable import Training

struct CheckpointTests {
    static func fixture(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "safetensors"))
    }

    /// A model written by PyTorch (make_pytorch_fixture.py) loads and reproduces PyTorch's
    /// outputs within twice the forward rounding-error bound of one Float evaluation
    /// (`forwardErrorBound`): PyTorch and this library sum in different orders with different
    /// BLAS kernels, so each only promises to lie within the bound of the exact result.
    @Test func pytorchCheckpointLoadsAndMatchesPyTorch() throws {
        let checkpoint = try Checkpoint<Float>(contentsOf: Self.fixture("pytorch_model"))
        var model = checkpoint.model
        #expect(model.specification == "poly(6,4,deg=3) layernorm(4) relu dense(4,3)")
        let io = try SafeTensors(contentsOf: Self.fixture("pytorch_io"))
        let input = try io.matrix(named: "input", as: Float.self)
        let output = model(input)
        let expected = try io.matrix(named: "output", as: Float.self)
        let bound = try Self.forwardErrorBound(try SafeTensors(contentsOf: Self.fixture("pytorch_model")), input: input)
        try #require(output.rows == expected.rows && output.columns == expected.columns)
        for row in 0 ..< output.rows {
            for column in 0 ..< output.columns {
                let difference = abs(Double(output[row, column]) - Double(expected[row, column]))
                #expect(difference <= 2 * bound[row][column], "output [\(row), \(column)]: |Δ| = \(difference), bound \(bound[row][column])")
            }
        }
        // The bound is tight enough to mean something: below 1e-3 everywhere (outputs are O(1)),
        // while a wrong layer (reversed degree order, a dropped bias, a transposed weight) moves
        // them by 1e-2 or more.
        #expect(bound.joined().allSatisfy { $0 < 5e-4 })
    }

    /// A bound on |fl(y) − y| for one Float evaluation of poly(6,4,deg=3) layernorm(4) relu
    /// dense(4,3) on `input`, per output element, from the standard model |fl(a ∘ b) − a ∘ b| ≤
    /// u·|a ∘ b| (u = 2⁻²⁴) and γ_n = n·u/(1 − n·u) for sums of n products (Higham, Accuracy and
    /// Stability of Numerical Algorithms, §3.1), in any summation order:
    /// - poly: z_o = Σ_{i,k} W_oik·x_iᵏ, 24 products, powers by ≤ 2 multiplications:
    ///   δz_o ≤ γ₂₇·Σ|W_oik|·|x_i|ᵏ.
    /// - layernorm: ẑ = (z − μ)/σ is conditioned by 1/σ (σ is as small as 0.046 in the
    ///   fixture, so this step amplifies most): with D = max δz, δμ ≤ D and δσ ≤ 2D, so
    ///   δẑ_o ≤ (2 + 2|ẑ_o|)·D/σ + 8u·(1 + |ẑ_o|) (its own mean, subtraction, square root, division).
    /// - affine and relu: δh_o ≤ |g_o|·δẑ_o + 2u·(|g_o·ẑ_o| + |b_o|); relu is 1-Lipschitz and exact.
    /// - dense: δy_j ≤ Σ_o |V_jo|·δh_o + γ₅·(Σ_o |V_jo|·|h_o| + |c_j|).
    static func forwardErrorBound(_ model: SafeTensors, input: Matrix<Float>) throws -> [[Double]] {
        let u = Double(Float.ulpOfOne) / 2
        func gamma(_ n: Double) -> Double { n * u / (1 - n * u) }
        let weight = try model.values(named: "0.weight", as: Double.self)  // [4, 6, 4]
        let (scale, shift) = (try model.values(named: "1.weight", as: Double.self), try model.values(named: "1.bias", as: Double.self))
        let (dense, bias) = (try model.values(named: "3.weight", as: Double.self), try model.values(named: "3.bias", as: Double.self))
        return (0 ..< input.rows).map { row in
            let x = (0 ..< 6).map { Double(input[row, $0]) }
            var z = [Double](repeating: 0, count: 4), magnitude = z
            for o in 0 ..< 4 {
                for i in 0 ..< 6 {
                    for k in 0 ... 3 {
                        let w = weight[(o * 6 + i) * 4 + k]
                        let power = (0 ..< k).reduce(1.0) { product, _ in product * x[i] }
                        z[o] += w * power
                        magnitude[o] += abs(w * power)
                    }
                }
            }
            let error = magnitude.map { gamma(27) * $0 }
            let mean = z.reduce(0, +) / 4
            let sigma = (z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4 + 1e-5).squareRoot()
            let normalized = z.map { ($0 - mean) / sigma }
            let largest = error.max() ?? 0
            let hidden = (0 ..< 4).map { max(scale[$0] * normalized[$0] + shift[$0], 0) }
            let hiddenError = (0 ..< 4).map { o in
                let normalizedError = (2 + 2 * abs(normalized[o])) * largest / sigma + 8 * u * (1 + abs(normalized[o]))
                return abs(scale[o]) * normalizedError + 2 * u * (abs(scale[o] * normalized[o]) + abs(shift[o]))
            }
            return (0 ..< 3).map { j in
                let propagated = (0 ..< 4).reduce(0.0) { $0 + abs(dense[j * 4 + $1]) * hiddenError[$1] }
                let own = gamma(5) * ((0 ..< 4).reduce(0.0) { $0 + abs(dense[j * 4 + $1]) * hidden[$1] } + abs(bias[j]))
                return propagated + own
            }
        }
    }

    /// Writing then reading gives back every parameter bit for bit, the configuration and the
    /// PyTorch shapes.
    @Test func roundTripKeepsEverything() throws {
        var generator = SeededGenerator(seed: 3)
        let model: Sequential<Float> = try Architecture(parsing: "seed001-poly").makeModel(using: &generator)
        var configuration = TrainingConfiguration(architecture: "seed001-poly")
        configuration.schedule = .step(epochs: 2, factor: 0.5)
        configuration.clipNorm = 1
        let original = Checkpoint(model: model, configuration: configuration, epoch: 2, step: 1874)
        let file = original.safeTensors
        #expect(try file.shape(of: "0.weight") == [20, 784, 4])
        #expect(try file.shape(of: "1.bias") == [20])
        let back = try Checkpoint<Float>(SafeTensors(decoding: file.encoded()))
        #expect(back.model.specification == model.specification)
        for (a, b) in zip(back.model.parameters, model.parameters) { #expect(a.name == b.name && a.value == b.value) }
        #expect(back.configuration == configuration && back.epoch == 2 && back.step == 1874)
    }

    @Test func mismatchesThrow() throws {
        var generator = SeededGenerator(seed: 3)
        let model: Sequential<Float> = try Architecture(parsing: "dense(4,3)").makeModel(using: &generator)
        let file = Checkpoint(model: model).safeTensors
        #expect(throws: CheckpointError.self) { try Checkpoint<Float>(file, architecture: "dense(4,2)") }
        #expect(throws: CheckpointError.self) { try Checkpoint<Float>(file, architecture: "dense(4,3) layernorm(3)") }
        #expect(throws: ArchitectureError.self) { try Checkpoint<Float>(file, architecture: "dense(4") }
        var withoutArchitecture = file
        withoutArchitecture.metadata = [:]
        #expect(throws: CheckpointError.self) { try Checkpoint<Float>(withoutArchitecture) }
        var extra = file
        extra.insert([Float(1)], named: "stray", shape: [1])
        #expect(throws: CheckpointError.self) { try Checkpoint<Float>(extra) }
        var badConfiguration = file
        badConfiguration.metadata[CheckpointMetadata.configuration] = "{\"epochs\": \"many\"}"
        #expect(throws: CheckpointError.self) { try Checkpoint<Float>(badConfiguration) }
        var nonFinite = file
        nonFinite.insert([Float.nan, 0, 0], named: "0.bias", shape: [3])
        #expect(throws: CheckpointError.self) { try Checkpoint<Float>(nonFinite) }
    }

    /// Truncated or corrupted checkpoint bytes throw (the safetensors reader's own checks are
    /// tested in InteropTests; this confirms they reach checkpoint loading).
    @Test func corruptedBytesThrow() throws {
        var generator = SeededGenerator(seed: 3)
        let model: Sequential<Float> = try Architecture(parsing: "dense(4,3)").makeModel(using: &generator)
        let bytes = Checkpoint(model: model).safeTensors.encoded()
        for length in [0, 7, 8, 20, bytes.count - 1] {
            #expect(throws: (any Error).self) { try Checkpoint<Float>(SafeTensors(decoding: Array(bytes.prefix(length)))) }
        }
    }
}
