import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks

/// The file form of a training state: a `Checkpoint` of the model (its tensors with
/// `polynet.arch`, `polynet.config`, `polynet.epoch` and `polynet.step`), plus
/// - one tensor per optimizer slot and parameter, `optimizer.<slot>.<parameter>` (e.g.
///   `optimizer.exp_avg.0.weight`), shaped like the parameter and of its dtype;
/// - `polynet.state` metadata, JSON such as
///   `{"format":1,"optimizer_steps":938,"shuffler_state":"9e3779b97f4a7c15","training_examples":60000}`
///   (the generator state in hexadecimal, since JSON numbers lose integers above 2⁵³).
///
/// Float weights and moments are stored as F32, so a state reloads bit for bit.
extension TrainingState {
    /// The metadata key of the state's JSON.
    public static var metadataKey: String { CheckpointMetadata.trainingState }

    /// The state as named tensors with metadata.
    public func safeTensors() throws -> SafeTensors {
        var file = Checkpoint(model: model, configuration: configuration, epoch: epoch, step: step).safeTensors
        let info = model.parameterInfo
        for (slot, matrices) in optimizer.buffers.sorted(by: { $0.key < $1.key }) {
            precondition(matrices.isEmpty || matrices.count == info.count,
                         "Optimizer slot '\(slot)' has \(matrices.count) buffers for \(info.count) parameters")
            for (parameter, matrix) in zip(info, matrices) {
                file.insert(matrix, named: Self.tensorName(slot: slot, parameter: parameter.name), shape: parameter.shape)
            }
        }
        let metadata = TrainingStateMetadata(format: TrainingStateMetadata.currentFormat, optimizerSteps: optimizer.stepCount,
                                             shufflerState: String(shuffler.state, radix: 16), trainingExamples: trainingExamples)
        file.metadata[Self.metadataKey] = String(decoding: try JSONEncoder.sorted.encode(metadata), as: UTF8.self)
        return file
    }

    /// Writes the file atomically (a temporary file renamed over `url`), so a run killed
    /// mid-write keeps the previous state intact.
    public func write(to url: URL) throws {
        try safeTensors().write(to: url)
    }

    /// Reads `training-state.safetensors` from a run directory.
    ///
    /// - Throws: `TrainingStateError.noRunDirectory`, `.missing` (an older polynet, or no epoch
    ///   finished) or `.unreadable` (damaged or not a training state).
    public init(runDirectory: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: runDirectory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TrainingStateError.noRunDirectory(runDirectory.path)
        }
        let url = runDirectory.appendingPathComponent(Self.fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TrainingStateError.missing(directory: runDirectory.path)
        }
        let file: SafeTensors
        do {
            file = try SafeTensors(contentsOf: url)
        } catch {
            throw TrainingStateError.unreadable(path: url.path, reason: "\(error)")
        }
        try self.init(file, source: url.path)
    }

    /// Rebuilds a state from its tensors and metadata, checking every part.
    ///
    /// - Throws: `TrainingStateError.unreadable` naming `source` and what is wrong.
    public init(_ file: SafeTensors, source: String = "training state") throws {
        do {
            try self.init(checking: file, source: source)
        } catch let error as TrainingStateError {
            throw error
        } catch {
            throw TrainingStateError.unreadable(path: source, reason: "\(error)")
        }
    }

    private init(checking file: SafeTensors, source: String) throws {
        func unreadable(_ reason: String) -> TrainingStateError { .unreadable(path: source, reason: reason) }
        guard let json = file.metadata[Self.metadataKey] else {
            throw unreadable("no '\(Self.metadataKey)' metadata: a model checkpoint, not a training state")
        }
        let metadata: TrainingStateMetadata
        do {
            metadata = try JSONDecoder().decode(TrainingStateMetadata.self, from: Data(json.utf8))
        } catch {
            throw unreadable("'\(Self.metadataKey)' metadata is not valid (\(error))")
        }
        guard metadata.format == TrainingStateMetadata.currentFormat else {
            throw unreadable("state format \(metadata.format); this polynet reads format \(TrainingStateMetadata.currentFormat)")
        }
        guard let shufflerState = UInt64(metadata.shufflerState, radix: 16) else {
            throw unreadable("shuffler_state '\(metadata.shufflerState)' is not a 64-bit hexadecimal number")
        }
        var modelFile = SafeTensors(metadata: file.metadata.filter { $0.key != Self.metadataKey })
        var optimizerNames = Set<String>()
        for name in file.names {
            if name.hasPrefix(Self.optimizerPrefix) { optimizerNames.insert(name) } else { modelFile.insert(try file.tensor(named: name), named: name) }
        }
        let checkpoint = try Checkpoint<Scalar>(modelFile, source: "model")
        guard let configuration = checkpoint.configuration, let epoch = checkpoint.epoch, let step = checkpoint.step,
              epoch >= 0, step >= 0, metadata.optimizerSteps >= 0, metadata.trainingExamples >= 1 else {
            throw unreadable("the configuration, epoch, step or example count is missing or negative")
        }
        guard epoch <= configuration.epochs else {
            throw unreadable("epoch \(epoch) is past the configured \(configuration.epochs) epochs")
        }
        let info = checkpoint.model.parameterInfo
        let slots = Set(optimizerNames.map { $0.dropFirst(Self.optimizerPrefix.count).prefix { $0 != "." } })
        var buffers = [String: [Matrix<Scalar>]]()
        for slot in slots.map(String.init) {
            buffers[slot] = try info.map { parameter in
                let name = Self.tensorName(slot: slot, parameter: parameter.name)
                guard optimizerNames.contains(name), try file.shape(of: name) == parameter.shape else {
                    throw unreadable("optimizer slot '\(slot)' needs a tensor '\(name)' of shape \(parameter.shape)")
                }
                let matrix = try file.matrix(named: name, as: Scalar.self)
                guard matrix.isFinite else { throw unreadable("tensor '\(name)' holds NaN or infinite values") }
                return matrix
            }
        }
        guard optimizerNames.count == slots.count * info.count else {
            throw unreadable("optimizer tensors that name no parameter of '\(checkpoint.model.specification)'")
        }
        self.init(model: checkpoint.model, configuration: configuration, epoch: epoch, step: step,
                  optimizer: OptimizerState(stepCount: metadata.optimizerSteps, buffers: buffers),
                  shuffler: SeededGenerator(seed: shufflerState), trainingExamples: metadata.trainingExamples)
    }

    private static var optimizerPrefix: String { "optimizer." }

    private static func tensorName(slot: String, parameter: String) -> String {
        optimizerPrefix + slot + "." + parameter
    }
}

/// The JSON under `polynet.state`.
struct TrainingStateMetadata: Codable {
    /// The layout version this polynet writes and reads.
    static let currentFormat = 1

    var format: Int
    var optimizerSteps: Int
    var shufflerState: String
    var trainingExamples: Int

    enum CodingKeys: String, CodingKey {
        case format, optimizerSteps = "optimizer_steps", shufflerState = "shuffler_state"
        case trainingExamples = "training_examples"
    }
}
