import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks

/// A model saved as a safetensors file that reloads with no other input.
///
/// Tensors carry the model's PyTorch names and shapes (`0.weight` [20, 784, 4] for a
/// `poly(784,20,deg=3)`, `1.weight` [20] for a `layernorm(20)`), as F32 for a Float model.
/// `__metadata__` holds:
/// - `polynet.arch`: the architecture text, e.g. `poly(784,20,deg=3) layernorm(20) poly(20,10,deg=3)`;
/// - `polynet.config`: the `TrainingConfiguration` as JSON (absent for untrained models);
/// - `polynet.epoch`, `polynet.step`: completed epochs and optimizer steps when saved.
///
/// ```swift
/// let checkpoint = try Checkpoint<Double>(contentsOf: URL(fileURLWithPath: "runs/poly/model.safetensors"))
/// var model = checkpoint.model
/// ```
public struct Checkpoint<Scalar: BLASScalar> {
    /// The model with its parameters.
    public var model: Sequential<Scalar>
    /// How it was trained, when known.
    public var configuration: TrainingConfiguration?
    /// Completed epochs when saved.
    public var epoch: Int?
    /// Completed optimizer steps when saved.
    public var step: Int?

    /// A checkpoint of `model`, with the run's configuration and position when known.
    public init(model: Sequential<Scalar>, configuration: TrainingConfiguration? = nil, epoch: Int? = nil, step: Int? = nil) {
        self.model = model
        self.configuration = configuration
        self.epoch = epoch
        self.step = step
    }

    /// The checkpoint as named tensors with metadata.
    public var safeTensors: SafeTensors {
        var metadata = [CheckpointMetadata.architecture: model.specification]
        if let configuration, let json = try? JSONEncoder.sorted.encode(configuration) {
            metadata[CheckpointMetadata.configuration] = String(decoding: json, as: UTF8.self)
        }
        if let epoch { metadata[CheckpointMetadata.epoch] = String(epoch) }
        if let step { metadata[CheckpointMetadata.step] = String(step) }
        var file = SafeTensors(metadata: metadata)
        for (info, value) in zip(model.parameterInfo, model.parameters.map(\.value)) {
            file.insert(value, named: info.name, shape: info.shape)
        }
        return file
    }

    /// Writes the safetensors file, replacing any file at `url`.
    public func write(to url: URL) throws {
        try safeTensors.write(to: url)
    }

    /// Reads a checkpoint file; see `init(_:architecture:registry:source:)`.
    public init(contentsOf url: URL, architecture: String? = nil, registry: LayerRegistry = .standard) throws {
        try self.init(SafeTensors(contentsOf: url), architecture: architecture, registry: registry, source: url.path)
    }

    /// Rebuilds the model from `file`: the architecture comes from `architecture` when given
    /// (for files written elsewhere, e.g. by PyTorch) or else from `polynet.arch`, and may use
    /// the layer kinds of `registry`.
    ///
    /// Every tensor's name and shape is checked against the architecture before the model is
    /// built, so metadata that declares a huge layer next to small tensors is refused without
    /// allocating it; the model is then no larger than the file.
    ///
    /// - Throws: `CheckpointError` when the architecture or configuration metadata is missing
    ///   or malformed, the file is a training state, or the tensors do not match the
    ///   architecture (missing, extra, or of another shape) or break a layer's constraints
    ///   (`Layer.checkParameters()`); `ArchitectureError` for a bad `architecture` argument.
    public init(_ file: SafeTensors, architecture: String? = nil, registry: LayerRegistry = .standard,
                source: String = "checkpoint") throws {
        if architecture == nil, file.metadata[TrainingState<Scalar>.metadataKey] != nil {
            throw CheckpointError.trainingState(source: source)
        }
        guard let text = architecture ?? file.metadata[CheckpointMetadata.architecture] else {
            throw CheckpointError.missingArchitecture(source: source)
        }
        let parsed: Architecture, expected: [ParameterInfo]
        do {
            parsed = try Architecture(parsing: text, registry: registry)
            expected = try parsed.parameterInfo()
        } catch let error as ArchitectureError where architecture == nil {
            throw CheckpointError.badArchitecture(source: source, architecture: text, reason: error.message)
        }
        for info in expected {
            guard file.names.contains(info.name) else {
                throw CheckpointError.tensors(source: source, problem: "no tensor '\(info.name)' for the architecture '\(text)'")
            }
            let shape = try file.shape(of: info.name)
            guard shape == info.shape else {
                throw CheckpointError.tensors(source: source, problem: "tensor '\(info.name)' has shape \(shape); '\(text)' needs \(info.shape)")
            }
        }
        var generator = SeededGenerator(seed: 0)
        // The shapes match the file's tensors, so the file already bounds the size.
        var model: Sequential<Scalar>
        do {
            model = try parsed.makeModel(limits: .unboundedParameters, using: &generator)
        } catch let error as ArchitectureError where architecture == nil {
            throw CheckpointError.badArchitecture(source: source, architecture: text, reason: error.message)
        }
        var values = [String: Matrix<Scalar>]()
        for info in model.parameterInfo {
            let matrix = try file.matrix(named: info.name, as: Scalar.self)
            guard matrix.isFinite else {
                throw CheckpointError.tensors(source: source, problem: "tensor '\(info.name)' holds NaN or infinite values")
            }
            values[info.name] = matrix
        }
        let extra = Set(file.names).subtracting(values.keys)
        guard extra.isEmpty else {
            throw CheckpointError.tensors(source: source, problem: "tensors \(extra.sorted()) are not parameters of '\(text)'")
        }
        try model.setParameters(values)
        for (index, layer) in model.layers.enumerated() {
            do {
                try layer.checkParameters()
            } catch {
                throw CheckpointError.tensors(source: source, problem: "layer \(index) (\(layer.specification)): \(error)")
            }
        }
        self.model = model
        if let json = file.metadata[CheckpointMetadata.configuration] {
            do {
                configuration = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(json.utf8))
            } catch {
                throw CheckpointError.badConfiguration(source: source, reason: "\(error)")
            }
        }
        epoch = file.metadata[CheckpointMetadata.epoch].flatMap { Int($0) }
        step = file.metadata[CheckpointMetadata.step].flatMap { Int($0) }
    }
}

extension JSONEncoder {
    /// An encoder with sorted keys, so files and logs are deterministic.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
