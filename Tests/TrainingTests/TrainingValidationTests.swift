import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks
import Testing
@testable import Training

/// Every training setting is range-checked with a typed error naming the option and value,
/// also when it comes back from an edited file, and nothing traps on extreme values.
struct TrainingValidationTests {
    static func outOfRange(_ edit: (inout TrainingConfiguration) -> Void) -> String? {
        var configuration = TrainingConfiguration(architecture: "dense(784,10)")
        edit(&configuration)
        do {
            try configuration.validate()
            return nil
        } catch let TrainingError.outOfRange(setting, _, _) {
            return setting.description
        } catch {
            return "untyped \(error)"
        }
    }

    @Test func extremeValuesAreRefusedByOption() {
        let cases: [(String, (inout TrainingConfiguration) -> Void)] = [
            ("epochs", { $0.epochs = 0 }), ("epochs", { $0.epochs = .max }), ("epochs", { $0.epochs = -1 }),
            ("batch size", { $0.batchSize = 0 }), ("batch size", { $0.batchSize = .min }),
            ("learning rate", { $0.learningRate = 0 }), ("learning rate", { $0.learningRate = .nan }),
            ("learning rate", { $0.learningRate = .infinity }), ("learning rate", { $0.learningRate = 1e308 }),
            ("learning rate", { $0.learningRate = 1e-308 }), ("learning rate", { $0.learningRate = -1 }),
            ("momentum", { $0.momentum = 1 }), ("momentum", { $0.momentum = -1 }), ("momentum", { $0.momentum = .nan }),
            ("weight decay", { $0.weightDecay = -1 }), ("weight decay", { $0.weightDecay = .nan }),
            ("weight decay", { $0.weightDecay = 1e308 }), ("weight decay", { $0.weightDecay = .infinity }),
            ("clip norm", { $0.clipNorm = 1e-300 }), ("clip norm", { $0.clipNorm = 0 }), ("clip norm", { $0.clipNorm = .nan }),
            ("clip norm", { $0.clipNorm = 1e308 }), ("clip norm", { $0.clipNorm = -1 }),
            ("schedule", { $0.schedule = .step(epochs: 0, factor: 0.5) }), ("schedule", { $0.schedule = .step(epochs: 1, factor: .nan) }),
            ("checkpoint steps", { $0.checkpointSteps = [-1] }),
            ("training limit", { $0.trainingLimit = 0 }), ("test limit", { $0.testLimit = -1 }),
        ]
        for (option, edit) in cases {
            #expect(Self.outOfRange(edit) == option)
        }
        // The extremes that are fine: the smallest normal Float, Int.max batches and limits, any seed.
        let fine: [(inout TrainingConfiguration) -> Void] = [
            { $0.clipNorm = Double(Float.leastNormalMagnitude) }, { $0.learningRate = 3e38 }, { $0.batchSize = .max },
            { $0.trainingLimit = .max }, { $0.seed = .max }, { $0.epochs = TrainingConfiguration.maximumEpochs },
            { $0.schedule = .step(epochs: .max, factor: 1e-300) }, { $0.weightDecay = 0 }, { $0.momentum = 0 },
        ]
        for edit in fine { #expect(Self.outOfRange(edit) == nil) }
        #expect(TrainingError.outOfRange(setting: .clipNorm, value: "1e-300", requirement: "positive").description
                == "clip norm 1e-300 is out of range: it must be positive")
        #expect(LearningRateSchedule(parsing: "step:0:0") == nil && LearningRateSchedule(parsing: "step:-1:nan") == nil)
    }

    /// A clip norm of 1e-300 (0 as a Float) edited into a saved state is refused on resume
    /// instead of trapping in the clipping precondition.
    @Test func tamperedStateIsValidatedOnResume() throws {
        let (train, test) = try TrainerTests.data()
        let (directory, saved) = try TrainingStateErrorTests.savedRun()
        try? FileManager.default.removeItem(at: directory)
        var state = saved
        state.configuration.epochs = 2
        state.configuration.clipNorm = 1e-300
        let file = try state.safeTensors()
        let reloaded = try TrainingState<Float>(SafeTensors(decoding: file.encoded()))
        #expect(throws: TrainingError.outOfRange(setting: .clipNorm, value: "1e-300",
                                                 requirement: "a positive number representable as a normal Float (1.1754944e-38 to 3.4028235e+38)")) {
            try Trainer(resuming: reloaded, training: train, test: test)
        }
    }

    /// A batch size of Int.max trains as one batch of the whole set; a step schedule of
    /// Int.max epochs never steps (both used to overflow).
    @Test func hugeBatchAndSchedulePeriodsDoNotOverflow() throws {
        let (train, test) = try TrainerTests.data()
        var configuration = RunDirectoryTests.configuration()
        configuration.batchSize = .max
        configuration.schedule = .step(epochs: .max, factor: 0.5)
        var trainer = try Trainer(configuration: configuration, training: train, test: test)
        let history = try trainer.run()
        #expect(history.map(\.step) == [1] && history.map(\.learningRate) == [configuration.learningRate])
        #expect(LearningRateSchedule.step(epochs: .max, factor: 0.5).factor(step: 10, stepsPerEpoch: 2, totalSteps: 20) == 1)
    }

    /// Metadata that declares a huge layer beside small tensors is refused by shape before the
    /// model is built (building it would try to allocate 78.4 billion Floats); a malformed
    /// architecture names the file; a training state says how to use it.
    @Test func checkpointMetadataIsCheckedBeforeBuilding() throws {
        var generator = SeededGenerator(seed: 0)
        let model: Sequential<Float> = try Architecture(parsing: "dense(784,10)").makeModel(using: &generator)
        var huge = Checkpoint(model: model).safeTensors
        huge.metadata[CheckpointMetadata.architecture] = "dense(784,100000000)"
        #expect(throws: CheckpointError.tensors(source: "f.safetensors",
                                                problem: "tensor '0.weight' has shape [10, 784]; 'dense(784,100000000)' needs [100000000, 784]")) {
            try Checkpoint<Float>(huge, source: "f.safetensors")
        }
        huge.metadata[CheckpointMetadata.architecture] = "dense(784,9223372036854775807)"
        #expect(throws: CheckpointError.self) { try Checkpoint<Float>(huge, source: "f.safetensors") }
        var malformed = huge
        malformed.metadata[CheckpointMetadata.architecture] = "dense(784,10"
        #expect(throws: CheckpointError.badArchitecture(source: "f.safetensors", architecture: "dense(784,10",
                                                        reason: "missing ')' after the arguments of 'dense'")) {
            try Checkpoint<Float>(malformed, source: "f.safetensors")
        }
        var state = huge
        state.metadata[TrainingState<Float>.metadataKey] = "{}"
        #expect(throws: CheckpointError.trainingState(source: "runs/a/training-state.safetensors")) {
            try Checkpoint<Float>(state, source: "runs/a/training-state.safetensors")
        }
        #expect(CheckpointError.trainingState(source: "runs/a/training-state.safetensors").description.hasSuffix("resume the run in runs/a"))
    }

    /// Huge finite weights make the outputs infinite: evaluation names the first layer
    /// instead of reporting a NaN loss.
    @Test func nonFiniteOutputsNameTheLayer() throws {
        let (_, test) = try TrainerTests.data()
        var model = Sequential<Float>([Dense(weight: Matrix(rows: 10, columns: 784, repeating: 3e38), bias: Matrix(rows: 1, columns: 10)),
                                       ActivationLayer(.relu)])
        #expect(throws: ModelError.nonFiniteOutput(layer: 0, specification: "dense(784,10)")) {
            _ = try Trainer.evaluate(&model, on: test.prefix(50))
        }
    }
}
