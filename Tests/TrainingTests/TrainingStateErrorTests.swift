import Foundation
import Interop
import LinearAlgebra
import Testing
@testable import Training

/// Missing, damaged and mismatched training states throw `TrainingStateError` with a message
/// that says what to do; none crashes.
struct TrainingStateErrorTests {
    /// A real state after one epoch of the small resume model, and its run directory.
    static func savedRun() throws -> (directory: URL, state: TrainingState<Float>) {
        let (train, test) = try TrainerTests.data()
        var configuration = ResumeTests.configuration()
        configuration.epochs = 1
        configuration.trainingLimit = 100
        var trainer = try Trainer(configuration: configuration, training: train, test: test)
        let directory = ResumeTests.temporaryDirectory()
        try trainer.run(outputDirectory: directory)
        return (directory, trainer.state)
    }

    /// `file` with the tensors `names` left out (and `replacing` put in).
    static func edited(_ file: SafeTensors, dropping names: Set<String> = [], replacing: [String: Matrix<Float>] = [:]) throws -> SafeTensors {
        var copy = SafeTensors(metadata: file.metadata)
        for name in file.names where !names.contains(name) {
            if let matrix = replacing[name] {
                copy.insert(matrix, named: name, shape: try file.shape(of: name))
            } else {
                copy.insert(try file.tensor(named: name), named: name)
            }
        }
        return copy
    }

    static func reason(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch let error as TrainingStateError {
            return error.description
        } catch {
            return "untyped error \(error)"
        }
    }

    @Test func missingOrUnreadableFilesNameTheCause() throws {
        let (directory, _) = try Self.savedRun()
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = ResumeTests.temporaryDirectory()
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: TrainingStateError.noRunDirectory("/nonexistent/run")) {
            try TrainingState<Float>(runDirectory: URL(fileURLWithPath: "/nonexistent/run"))
        }
        let missing = Self.reason { _ = try TrainingState<Float>(runDirectory: empty) }
        #expect(missing == "\(empty.path) has no training-state.safetensors: it was written by an older polynet or the run "
                + "never finished an epoch. Start a new run (its epoch-K.safetensors hold weights but no optimizer state).")

        let stateURL = directory.appendingPathComponent(TrainingState<Float>.fileName)
        let bytes = try Data(contentsOf: stateURL)
        try bytes.prefix(bytes.count / 2).write(to: stateURL)
        let truncated = Self.reason { _ = try TrainingState<Float>(runDirectory: directory) }
        #expect(truncated.hasPrefix("\(stateURL.path) is not a usable training state (") && truncated.contains("start a new run"), "\(truncated)")

        try FileManager.default.removeItem(at: stateURL)
        try FileManager.default.copyItem(at: directory.appendingPathComponent("model.safetensors"), to: stateURL)
        let checkpoint = Self.reason { _ = try TrainingState<Float>(runDirectory: directory) }
        #expect(checkpoint.contains("no 'polynet.state' metadata: a model checkpoint, not a training state"), "\(checkpoint)")
    }

    /// Each broken part of an otherwise valid state is reported.
    @Test func damagedPartsAreReported() throws {
        let (directory, state) = try Self.savedRun()
        try? FileManager.default.removeItem(at: directory)
        let file = try state.safeTensors()
        var nan = try file.matrix(named: "optimizer.exp_avg.2.weight", as: Float.self)
        nan[0, 0] = .nan
        var badFormat = file, badShuffler = file, noStep = file, pastEnd = file
        pastEnd.metadata["polynet.epoch"] = "9223372036854775807"
        badFormat.metadata[TrainingState<Float>.metadataKey] = file.metadata[TrainingState<Float>.metadataKey]!
            .replacingOccurrences(of: "\"format\":1", with: "\"format\":2")
        badShuffler.metadata[TrainingState<Float>.metadataKey] = file.metadata[TrainingState<Float>.metadataKey]!
            .replacingOccurrences(of: "\"shuffler_state\":\"", with: "\"shuffler_state\":\"xyz")
        noStep.metadata["polynet.step"] = nil
        var extra = file
        extra.insert(Matrix<Float>(rows: 1, columns: 8), named: "optimizer.exp_avg.9.bias", shape: [8])
        let cases: [(SafeTensors, String)] = [
            (try Self.edited(file, dropping: ["optimizer.exp_avg_sq.0.weight"]), "optimizer slot 'exp_avg_sq' needs a tensor 'optimizer.exp_avg_sq.0.weight' of shape [8, 784, 3]"),
            (try Self.edited(file, replacing: ["optimizer.exp_avg.2.weight": nan]), "tensor 'optimizer.exp_avg.2.weight' holds NaN or infinite values"),
            (try Self.edited(file, dropping: ["1.bias"]), "no tensor '1.bias'"),
            (extra, "optimizer tensors that name no parameter"),
            (badFormat, "state format 2; this polynet reads format 1"),
            (badShuffler, "is not a 64-bit hexadecimal number"),
            (noStep, "the configuration, epoch, step or example count is missing"),
            (pastEnd, "epoch 9223372036854775807 is past the configured 1 epochs"),
        ]
        for (broken, expected) in cases {
            let message = Self.reason { _ = try TrainingState<Float>(broken, source: "state.safetensors") }
            #expect(message.hasPrefix("state.safetensors is not a usable training state") && message.contains(expected), "\(message)")
        }
    }

    /// A finished run asks for a higher --epochs; other data, or a state whose moments do
    /// not fit, is refused.
    @Test func statesThatDoNotFitTheRunAreRefused() throws {
        let (train, test) = try TrainerTests.data()
        let (directory, saved) = try Self.savedRun()
        try? FileManager.default.removeItem(at: directory)
        var state = saved
        #expect(throws: TrainingStateError.finished(directory: "runs/x", epochs: 1)) {
            try Trainer(resuming: state, training: train, test: test, runDirectory: "runs/x")
        }
        #expect(TrainingStateError.finished(directory: "runs/x", epochs: 1).description
                == "the run in runs/x already completed 1 epoch; raise the number of epochs above 1 to train further")
        state.configuration.epochs = 2
        state.configuration.trainingLimit = 50
        #expect(throws: TrainingStateError.dataChanged(directory: "runs/x", saved: 100, found: 50)) {
            try Trainer(resuming: state, training: train, test: test, runDirectory: "runs/x")
        }
        state = saved
        state.configuration.epochs = 2
        state.optimizer.buffers["exp_avg"]!.removeLast()
        #expect(throws: OptimizerError.self) { try Trainer(resuming: state, training: train, test: test) }
    }
}
