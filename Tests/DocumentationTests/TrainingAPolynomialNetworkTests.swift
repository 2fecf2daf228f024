import Foundation
import PolyNet
import Testing

/// The code of the article "Training a polynomial network" (TrainingAPolynomialNetwork.md).
@Suite("Article: Training a polynomial network")
struct TrainingAPolynomialNetworkTests {
    @Test func architectureLanguage() throws {
        let architecture = try Architecture(parsing: "poly(784,16,deg=2,basis=chebyshev) layernorm(16) poly(16,10,deg=2)")
        let parameterCount = try architecture.parameterCount()
        var generator = SeededGenerator(seed: 0)
        var model: Sequential<Float> = try architecture.makeModel(using: &generator)
        let names = model.parameterInfo.map(\.name)  // "0.weight", "0.bias", …: nn.Sequential state_dict names
        let scores = model(Matrix<Float>(rows: 2, columns: 784))  // 2 images in, 2×10 scores out
        #expect(parameterCount == model.parameterInfo.reduce(0) { $0 + $1.shape.reduce(1, *) })
        #expect(names.first?.hasPrefix("0.") == true)
        #expect(scores.rows == 2 && scores.columns == 10)
    }

    @Test func trainResumeAndReload() throws {
        let images = try MNIST.load(.test, from: try DataLocator.mnistDirectory(dataDirectory: nil))
        func slice(_ range: Range<Int>) throws -> LabeledImages {
            try LabeledImages(images: images.images.rows(range), labels: Array(images.labels[range]),
                              classCount: images.classCount, imageRows: images.imageRows,
                              imageColumns: images.imageColumns)
        }
        let training = try slice(0 ..< 300), test = try slice(9_800 ..< 10_000)
        let run = DocumentationData.temporaryDirectory("poly-run")
        defer { try? FileManager.default.removeItem(at: run) }

        var configuration = TrainingConfiguration(architecture: "poly(784,16,deg=2) layernorm(16) poly(16,10,deg=2)")
        configuration.epochs = 1
        configuration.batchSize = 10
        configuration.optimizer = .adam
        configuration.learningRate = 3e-3
        configuration.checkpointSteps = [0, 10]
        var trainer = try Trainer(configuration: configuration, training: training, test: test)
        let history = try trainer.run(outputDirectory: run) { event in
            if case let .epoch(metrics) = event { print("epoch", metrics.epoch, "test accuracy", metrics.testAccuracy) }
        }

        // Resume: raise the epoch count of the saved state and continue where it stopped.
        var state = try TrainingState<Float>(runDirectory: run)
        state.configuration.epochs = 2
        var resumed = try Trainer(resuming: state, training: training, test: test)
        try resumed.run(outputDirectory: run)

        // Any checkpoint reloads to typed layers, with the architecture and configuration it was trained with.
        let checkpoint = try Checkpoint<Float>(contentsOf: run.appendingPathComponent(RunDirectory.modelFileName))
        var model = checkpoint.model
        let (loss, accuracy) = try Trainer.evaluate(&model, on: test)
        print(checkpoint.configuration!.architecture, checkpoint.epoch!, loss, accuracy)

        #expect(history.count == 1 && resumed.completedEpochs == 2)
        #expect(checkpoint.epoch == 2 && accuracy > 0.15)  // chance is 0.1; seeded run: 0.26
        for name in ["metrics.jsonl", "epoch-1.safetensors", "epoch-2.safetensors", "step-0.safetensors",
                     "step-10.safetensors", "training-state.safetensors", "model.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(name).path), "\(name)")
        }
    }

    @Test func pyTorchInterop() throws {
        let run = try DocumentationData.reluRun.get()
        let checkpoint = try Checkpoint<Float>(contentsOf: run.appendingPathComponent(RunDirectory.modelFileName))
        // A checkpoint is a safetensors file with PyTorch state_dict names and the run in its metadata.
        let file = try SafeTensors(contentsOf: run.appendingPathComponent(RunDirectory.modelFileName))
        let firstWeight: Matrix<Float> = try file.matrix(named: "0.weight")  // [out, in] = 32×784

        // Weights trained in PyTorch come in the same way: tensors named as PolyNet's layers name
        // them, and the architecture given because PyTorch writes no `polynet.arch` metadata.
        var fromPyTorch = SafeTensors()
        for (info, value) in zip(checkpoint.model.parameterInfo, checkpoint.model.parameters) {
            fromPyTorch.insert(value.value, named: info.name, shape: info.shape)  // e.g. torch's state_dict()
        }
        let imported = try Checkpoint<Float>(fromPyTorch, architecture: "dense(784,32) relu dense(32,10)")
        #expect(file.names.sorted() == ["0.bias", "0.weight", "2.bias", "2.weight"])
        #expect(firstWeight.rows == 32 && firstWeight.columns == 784)
        #expect(imported.model.parameters.map(\.value) == checkpoint.model.parameters.map(\.value))
    }
}
