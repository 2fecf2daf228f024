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
    /// outputs; 1e-5 is a few Float ulps of these O(1) outputs after three layers.
    @Test func pytorchCheckpointLoadsAndMatchesPyTorch() throws {
        let checkpoint = try Checkpoint<Float>(contentsOf: Self.fixture("pytorch_model"))
        var model = checkpoint.model
        #expect(model.specification == "poly(6,4,deg=3) layernorm(4) relu dense(4,3)")
        let io = try SafeTensors(contentsOf: Self.fixture("pytorch_io"))
        let output = model(try io.matrix(named: "input", as: Float.self))
        expectClose(output, try io.matrix(named: "output", as: Float.self), absolute: 1e-5, relative: 1e-5)
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
