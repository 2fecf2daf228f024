import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks
import Testing
import Training
@testable import PolyNetCommands

/// A run directory holding a small random `dense(784,12) relu dense(12,10)` model at two
/// steps, written like `polynet train` writes checkpoints.
private func makeRun(checkpoints: [String] = ["step-1", "step-4", "model"]) throws -> URL {
    let run = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-explain-\(UUID())")
    try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
    var generator = SeededGenerator(seed: 5)
    for name in checkpoints {
        var file = SafeTensors(metadata: ["polynet.arch": "dense(784,12) relu dense(12,10)"])
        file.insert(Matrix<Float>.randomNormal(rows: 12, columns: 784, standardDeviation: 0.05, using: &generator), named: "0.weight")
        file.insert(Matrix<Float>.randomNormal(rows: 1, columns: 12, standardDeviation: 0.1, using: &generator), named: "0.bias", shape: [12])
        file.insert(Matrix<Float>.randomNormal(rows: 10, columns: 12, standardDeviation: 0.3, using: &generator), named: "2.weight")
        file.insert(Matrix<Float>(rows: 1, columns: 10), named: "2.bias", shape: [10])
        try file.write(to: run.appendingPathComponent("\(name).safetensors"))
    }
    return run
}

@Suite("polynet explain")
struct ExplainCommandTests {
    @Test func reportWritesEveryFigureAndAPage() throws {
        let run = try makeRun()
        defer { try? FileManager.default.removeItem(at: run) }
        let out = run.appendingPathComponent("report")
        var command = try PolyNetCommand.parseAsRoot(["explain", "report", "--run", run.path, "--distribution", "standard",
                                                      "--samples", "200", "--out", out.path])
        try command.run()
        for file in ["index.html", "eigenvectors.png", "eigenvectors.svg", "linear-coefficients.png", "spectrum.svg",
                     "svd-attack.svg", "svd-attack-examples.png", "eigen-attack.svg", "complexity.svg"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("data:image/png;base64,") && html.contains("Complexity over training"))
    }

    @Test func badInputGivesActionableErrors() throws {
        #expect(throws: (any Error).self) { try PolyNetCommand.parseAsRoot(["explain", "eigen-attack", "--checkpoint", "x", "--target", "12"]) }
        #expect(throws: (any Error).self) { try PolyNetCommand.parseAsRoot(["explain", "eigen", "--checkpoint", "x", "--distribution", "uniform"]) }
        var missing = try PolyNetCommand.parseAsRoot(["explain", "eigen", "--checkpoint", "/nonexistent/model.safetensors",
                                                      "--distribution", "standard"])
        #expect {
            try missing.run()
        } throws: { error in
            PolyNetCommand.message(for: error).contains("/nonexistent/model.safetensors")
        }
    }

    /// A run directory without model.safetensors resolves to its latest epoch-K, as in eval.
    @Test func aRunDirectoryResolvesAsEvalResolvesIt() throws {
        let run = try makeRun(checkpoints: ["epoch-1", "epoch-2"])
        defer { try? FileManager.default.removeItem(at: run) }
        #expect(message(["explain", "svd-attack", "--checkpoint", run.path, "--distribution", "standard", "--samples", "20",
                         "--max-k", "1", "--out", run.appendingPathComponent("out").path]) == "")
        let empty = run.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(message(["explain", "eigen", "--checkpoint", empty.path, "--distribution", "standard"])
                == "\(empty.path) holds neither model.safetensors nor epoch-K.safetensors")
    }

    /// The data set comes from --dataset, else from the checkpoint's training configuration.
    @Test func theDataSetFollowsTheCheckpoint() throws {
        let run = try makeRun(checkpoints: [])
        defer { try? FileManager.default.removeItem(at: run) }
        var generator = SeededGenerator(seed: 6)
        var configuration = TrainingConfiguration(architecture: "dense(784,3) relu dense(3,10)")
        configuration.dataset = "fashion-mnist"
        let model = try Architecture(parsing: configuration.architecture).makeModel(as: Float.self, using: &generator)
        try Checkpoint(model: model, configuration: configuration).write(to: run.appendingPathComponent("model.safetensors"))
        let noData = run.appendingPathComponent("no-data").path
        try FileManager.default.createDirectory(atPath: noData, withIntermediateDirectories: true)
        #expect(message(["explain", "eigen", "--checkpoint", run.path, "--data-dir", noData]).hasPrefix("fashion-mnist not found"))
        #expect(message(["explain", "eigen", "--checkpoint", run.path, "--data-dir", noData, "--dataset", "mnist"])
                .hasPrefix("mnist not found"))
        #expect(message(["explain", "report", "--run", run.path, "--dataset", "cifar"])
                == "unknown data set 'cifar'; known: mnist, fashion-mnist")
    }
}
