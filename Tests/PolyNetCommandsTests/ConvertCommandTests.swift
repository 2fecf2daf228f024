import ArgumentParser
import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks
import PolynomialConversion
import Testing
import TestSupport
import Training
@testable import PolyNetCommands

/// `polynet convert` on small PyTorch-style files in a temporary directory.
@Suite("polynet convert")
struct ConvertCommandTests {
    /// A 3 → 4 → 2 block with `0.weight` … `2.bias` (identity activation: the block is affine, so
    /// the conversion's linear term must be W₂W₁, here a matrix of small dyadic numbers that the
    /// reference product forms exactly).
    static func writeBlock(in directory: URL, poison: Bool = false) throws -> URL {
        var file = SafeTensors()
        var w1 = Matrix<Double>([[1, 0, 2], [0, 1, -1], [0.5, 0.5, 0], [-1, 2, 1]])
        if poison { w1[0, 0] = .nan }
        file.insert(w1, named: "0.weight")
        file.insert([0.1, -0.2, 0.3, 0.0], named: "0.bias", shape: [4])
        file.insert(Matrix<Double>([[1, -1, 0.5, 2], [0, 1, 1, -1]]), named: "2.weight")
        file.insert([0.5, -0.5], named: "2.bias", shape: [2])
        let url = directory.appendingPathComponent(poison ? "nan.safetensors" : "block.safetensors")
        try file.write(to: url)
        return url
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-convert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func jsonOutputOfAnIdentityBlockIsExact() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let weights = try Self.writeBlock(in: directory)
        let saved = directory.appendingPathComponent("approx.safetensors")
        var command = try PolyNetCommand.parseAsRoot(["convert", "--weights", weights.path, "--activation", "identity",
                                                      "--degree", "2", "--explicit", "--json", "--save", saved.path])
        try command.run()
        let file = try SafeTensors(contentsOf: saved)
        #expect(try file.shape(of: "explicit.quadratic") == [2, 3, 3])
        let linear = try file.matrix(named: "explicit.linear", as: Double.self)
        let expected = Matrix<Double>([[1, -1, 0.5, 2], [0, 1, 1, -1]])
            .multiplied(by: Matrix([[1, 0, 2], [0, 1, -1], [0.5, 0.5, 0], [-1, 2, 1]]))
        // The conversion forms (W₂·diag(s))·(diag(1/s)·W₁) (three roundings per term, four
        // units), stored as F64: within γ₇·|W₂||W₁| of the exact W₂W₁.
        expectClose(linear, expected, within: magnitudeProduct(Matrix<Double>([[1, -1, 0.5, 2], [0, 1, 1, -1]]),
                                                               Matrix<Double>([[1, 0, 2], [0, 1, -1], [0.5, 0.5, 0], [-1, 2, 1]]))
                                                .map { gamma(4 + 3, Double.self) * $0 })
        let report = try ConvertCommand.parse(["--weights", weights.path, "--activation", "identity", "--json"])
        _ = report  // Parses without --explicit too.
    }

    /// A GLU or bilinear model written as a PolyNet checkpoint converts: its block computes what
    /// the layer itself computes, with the gate named in the architecture (or sigmoid by
    /// default). Both evaluate W₂·(σ(W₁x + b₁) ⊙ (Vx + c)) + b₂ in Double, each within γ_K
    /// (K = d + n + 12) of |b₂| + |W₂|·((1.13·H + 2|σ(h)|)·L), H = |W₁||x| + |b₁| and
    /// L = |V||x| + |c| (dot products in any order; σ through libm within 8u·(|σ| + |h|),
    /// 1.13 bounding |σ′| for SiLU, sigmoid and the identity), so they differ by twice that.
    @Test(arguments: ["glu(5,4,3,act=silu)", "glu(5,4,3)", "bilinear(5,4,3)"])
    func gatedCheckpointsConvertAndComputeWhatTheLayerComputes(architecture: String) throws {
        var generator = SeededGenerator(seed: 51)
        var model = try Architecture(parsing: architecture).makeModel(as: Double.self, using: &generator)
        let file = Checkpoint(model: model).safeTensors
        let block = try FeedforwardBlock(checkpoint: file)
        #expect(block.activation.name == (architecture.hasPrefix("bilinear") ? "identity" : architecture.contains("silu") ? "silu" : "sigmoid"))
        let inputs = Matrix<Double>.randomNormal(rows: 7, columns: 5, using: &generator)
        expectClose(block(inputs), model(inputs), within: Self.twoEvaluationsBound(block, inputs))
        _ = try PolynomialApproximant(of: block, degree: 2, under: .standard(5))
    }

    static func twoEvaluationsBound(_ block: FeedforwardBlock, _ x: Matrix<Double>) -> Matrix<Double> {
        let branch = block.linearBranch!
        let (d, n) = (block.inputDimension, block.hiddenCount)
        var bound = Matrix<Double>(rows: x.rows, columns: block.outputCount)
        for i in 0 ..< x.rows {
            let units = (0 ..< n).map { k -> Double in
                let h = (0 ..< d).reduce(block.inputBias[k]) { $0 + block.inputWeight[k, $1] * x[i, $1] }
                let hMagnitude = (0 ..< d).reduce(abs(block.inputBias[k])) { $0 + abs(block.inputWeight[k, $1] * x[i, $1]) }
                let lMagnitude = (0 ..< d).reduce(abs(branch.bias[k])) { $0 + abs(branch.weight[k, $1] * x[i, $1]) }
                return (1.13 * hMagnitude + 2 * abs(block.activation.value(h))) * lMagnitude
            }
            for o in 0 ..< block.outputCount {
                let magnitude = (0 ..< n).reduce(abs(block.outputBias[o])) { $0 + abs(block.outputWeight[o, $1]) * units[$1] }
                bound[i, o] = 2 * gamma(d + n + 12, Double.self) * magnitude
            }
        }
        return bound
    }

    /// A Dense–activation–Dense model converts from its layers: the block computes what the
    /// model computes.
    @Test func denseModelsConvertFromTheirLayers() throws {
        var generator = SeededGenerator(seed: 53)
        var model = try Architecture(parsing: "dense(5,4) tanh dense(4,3)").makeModel(as: Double.self, using: &generator)
        let block = try FeedforwardBlock(model: model)
        #expect(block.activation.name == "tanh" && block.hiddenCount == 4 && !block.isGated)
        let inputs = Matrix<Double>.randomNormal(rows: 7, columns: 5, using: &generator)
        expectClose(block(inputs), model(inputs), absolute: 1e-12, relative: 1e-12)
    }

    /// A checkpoint whose training configuration is corrupt is refused, as Checkpoint refuses it;
    /// a file without architecture metadata is pointed to --weights.
    @Test func aCorruptConfigurationIsRefused() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = SeededGenerator(seed: 54)
        let model = try Architecture(parsing: "dense(3,4) relu dense(4,2)").makeModel(as: Float.self, using: &generator)
        var file = Checkpoint(model: model).safeTensors
        file.metadata[CheckpointMetadata.configuration] = "{\"dataset\": 3"
        let url = directory.appendingPathComponent("corrupt.safetensors")
        try file.write(to: url)
        #expect(message(["convert", "--checkpoint", url.path, "--dataset", "none"])
                .contains("'polynet.config' metadata is not a training configuration"))
        let plain = try Self.writeBlock(in: directory)
        #expect(message(["convert", "--checkpoint", plain.path, "--dataset", "none"])
                .contains("has no 'polynet.arch' metadata; for files written elsewhere use polynet convert --weights"))
    }

    /// A deeper MLP is no single block (it converts as a `FeedforwardNetwork`); other
    /// architectures are refused with the forms convert takes.
    @Test func otherArchitecturesAreRefusedByName() throws {
        var generator = SeededGenerator(seed: 52)
        let model = try Architecture(parsing: "dense(5,4) relu dense(4,4) relu dense(4,3)").makeModel(as: Double.self, using: &generator)
        #expect {
            try FeedforwardBlock(checkpoint: Checkpoint(model: model).safeTensors)
        } throws: { "\($0)".contains("has 2 blocks") }
        let other = try Architecture(parsing: "dense(5,4) relu relu dense(4,3)").makeModel(as: Double.self, using: &generator)
        #expect {
            try FeedforwardBlock(checkpoint: Checkpoint(model: other).safeTensors)
        } throws: { "\($0)".contains("glu(d,n,o,act=…)") }
    }

    @Test func badInputGivesClearErrors() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let weights = try Self.writeBlock(in: directory)
        let poisoned = try Self.writeBlock(in: directory, poison: true)
        let covariance = directory.appendingPathComponent("bad.json")
        try Data("{\"mean\": [0, 0, 0], \"covariance\": [[1, 0.5, 0], [0, 1, 0], [0, 0, 1]]}".utf8).write(to: covariance)
        let cases: [([String], String)] = [
            (["--weights", poisoned.path, "--activation", "relu"], "NaN"),
            (["--weights", weights.path, "--activation", "relu", "--keys", "input.weight=fc1.weight"], "fc1.weight"),
            (["--weights", weights.path, "--activation", "relu", "--distribution", covariance.path], "not symmetric"),
            (["--weights", weights.path, "--activation", "swoosh"], "unknown activation"),
        ]
        for (arguments, fragment) in cases {
            var command = try PolyNetCommand.parseAsRoot(["convert"] + arguments + ["--dataset", "none"])
            #expect { try command.run() } throws: { PolyNetCommand.message(for: $0).contains(fragment) }
        }
        #expect(throws: (any Error).self) {
            try PolyNetCommand.parseAsRoot(["convert", "--weights", weights.path, "--activation", "relu", "--degree", "3", "--explicit"])
        }
        #expect(throws: (any Error).self) { try PolyNetCommand.parseAsRoot(["convert", "--weights", weights.path]) }
        #expect(throws: (any Error).self) {
            try PolyNetCommand.parseAsRoot(["convert", "--weights", weights.path, "--checkpoint", weights.path, "--activation", "relu"])
        }
    }

    /// Output paths and limits are checked before any work; a degree-0 conversion labels its
    /// row degree 0; a distribution file that is a folder or a FIFO says so.
    @Test func outputsAndLimitsAreCheckedFirst() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let weights = try Self.writeBlock(in: directory).path
        let base = ["convert", "--weights", weights, "--activation", "relu", "--dataset", "none"]
        #expect(message(base + ["--save", ""]) == "--save: an empty path was given")
        #expect(message(base + ["--save", directory.path]) == "--save: \(directory.path) is a directory, not a regular file")
        #expect(message(base + ["--save", "/dev/full"]) == "--save: /dev/full is a character device, not a regular file")
        #expect(message(base + ["--save", directory.path + "/no/x.safetensors"])
                == "--save: cannot write \(directory.path)/no/x.safetensors: its folder does not exist")
        #expect(message(base + ["--explicit-limit=-5"]) == "--explicit-limit must be zero or more, got -5")
        #expect(message(base + ["--truncation", "1001"]) == "--truncation must be in 1...1000, got 1001")
        #expect(message(base + ["--truncation", "9223372036854775807"]).hasPrefix("--truncation must be in 1...1000"))
        let fifo = directory.appendingPathComponent("dist.json").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(message(base + ["--distribution", fifo]).contains("it is a FIFO, not a regular file"))
        #expect(message(base + ["--distribution", directory.path]).contains("is a directory"))

        let block = try FeedforwardBlock(safeTensors: SafeTensors(contentsOf: URL(fileURLWithPath: weights)),
                                         keys: .sequential, activation: .relu)
        let constant = try PolynomialApproximant(of: block, degree: 0, under: .standard(3))
        let summary = ConvertReport(approximant: constant, variance: try constant.gaussianVariance(), explicit: nil,
                                    distributionName: "standard").summary
        #expect(summary.contains("degree ≤ 0 ") && !summary.contains("degree ≤ 1 "))
    }
}
