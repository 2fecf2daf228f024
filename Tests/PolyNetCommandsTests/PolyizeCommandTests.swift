import Foundation
import LinearAlgebra
import NeuralNetworks
import Testing
import Training
@testable import PolyNetCommands

@Suite("polynet polyize")
struct PolyizeCommandTests {
    /// A random 784 → 8 → 10 ReLU network saved as a checkpoint in a new folder.
    static func checkpoint(_ architecture: String = "dense(784,8) relu dense(8,10)") throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-polyize-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var generator = SeededGenerator(seed: 2)
        let model = try Architecture(parsing: architecture).makeModel(as: Float.self, using: &generator)
        let url = folder.appendingPathComponent("model.safetensors")
        try Checkpoint(model: model).write(to: url)
        return url
    }

    @Test func exportsProfileManifestAndWeights() throws {
        let url = try Self.checkpoint()
        let folder = url.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("poly").path
        #expect(message(["polyize", "--checkpoint", url.path, "--degree", "7", "--limit", "300", "--test-limit", "100",
                         "--verify", "20", "--out", out]) == "")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: out))
        #expect(names == ["profile.json", "manifest.json", "weights.safetensors", "polynomial.safetensors", "histogram-layer-1.svg",
                          "index.html"])
        // polynet eval loads the export folder's polynomial network (and nothing else changes
        // for the original checkpoint).
        #expect(message(["eval", "--checkpoint", out, "--limit", "100"]) == "")
        #expect(message(["eval", "--checkpoint", out + "/polynomial.safetensors", "--limit", "100"]) == "")
        #expect(message(["eval", "--checkpoint", out + "/weights.safetensors", "--limit", "100"]) == "")
        let page = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        #expect(page.contains("polynomial accuracy") && page.contains("Error against degree"))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as? [String: Any]
        // Two dense layers and degree 7, which OpenFHE's function-evaluation table puts at depth 5
        // (degrees 6–13, affine map included).
        #expect(manifest?["total_depth"] as? Int == 1 + 5 + 1)
        // A second export into the now non-empty folder is refused before any work.
        #expect(message(["polyize", "--checkpoint", url.path, "--out", out]) == "--out: \(out) is not empty; choose a new directory")
        // Several depth budgets: the profile, the histograms and a report with the sweep.
        let sweep = folder.appendingPathComponent("sweep").path
        #expect(message(["polyize", "--checkpoint", url.path, "--depth-budget", "3,5,7", "--limit", "300", "--test-limit", "100",
                         "--out", sweep]) == "")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: sweep)) == ["profile.json", "histogram-layer-1.svg", "index.html"])
        let sweepPage = try String(contentsOfFile: sweep + "/index.html", encoding: .utf8)
        #expect(sweepPage.contains("Accuracy against depth budget") && sweepPage.contains("below the minimum 4"))
        // Gaussian fits with progressive fine-tuning: metrics.jsonl has one line per epoch with
        // the out-of-range share of the replaced layer, and the manifest names the method.
        let tuned = folder.appendingPathComponent("tuned").path
        #expect(message(["polyize", "--checkpoint", url.path, "--degree", "5", "--method", "gaussian", "--limit", "300",
                         "--test-limit", "100", "--fine-tune-epochs", "2", "--progressive", "--out", tuned]) == "")
        let lines = try String(contentsOfFile: tuned + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let record = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
        #expect(record?["epoch"] as? Int == 2 && (record?["outside_share"] as? [String: Double])?["1"] != nil)
        let tunedManifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tuned + "/manifest.json"))) as? [String: Any]
        let layers = tunedManifest?["layers"] as? [[String: Any]]
        #expect(layers?[1]["method"] as? String == "gaussian")
    }

    @Test func badInputGivesOneLine() throws {
        let url = try Self.checkpoint()
        let normed = try Self.checkpoint("dense(784,8) fourier(deg=3) dense(8,10)")
        defer {
            try? FileManager.default.removeItem(at: url.deletingLastPathComponent())
            try? FileManager.default.removeItem(at: normed.deletingLastPathComponent())
        }
        let base = ["polyize", "--checkpoint", url.path, "--limit", "50", "--test-limit", "20"]
        #expect(message(base + ["--degree", "3", "--max-error", "1e-2"]) == "give one of --degree, --max-error and --depth-budget")
        #expect(message(base + ["--degree", "3", "--depth-budget", "9"]) == "give one of --degree, --max-error and --depth-budget")
        #expect(message(base + ["--depth-budget", "0"]) == "--depth-budget must be comma-separated depths in 1...10000, got '0'")
        #expect(message(base + ["--depth-budget", "8,x"]) == "--depth-budget must be comma-separated depths in 1...10000, got '8,x'")

        #expect(message(base + ["--degree", "0"]) == "--degree must be in 1...200, got 0")
        #expect(message(base + ["--verify=-1"]) == "--verify must be in 0...10000, got -1")
        #expect(message(base + ["--fine-tune-epochs", "101"]) == "--fine-tune-epochs must be in 0...100, got 101")
        #expect(message(base + ["--range-penalty", "nan"]) == "--range-penalty must be zero or positive and finite, got nan")
        #expect(message(base + ["--max-error", "nan"]) == "--max-error must be positive and finite, got nan")
        #expect(message(base + ["--percentile", "50"]) == "--percentile must be in [0, 50), got 50.0")
        #expect(message(base + ["--margin", "0.5"]) == "--margin must be in 1...100, got 0.5")
        #expect(message(base + ["--method", "taylor"]) == "--method must be minimax, gaussian or composite, got taylor")
        #expect(message(base + ["--method", "composite", "--degree", "15"])
                == "--method composite needs --max-error: a composite is chosen by its error bound (not by --degree or --depth-budget)")
        #expect(message(base + ["--progressive"]) == "--progressive needs --fine-tune-epochs")
        // Refusals that need the data loaded (each load of MNIST takes a second in a debug
        // build): one here; the library's tests cover unreachable error bounds.
        #expect(message(["polyize", "--checkpoint", normed.path, "--limit", "50"])
                == "layer 1 (fourier(deg=3)) cannot be made polynomial: only dense, conv2d, avgpool, flatten, square, layernorm, relu, gelu, silu, tanh, sigmoid, softplus, glu, bilinear, poly and hermite layers are supported")
        #expect(message(base + ["--out", url.path]) == "--out: \(url.path) is a regular file, not a folder")
    }
}
