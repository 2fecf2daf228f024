import Foundation
import Interop
import Testing
import Training
@testable import PolyNetCommands

@Suite("polynet train --resume")
struct TrainResumeCommandTests {
    /// A tiny run (dense(784,10), 500 images, batch 100: 5 steps per epoch) with `arguments` added.
    static func train(_ arguments: [String]) -> String {
        message(["train", "--arch", "dense(784,10)", "--limit", "500", "--test-limit", "200", "--batch-size", "100"] + arguments)
    }

    /// The tensors of a safetensors file, byte for byte, by name.
    static func tensors(_ url: URL) throws -> [String: SafeTensors.Tensor] {
        let file = try SafeTensors(contentsOf: url)
        return Dictionary(uniqueKeysWithValues: try file.names.map { ($0, try file.tensor(named: $0)) })
    }

    /// 1 epoch, then `--resume --epochs 2`, gives the same model bytes and the same metrics
    /// (timing aside) as 2 epochs straight; the resumed run appends to metrics.jsonl.
    @Test func resumeContinuesExactly() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-resume-cli-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let (straight, resumed) = (root.appendingPathComponent("straight").path, root.appendingPathComponent("resumed").path)
        #expect(Self.train(["--epochs", "2", "--out", straight]) == "")
        #expect(Self.train(["--epochs", "1", "--out", resumed]) == "")
        #expect(message(["train", "--resume", resumed, "--epochs", "2", "--arch", "dense(784,10)", "--batch-size", "100"]) == "")
        let model = "model.safetensors"
        #expect(try Self.tensors(URL(fileURLWithPath: resumed).appendingPathComponent(model))
                == Self.tensors(URL(fileURLWithPath: straight).appendingPathComponent(model)))
        func metrics(_ run: String) throws -> [EpochMetrics] {
            try String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8).split(separator: "\n").map { line in
                var metrics = try JSONDecoder().decode(EpochMetrics.self, from: Data(line.utf8))
                metrics.samplesPerSecond = 0
                return metrics
            }
        }
        #expect(try metrics(resumed) == metrics(straight))
        #expect(try metrics(resumed).count == 2)
    }

    @Test func badResumesGiveActionableErrors() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-resume-cli-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let run = root.appendingPathComponent("run").path, empty = root.appendingPathComponent("empty").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(Self.train(["--epochs", "1", "--out", run]) == "")
        let cases: [([String], String)] = [
            (["--batch-size", "32"], "--batch-size 32 conflicts with the run in \(run), which was trained with --batch-size 100"),
            (["--arch", "seed001-linear"], "--arch seed001-linear conflicts with the run in \(run), which was trained with --arch dense(784,10)"),
            (["--optimizer", "sgd"], "--optimizer sgd conflicts"),
            (["--seed", "3"], "which was trained with --seed 0"),
            (["--limit", "400"], "which was trained with --limit 500"),
            (["--out", empty], "--resume continues in its own run directory; drop --out"),
            (["--repeat", "2"], "resume each seed-S directory"),
        ]
        for (arguments, expected) in cases {
            let text = message(["train", "--resume", run] + arguments)
            #expect(text.contains(expected), "\(arguments): \(text)")
        }
        #expect(message(["train", "--resume", empty]).contains("has no training-state.safetensors: it was written by an older polynet"))
        #expect(message(["train", "--resume", root.appendingPathComponent("nothing").path]).contains("no run directory at"))
        try Data("not a state".utf8).write(to: URL(fileURLWithPath: run + "/training-state.safetensors"))
        #expect(message(["train", "--resume", run, "--epochs", "2"]).contains("is not a usable training state"))
    }
}
