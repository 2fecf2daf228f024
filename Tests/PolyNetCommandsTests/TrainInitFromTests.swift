import Foundation
import LinearAlgebra
import NeuralNetworks
import Testing
import Training
@testable import PolyNetCommands

@Suite("polynet train --init-from")
struct TrainInitFromTests {
    /// A trained model's activations swapped for a fitted learnable one, trained on: the run
    /// directory's model has the swapped architecture and the dense layers' trained names.
    @Test func swapsAndTrains() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-init-from-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SeededGenerator(seed: 3)
        let model = try Architecture(parsing: "dense(784,8) relu dense(8,10)").makeModel(as: Float.self, using: &generator)
        let checkpoint = folder.appendingPathComponent("model.safetensors")
        try Checkpoint(model: model).write(to: checkpoint)
        let out = folder.appendingPathComponent("swapped").path
        #expect(message(["train", "--init-from", checkpoint.path, "--swap-activations", "tropical-rational(deg=3)",
                         "--epochs", "1", "--limit", "200", "--test-limit", "100", "--out", out]) == "")
        let trained = try Checkpoint<Float>(contentsOf: URL(fileURLWithPath: out + "/model.safetensors"))
        #expect(trained.model.specification == "dense(784,8) tropical-rational(deg=3) dense(8,10)")
        #expect(message(["train", "--swap-activations", "hermite(deg=3)"])
                == "--swap-activations replaces the activations of a trained model: pass --init-from RUN")
        #expect(message(["train", "--init-from", checkpoint.path, "--arch", "seed001-poly"])
                == "--init-from starts one run from a trained model; drop --resume, --arch and --repeat")
        #expect(message(["train", "--init-from", checkpoint.path, "--swap-activations", "tropical(deg=3)", "--limit", "10",
                         "--test-limit", "10"]).contains("cannot start as relu"))
    }
}
