import Datasets
import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks
import Testing
@testable import Training

/// Resuming a run from `training-state.safetensors`. The reference is always the same run
/// trained without a stop: training is deterministic (seeded shuffles, one BLAS thread for
/// these small steps, Float state saved as F32), so a resumed run must match it bit for bit
/// (tolerance 0: any difference means some state was lost or restored wrong).
struct ResumeTests {
    /// One optimizer setting to resume.
    struct Case: Sendable, CustomTestStringConvertible {
        var optimizer: TrainingConfiguration.OptimizerName
        var schedule: LearningRateSchedule
        var clipNorm: Double?
        var testDescription: String { "\(optimizer) \(schedule)\(clipNorm.map { " clip \($0)" } ?? "")" }
    }

    /// A small polynomial model (poly, layernorm, poly) on 600 images: 12 steps per epoch.
    static func configuration(_ setting: Case = Case(optimizer: .adam, schedule: .constant)) -> TrainingConfiguration {
        var configuration = TrainerTests.configuration("poly(784,8,deg=2) layernorm(8) poly(8,10,deg=2)")
        configuration.optimizer = setting.optimizer
        configuration.schedule = setting.schedule
        configuration.clipNorm = setting.clipNorm
        configuration.trainingLimit = 600
        configuration.testLimit = 200
        return configuration
    }

    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("polynet-resume-\(UUID())")
    }

    static func metrics(in directory: URL) throws -> [EpochMetrics] {
        try String(contentsOf: directory.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONDecoder().decode(EpochMetrics.self, from: Data($0.utf8)) }
    }

    /// Metrics without the timing, which differs between runs.
    static func untimed(_ metrics: EpochMetrics) -> EpochMetrics {
        var copy = metrics
        copy.samplesPerSecond = 0
        return copy
    }

    /// A run killed during epoch 2, just after logging a metrics line for it but before its
    /// state was written, resumes to the same weights, moments, shuffler and metrics as the
    /// run that never stopped. The cosine case checks the schedule's position (its total
    /// stays 2 epochs), the step case a rate that changes at the epoch boundary, SGD its
    /// momentum buffers, AdamW the decoupled decay.
    @Test(arguments: [Case(optimizer: .adam, schedule: .cosine),
                      Case(optimizer: .sgd, schedule: .step(epochs: 1, factor: 0.5), clipNorm: 1),
                      Case(optimizer: .adamw, schedule: .constant)])
    func resumeAfterKillMatchesStraightRun(_ setting: Case) throws {
        let (train, test) = try TrainerTests.data()
        let (straightDirectory, killedDirectory) = (Self.temporaryDirectory(), Self.temporaryDirectory())
        defer { for url in [straightDirectory, killedDirectory] { try? FileManager.default.removeItem(at: url) } }
        var straight = try Trainer(configuration: Self.configuration(setting), training: train, test: test)
        var copied = false
        let history = try straight.run(outputDirectory: straightDirectory) { event in
            if case let .step(progress) = event, progress.epoch == 2, !copied {
                copied = true  // the run directory as a kill during epoch 2 leaves it
                try? FileManager.default.copyItem(at: straightDirectory, to: killedDirectory)
            }
        }
        try #require(copied)
        let metricsURL = killedDirectory.appendingPathComponent("metrics.jsonl")
        let lines = try String(contentsOf: straightDirectory.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        try Data(lines.utf8).write(to: metricsURL)  // epoch 2 logged, its state not yet written

        let state = try TrainingState<Float>(runDirectory: killedDirectory)
        #expect(state.epoch == 1 && state.step == 12)
        var resumed = try Trainer(resuming: state, training: train, test: test)
        let rest = try resumed.run(outputDirectory: killedDirectory)
        #expect(resumed.model.parameters.map(\.value) == straight.model.parameters.map(\.value))
        #expect(resumed.state.optimizer == straight.state.optimizer)
        #expect(resumed.state.shuffler.state == straight.state.shuffler.state)
        #expect(rest.map(Self.untimed) == [Self.untimed(history[1])])
        #expect(try Self.metrics(in: killedDirectory).map(Self.untimed) == history.map(Self.untimed))
    }

    /// `--epochs` raised on a finished run: 1 epoch then 1 more equals 2 epochs straight
    /// (constant rate, so the planned total does not enter the schedule).
    @Test func extendingARunMatchesALongerRun() throws {
        let (train, test) = try TrainerTests.data()
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var straight = try Trainer(configuration: Self.configuration(), training: train, test: test)
        let history = try straight.run()
        var short = Self.configuration()
        short.epochs = 1
        var first = try Trainer(configuration: short, training: train, test: test)
        try first.run(outputDirectory: directory)
        var state = try TrainingState<Float>(runDirectory: directory)
        #expect(throws: TrainingStateError.finished(directory: "the saved state", epochs: 1)) {
            try Trainer(resuming: state, training: train, test: test)
        }
        state.configuration.epochs = 2
        var resumed = try Trainer(resuming: state, training: train, test: test)
        let rest = try resumed.run(outputDirectory: directory)
        #expect(resumed.model.parameters.map(\.value) == straight.model.parameters.map(\.value))
        #expect(rest.last?.testAccuracy == history.last?.testAccuracy)
        let saved = try Checkpoint<Float>(contentsOf: directory.appendingPathComponent("model.safetensors"))
        #expect(saved.model.parameters.map(\.value) == straight.model.parameters.map(\.value))
        #expect(saved.epoch == 2 && saved.step == 24)
        #expect(try Self.metrics(in: directory).map(\.epoch) == [1, 2])
    }

    /// A trained Adam state survives the file bytes unchanged, with PyTorch's slot names and
    /// the parameters' shapes.
    @Test func trainingStateRoundTripsBitForBit() throws {
        let (train, test) = try TrainerTests.data()
        var configuration = Self.configuration()
        configuration.epochs = 1
        var trainer = try Trainer(configuration: configuration, training: train, test: test)
        try trainer.run()
        let state = trainer.state
        #expect(state.optimizer.stepCount == 12 && state.step == 12 && state.epoch == 1)
        let file = try SafeTensors(decoding: state.safeTensors().encoded())
        #expect(try file.shape(of: "optimizer.exp_avg.0.weight") == [8, 784, 3])
        #expect(try file.shape(of: "optimizer.exp_avg_sq.1.bias") == [8])
        let back = try TrainingState<Float>(file)
        #expect(back.model.parameters.map(\.value) == state.model.parameters.map(\.value))
        #expect(back.optimizer == state.optimizer)
        #expect(back.shuffler.state == state.shuffler.state)
        #expect(back.configuration == state.configuration)
        #expect((back.epoch, back.step, back.trainingExamples) == (1, 12, 600))
    }

    /// Optimizers restored from a state continue exactly as the uninterrupted optimizer does.
    @Test func restoredOptimizersContinueExactly() throws {
        let gradients: [[Double]] = [[0.5, -2, 0.1], [-1, 0.3, 0.2], [0.7, 0.7, -0.4]]
        func run<O: Optimizer<Double>>(_ make: () throws -> O) throws {
            var straight = OptimizerTests.probe([1, 2, 3], gradient: gradients[0])
            var optimizer = try make()
            for gradient in gradients {
                straight.gradient = Matrix([gradient])
                optimizer.update(&straight, learningRate: 0.01)
            }
            var resumed = OptimizerTests.probe([1, 2, 3], gradient: gradients[0])
            var first = try make()
            first.update(&resumed, learningRate: 0.01)
            var second = try make()
            try second.restore(first.state, for: &resumed)
            for gradient in gradients.dropFirst() {
                resumed.gradient = Matrix([gradient])
                second.update(&resumed, learningRate: 0.01)
            }
            #expect(resumed.value == straight.value, "\(O.self)")
            #expect(second.state == optimizer.state, "\(O.self)")
        }
        try run { try Adam<Double>() }
        try run { try Adam<Double>.adamW(weightDecay: 0.1) }
        try run { try SGD<Double>(momentum: 0.9, weightDecay: 0.01) }
    }

    /// Saved optimizer states that do not fit throw `OptimizerError`.
    @Test func mismatchedOptimizerStatesThrow() throws {
        var model = OptimizerTests.probe([1, 2, 3], gradient: [0.5, -2, 0.1])
        var adam = try Adam<Double>()
        var sgd = try SGD<Double>(momentum: 0.9)
        sgd.update(&model, learningRate: 0.1)
        #expect(throws: OptimizerError.self) { try adam.restore(sgd.state, for: &model) }
        var wrongShape = OptimizerState<Double>(stepCount: 1, buffers: ["exp_avg": [Matrix([[0.0, 0]])], "exp_avg_sq": [Matrix([[0.0, 0]])]])
        #expect(throws: OptimizerError.self) { try adam.restore(wrongShape, for: &model) }
        wrongShape.buffers = ["exp_avg": [Matrix([[0.0, 0, 0]])], "exp_avg_sq": [Matrix([[0.0, 0, 0]])]]
        wrongShape.stepCount = 0  // moments without a step
        #expect(throws: OptimizerError.self) { try adam.restore(wrongShape, for: &model) }
        let infinite = OptimizerState<Double>(buffers: ["momentum_buffer": [Matrix([[0.0, .infinity, 0]])]])
        #expect(throws: OptimizerError.self) { try sgd.restore(infinite, for: &model) }
    }
}
