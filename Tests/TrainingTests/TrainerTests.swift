import Datasets
import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks
import Testing
@testable import Training

/// Short runs on MNIST slices (bundled data): each takes well under a second.
struct TrainerTests {
    /// MNIST's test file only (10k images load much faster than the 60k training file in a
    /// debug build): images 0..<2000 train, 8000..<8500 evaluate.
    static let slices = Result { () throws -> (train: LabeledImages, test: LabeledImages) in
        let all = try MNIST.load(.test, from: try DataLocator.mnistDirectory(dataDirectory: nil))
        func slice(_ range: Range<Int>) throws -> LabeledImages {
            try LabeledImages(images: all.images.rows(range), labels: Array(all.labels[range]), classCount: all.classCount,
                              imageRows: all.imageRows, imageColumns: all.imageColumns)
        }
        return (try slice(0 ..< 2000), try slice(8000 ..< 8500))
    }

    static func data() throws -> (train: LabeledImages, test: LabeledImages) { try slices.get() }

    static func configuration(_ architecture: String = "seed001-poly") -> TrainingConfiguration {
        var configuration = TrainingConfiguration(architecture: architecture)
        configuration.epochs = 2
        configuration.batchSize = 50
        configuration.seed = 1
        return configuration
    }

    /// Two epochs on 2,000 images must beat chance (10%) by far; 70% is a loose floor that a
    /// broken gradient or optimizer cannot reach, while the model reaches about 85–90%.
    @Test(arguments: ["seed001-poly", "seed001-linear"])
    func learnsMNISTSlice(_ architecture: String) throws {
        let (train, test) = try Self.data()
        var trainer = try Trainer(configuration: Self.configuration(architecture), training: train, test: test)
        let history = try trainer.run()
        #expect(history.count == 2)
        #expect(history[1].testAccuracy > 0.7, "\(history)")
        #expect(history[1].trainLoss < history[0].trainLoss)
    }

    /// The same seed gives bit-identical parameters; another seed does not.
    @Test func seedsReproduce() throws {
        let (train, test) = try Self.data()
        var configuration = Self.configuration("dense(784,10)")
        configuration.epochs = 1
        var a = try Trainer(configuration: configuration, training: train, test: test)
        var b = try Trainer(configuration: configuration, training: train, test: test)
        configuration.seed = 2
        var c = try Trainer(configuration: configuration, training: train, test: test)
        try a.run(); try b.run(); try c.run()
        #expect(a.model.parameters.map(\.value) == b.model.parameters.map(\.value))
        #expect(a.model.parameters.map(\.value) != c.model.parameters.map(\.value))
    }

    /// The run directory holds metrics, epoch, step and final checkpoints, and the final one
    /// reloads to the trained model.
    @Test func writesRunDirectory() throws {
        let (train, test) = try Self.data()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-trainer-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = Self.configuration("dense(784,10)")
        configuration.checkpointSteps = [0, 1, 2, 4]
        var trainer = try Trainer(configuration: configuration, training: train, test: test)
        try trainer.run(outputDirectory: directory)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(Set(files) == ["metrics.jsonl", "step-0.safetensors", "step-1.safetensors", "step-2.safetensors",
                               "step-4.safetensors", "epoch-1.safetensors", "epoch-2.safetensors", "model.safetensors",
                               "training-state.safetensors", ".lock"])
        let lines = try String(contentsOf: directory.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        for key in ["epoch", "step", "train_loss", "test_loss", "test_accuracy", "samples_per_second"] {
            #expect(first?[key] != nil, "metrics.jsonl lacks \(key)")
        }
        #expect(first?["step"] as? Int == 40)
        let final = try Checkpoint<Float>(contentsOf: directory.appendingPathComponent("model.safetensors"))
        #expect(final.model.parameters.map(\.value) == trainer.model.parameters.map(\.value))
        #expect(final.step == 80 && final.configuration == configuration)
        let step1 = try Checkpoint<Float>(contentsOf: directory.appendingPathComponent("step-1.safetensors"))
        #expect(step1.step == 1 && step1.model.parameters.map(\.value) != final.model.parameters.map(\.value))
    }

    /// A learning rate of 1e30 overflows at once: training stops naming the step and a layer,
    /// keeps the checkpoints written so far and writes no final model.
    @Test func divergenceStopsWithStepAndLayer() throws {
        let (train, test) = try Self.data()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-diverge-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = Self.configuration()
        configuration.learningRate = 1e30
        configuration.optimizer = .sgd
        configuration.checkpointSteps = [0]
        var trainer = try Trainer(configuration: configuration, training: train, test: test)
        do {
            try trainer.run(outputDirectory: directory)
            Issue.record("training with learning rate 1e30 did not diverge")
        } catch let TrainingError.diverged(step, _, place, checkpoint) {
            #expect(step >= 2 && step <= 5)
            #expect(place.contains("layer"))
            #expect(checkpoint?.hasSuffix("step-0.safetensors") == true)
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("model.safetensors").path))
        }
    }

    @Test func badConfigurationsThrow() throws {
        let (train, test) = try Self.data()
        var configuration = Self.configuration("dense(100,10)")
        #expect(throws: TrainingError.self) { try Trainer(configuration: configuration, training: train, test: test) }
        configuration = Self.configuration("dense(784,7)")
        #expect(throws: TrainingError.self) { try Trainer(configuration: configuration, training: train, test: test) }
        configuration = Self.configuration()
        configuration.batchSize = 0
        #expect(throws: TrainingError.self) { try Trainer(configuration: configuration, training: train, test: test) }
    }
}
