import Foundation
import NeuralNetworks
import Training

/// A training option given on the command line: how it sets a configuration, and how it
/// compares with a saved run's.
struct GivenSetting {
    /// The flag, e.g. `--batch-size`.
    let option: String
    /// The given value as text.
    let given: String
    /// Writes the value into a configuration.
    let apply: (inout TrainingConfiguration) -> Void
    /// The saved value as text when it differs from the given one, nil when they agree.
    let conflict: (TrainingConfiguration) -> String?

    /// The setting of `field` to `value`, or nil when the option was not given.
    init?<Value>(_ option: String, _ value: Value?, _ field: WritableKeyPath<TrainingConfiguration, Value>,
                 text: @escaping (Value) -> String = { "\($0)" }, same: @escaping (Value, Value) -> Bool) {
        guard let value else { return nil }
        self.option = option
        given = text(value)
        apply = { $0[keyPath: field] = value }
        conflict = { same($0[keyPath: field], value) ? nil : text($0[keyPath: field]) }
    }

    init?<Value: Equatable>(_ option: String, _ value: Value?, _ field: WritableKeyPath<TrainingConfiguration, Value>,
                            text: @escaping (Value) -> String = { "\($0)" }) {
        self.init(option, value, field, text: text, same: ==)
    }

    /// An optional field (such as `--limit`) that the option sets.
    init?<Value: Equatable>(_ option: String, _ value: Value?, _ field: WritableKeyPath<TrainingConfiguration, Value?>) {
        self.init(option, value.map { Optional($0) }, field, text: { $0.map { "\($0)" } ?? "none" })
    }
}

extension TrainCommand {
    /// The configuration options given on the command line (all but --epochs, which a
    /// resumed run may raise).
    func givenSettings() throws -> [GivenSetting] {
        let settings: [GivenSetting?] = [
            GivenSetting("--arch", arch, \.architecture, same: { Self.expanded($0) == Self.expanded($1) }),
            GivenSetting("--dataset", dataset, \.dataset),
            GivenSetting("--batch-size", batchSize, \.batchSize),
            GivenSetting("--optimizer", optimizer, \.optimizer, text: \.rawValue),
            GivenSetting("--learning-rate", learningRate, \.learningRate),
            GivenSetting("--momentum", momentum, \.momentum),
            GivenSetting("--weight-decay", weightDecay, \.weightDecay),
            GivenSetting("--schedule", schedule, \.schedule),
            GivenSetting("--clip-norm", clipNorm, \.clipNorm),
            GivenSetting("--loss", loss, \.loss, text: \.rawValue),
            GivenSetting("--seed", seed, \.seed),
            GivenSetting("--checkpoint-steps", try parsedCheckpointSteps(), \.checkpointSteps,
                         text: { $0.map(String.init).joined(separator: ",") }),
            GivenSetting("--limit", limit, \.trainingLimit),
            GivenSetting("--test-limit", testLimit, \.testLimit),
        ]
        return settings.compactMap { $0 }
    }

    /// `--resume DIR`: locks the run directory (removing temporary files a killed write left),
    /// checks the given options against the saved run, writes the checkpoints a run killed
    /// after its last state write left missing, then trains its remaining epochs into the
    /// same directory.
    func continueRun(in path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = try RunDirectory(url, mode: .resume)
        var state = try TrainingState<Float>(runDirectory: url)
        for setting in try givenSettings() {
            if let saved = setting.conflict(state.configuration) {
                throw CommandError.resumeConflict(option: setting.option, given: setting.given, saved: saved, directory: path)
            }
        }
        if !directory.removedTemporaries.isEmpty {
            print("removed \(directory.removedTemporaries.count) temporary file(s) an interrupted run left in \(path)")
        }
        try state.configuration.validate()
        let plannedEpochs = state.configuration.epochs
        let completed = state.epoch >= plannedEpochs ? try directory.writeMissingCheckpoints(of: state) : []
        if !completed.isEmpty {
            print("the run in \(path) had finished epoch \(state.epoch) but stopped before writing "
                  + completed.map(\.lastPathComponent).joined(separator: " and ")
                  + "; wrote \(completed.count == 1 ? "it" : "them") from the training state")
        }
        if let epochs { state.configuration.epochs = epochs }
        if state.epoch >= state.configuration.epochs {
            if !completed.isEmpty { return }
            throw TrainingStateError.finished(directory: path, epochs: state.epoch)
        }
        let (training, test) = try loadData(state.configuration.dataset)
        var trainer = try Trainer(resuming: state, training: training, test: test, runDirectory: path)
        print("resuming \(path) after epoch \(state.epoch) of \(state.configuration.epochs) (step \(state.step)): "
              + "\(trainer.model.specification), \(state.trainingExamples) training examples, \(threads) thread\(threads == 1 ? "" : "s")")
        if state.configuration.schedule == .cosine && state.configuration.epochs != plannedEpochs {
            print("note: the cosine schedule now anneals over \(state.configuration.epochs) epochs instead of \(plannedEpochs), "
                  + "so from step \(state.step) on the learning rate follows the longer curve")
        }
        _ = try train(&trainer, into: directory, label: nil)
    }

    /// An architecture text with presets expanded, for comparing; nil when it does not parse.
    private static func expanded(_ text: String) -> String? {
        try? Architecture(parsing: text).text
    }
}
