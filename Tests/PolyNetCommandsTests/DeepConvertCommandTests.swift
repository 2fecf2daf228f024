import Foundation
import LinearAlgebra
import NeuralNetworks
import PolynomialConversion
import Testing
import Training
@testable import PolyNetCommands

/// `polynet convert` and `polynet explain --block` on an MLP of two blocks.
@Suite("polynet convert and explain on deep MLPs")
struct DeepConvertCommandTests {
    /// A random `dense(784,12) relu dense(12,8) relu dense(8,10)` checkpoint in a fresh directory.
    static func writeDeepCheckpoint() throws -> URL {
        let directory = try ConvertCommandTests.temporaryDirectory()
        var generator = SeededGenerator(seed: 130)
        let model = try Architecture(parsing: "dense(784,12) relu dense(12,8) relu dense(8,10)").makeModel(as: Float.self, using: &generator)
        let url = directory.appendingPathComponent("deep.safetensors")
        try Checkpoint(model: model).safeTensors.write(to: url)
        return url
    }

    @Test func convertRunsEveryBlockUnderItsOwnGaussian() throws {
        let checkpoint = try Self.writeDeepCheckpoint()
        defer { try? FileManager.default.removeItem(at: checkpoint.deletingLastPathComponent()) }
        let base = ["convert", "--checkpoint", checkpoint.path, "--test-limit", "300"]
        #expect(message(base).contains("a network of 2 blocks is converted under each block's own Gaussian"))
        #expect(message(base + ["--distribution", "data", "--explicit"]).contains("--explicit and --save write one block's polynomial"))
        #expect(message(base + ["--distribution", "data"]) == "")
        #expect(message(base + ["--distribution", "data", "--json", "--degree", "1"]) == "")
    }

    /// The report's table and JSON carry one entry per block with R² at every degree.
    @Test func theReportHasOneRowPerBlock() throws {
        var generator = SeededGenerator(seed: 131)
        let model = try Architecture(parsing: "dense(6,5) gelu dense(5,4) tanh dense(4,3)").makeModel(as: Double.self, using: &generator)
        let network = try FeedforwardNetwork(model: model)
        let training = Matrix<Double>.randomNormal(rows: 400, columns: 6, using: &generator)
        let test = Matrix<Double>.randomNormal(rows: 100, columns: 6, using: &generator)
        let conversion = try NetworkConversion(network: network, degree: 2, training: training,
                                               test: (test, (0 ..< 100).map { $0 % 3 }))
        let report = NetworkConvertReport(conversion: conversion, dataset: "random", testCount: 100)
        let summary = report.summary
        #expect(summary.contains("network: 6 → 5 → 4 → 3, 2 blocks") && summary.contains("6 → 5 → 4") && summary.contains("5 → 4 → 3"))
        #expect(summary.contains("every block replaced"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.jsonText().utf8)) as? [String: Any])
        let blocks = try #require(object["blocks"] as? [[String: Any]])
        #expect(blocks.count == 2)
        for block in blocks {
            #expect((block["r2_pooled_gaussian_by_degree"] as? [Double])?.count == 2)
            #expect((block["r2_pooled_data_by_degree"] as? [Double])?.count == 2)
            #expect(block["accuracy_block_replaced"] is Double)
        }
        #expect((object["accuracy"] as? [String: Double])?.keys.sorted() == ["all_replaced", "model"])
    }

    @Test func explainStudiesTheBlockItIsGiven() throws {
        let checkpoint = try Self.writeDeepCheckpoint()
        let directory = checkpoint.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("figures")
        let base = ["explain", "eigen", "--checkpoint", checkpoint.path, "--samples", "200", "--out", out.path]
        #expect(message(base).contains("the model has 2 blocks"))
        #expect(message(base).contains("pick one with --block 1…2"))
        #expect(message(base + ["--block", "3"]).contains("--block 3: the model has 2 blocks"))
        #expect(message(["explain", "svd-attack", "--checkpoint", checkpoint.path, "--samples", "200", "--out", out.path,
                         "--block", "1", "--distribution", "standard"]).contains("use the last block, --block 2"))
        #expect(message(base + ["--block", "2"]) == "")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("eigenvectors.png").path))
        #expect(message(base + ["--block", "1", "--distribution", "standard", "--top", "1"]) == "")
    }
}
