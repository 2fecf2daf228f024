import ArgumentParser
import Foundation
import Testing
@testable import PolyNetCommands

@Suite("polynet train and eval")
struct TrainCommandTests {

    @Test func badInputGivesActionableErrors() {
        let cases: [([String], String)] = [
            (["train", "--arch", "dense(784,10"], "missing ')'"),
            (["train", "--arch", "polly(784,10)"], "unknown layer 'polly'"),
            (["train", "--optimizer", "adagrad"], "adagrad"),
            (["train", "--schedule", "linear"], "linear"),
            (["train", "--checkpoint-steps", "1,x"], "'x' is not a non-negative step number"),
            (["train", "--dataset", "cifar"], "unknown data set 'cifar'"),
            (["eval", "--checkpoint", "/nonexistent/model.safetensors"], "no file or directory"),
        ]
        for (arguments, expected) in cases {
            let text = message(arguments)
            #expect(text.contains(expected), "\(arguments): \(text)")
        }
    }

    /// A tiny run end to end: train writes the run directory and eval reads it back.
    @Test func trainThenEvaluate() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-train-cli-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(message(["train", "--arch", "dense(784,10)", "--epochs", "1", "--limit", "500", "--test-limit", "200",
                         "--checkpoint-steps", "0,2", "--out", directory.path]) == "")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        #expect(files == ["metrics.jsonl", "step-0.safetensors", "step-2.safetensors", "epoch-1.safetensors", "model.safetensors",
                          "training-state.safetensors", ".lock"])
        #expect(message(["eval", "--checkpoint", directory.path, "--limit", "200"]) == "")
    }
}
