import ArgumentParser
import Datasets
import Foundation
import LinearAlgebra
import NeuralNetworks
import Polynomialization
import Training

/// `polynet eval`: test-set loss and accuracy of a checkpoint.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a checkpoint (a .safetensors file, a run directory or a polyize export) on the test set.")

    @Option(help: "A .safetensors file, a run directory (its model.safetensors, else its latest epoch-K), or a polyize --out folder (its polynomial.safetensors).")
    var checkpoint: String

    @Option(help: "The architecture, for files without polynet.arch metadata (e.g. written by PyTorch).")
    var arch: String?

    @Option(help: "The data set: \(datasetChoices()) (default: the one the checkpoint was trained on).")
    var dataset: String?

    @Option(help: "Directory holding the data set's IDX files.")
    var dataDir: String?

    @Option(help: "Use only the first N test examples.")
    var limit: Int?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
        if checkpoint.isEmpty { throw ValidationError("--checkpoint needs a file or run directory path, got an empty string") }
    }

    func run() throws {
        BLASRuntime.warmUp()
        let url = try Self.resolve(checkpoint)
        let loaded = try Checkpoint<Float>(contentsOf: url, architecture: arch, registry: .polynomialNetworks)
        let name = dataset ?? loaded.configuration?.dataset ?? Dataset.mnist.name
        var test = try MNIST.load(.test, from: try DataLocator.directory(for: name, dataDirectory: dataDir))
        if let limit { test = test.prefix(limit) }
        var model = loaded.model
        let widths: [Int]
        do {
            widths = try model.widths(forInputWidth: test.images.columns)
        } catch {
            throw TrainingError.invalidConfiguration("the model in \(url.path) does not fit \(name) images (\(test.images.columns) pixels): \(error)")
        }
        guard widths.last == test.classCount else {
            throw TrainingError.invalidConfiguration("the model in \(url.path) gives \(widths.last ?? test.images.columns) outputs but \(name) has \(test.classCount) classes")
        }
        let (loss, accuracy): (Double, Double)
        do {
            (loss, accuracy) = try Trainer.evaluate(&model, on: test, loss: loaded.configuration?.loss ?? .crossEntropy)
        } catch {
            throw TrainingError.invalidConfiguration("\(url.path): \(error) on \(name) test images; its loss and accuracy are undefined")
        }
        print("\(url.path): \(model.specification), \(model.parameterCount) parameters"
              + (loaded.epoch.map { ", epoch \($0)" } ?? "") + (loaded.step.map { ", step \($0)" } ?? ""))
        print("\(name) test (\(test.count) images): loss \(String(format: "%.4f", loss)), accuracy \(accuracyPercent(accuracy))")
    }

    /// The file `path` names: as every command resolves it, else, for a folder `polyize --out`
    /// wrote, its polynomial network.
    static func resolve(_ path: String) throws -> URL {
        do {
            return try resolveCheckpoint(path)
        } catch {
            let exported = URL(fileURLWithPath: path).appendingPathComponent(PolynomialNetwork.checkpointFileName)
            guard FileManager.default.fileExists(atPath: exported.path) else { throw error }
            return exported
        }
    }
}
