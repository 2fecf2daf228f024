import LinearAlgebra

/// Layers applied one after another, like `torch.nn.Sequential`.
///
/// Parameters are named `<index>.<name>` (`0.weight`, `2.bias`), as in a PyTorch state dict.
/// The model keeps every intermediate activation and gradient in buffers it reuses, so
/// `forward(_:training:)` followed by `backward(_:)` allocates nothing once the batch size
/// is steady.
///
/// ```swift
/// var model = try Architecture(parsing: "dense(784,256) relu dense(256,10)")
///     .makeModel(as: Float.self, using: &generator)
/// let logits = model.forward(images, training: true)
/// model.zeroGradients()
/// model.backward(lossGradient)
/// ```
public struct Sequential<Scalar: BLASScalar>: Layer {
    /// The layers in order.
    public var layers: [any Layer<Scalar>]
    /// activations[0] is the last input; activations[i + 1] the output of layer i.
    private var activations: [Matrix<Scalar>]
    /// gradients[i] is ∂loss/∂activations[i].
    private var gradients: [Matrix<Scalar>]

    /// A model applying `layers` in order.
    public init(_ layers: [any Layer<Scalar>]) {
        self.layers = layers
        activations = Array(repeating: Matrix(rows: 0, columns: 0), count: layers.count + 1)
        gradients = activations
    }

    /// The first layer's input width.
    public var inputWidth: Int? { layers.first?.inputWidth }

    public func outputWidth(forInputWidth width: Int) -> Int {
        layers.reduce(width) { $1.outputWidth(forInputWidth: $0) }
    }

    public var specification: String { layers.map(\.specification).joined(separator: " ") }

    /// The width after each layer for an input of `width` columns, checking every layer that
    /// needs a fixed width (a model may start with layers that take any width, so the first
    /// layer's `inputWidth` alone does not tell whether an input fits).
    ///
    /// - Throws: `ModelError.inputWidth` naming the first layer that does not fit.
    public func widths(forInputWidth width: Int) throws(ModelError) -> [Int] {
        var current = width
        var result = [Int]()
        for (index, layer) in layers.enumerated() {
            if let expected = layer.inputWidth, expected != current {
                throw .inputWidth(layer: index, specification: layer.specification, expected: expected, found: current)
            }
            current = layer.outputWidth(forInputWidth: current)
            result.append(current)
        }
        return result
    }

    /// Checks that a batch of `rows` examples fits `limits`: the input, every layer's output
    /// and every layer's workspace (see ``Layer/workspaceWidth``), before anything is allocated.
    ///
    /// - Throws: `ModelError.inputWidth` naming the first layer that does not fit an input of
    ///   `inputWidth` columns, `ModelError.activationsTooLarge` for a buffer over the limit.
    public func checkBuffers(rows: Int, inputWidth: Int, within limits: ArchitectureLimits) throws(ModelError) {
        for columns in [inputWidth] + (try widths(forInputWidth: inputWidth)) + layers.map(\.workspaceWidth) {
            try limits.checkActivation(rows: rows, columns: columns)
        }
    }

    /// The most rows (at least 1) whose input, activations and workspaces each fit `limits`,
    /// at most `rows`: the batch size for inference over many examples. Layers must fit an
    /// input of `inputWidth` columns (see `widths(forInputWidth:)`).
    public func rowsFitting(_ rows: Int, inputWidth: Int, within limits: ArchitectureLimits = .standard) -> Int {
        let widths = (try? self.widths(forInputWidth: inputWidth)) ?? []
        let widest = ([inputWidth] + widths + layers.map(\.workspaceWidth)).max() ?? 1
        return max(1, min(rows, limits.maximumActivationElements / max(widest, 1)))
    }

    /// The first layer whose output on `input` holds NaN or an infinity (inference mode), or
    /// nil when the whole forward pass is finite.
    public mutating func firstNonFiniteLayer(on input: Matrix<Scalar>) -> (layer: Int, specification: String)? {
        activations[0] = input
        for index in layers.indices {
            let layerInput = activations[index]
            layers[index].forward(layerInput, into: &activations[index + 1], training: false)
            if !activations[index + 1].isFinite { return (index, layers[index].specification) }
        }
        return nil
    }

    public var parameterInfo: [ParameterInfo] {
        layers.enumerated().flatMap { index, layer in
            layer.parameterInfo.map { ParameterInfo(name: "\(index).\($0.name)", shape: $0.shape) }
        }
    }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        output = forward(input, training: training)
    }

    /// Runs every layer and returns the output, which shares storage with an internal
    /// buffer: drop it before the next `forward` to keep that buffer allocation-free.
    public mutating func forward(_ input: Matrix<Scalar>, training: Bool) -> Matrix<Scalar> {
        activations[0] = input
        for index in layers.indices {
            let layerInput = activations[index]
            layers[index].forward(layerInput, into: &activations[index + 1], training: training)
        }
        return activations[layers.count]
    }

    /// The model applied for inference (`training: false`).
    public mutating func callAsFunction(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        forward(input, training: false)
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        // `input` and `output` are the ones cached by the most recent `forward`.
        inputGradient = backward(outputGradient, needsInputGradient: needsInputGradient)
    }

    /// Back-propagates ∂loss/∂output through the most recent `forward`, adding every
    /// parameter gradient, and returns ∂loss/∂input (empty when `needsInputGradient` is false).
    @discardableResult
    public mutating func backward(_ outputGradient: Matrix<Scalar>, needsInputGradient: Bool = true) -> Matrix<Scalar> {
        let count = layers.count
        precondition(outputGradient.rows == activations[count].rows && outputGradient.columns == activations[count].columns,
                     "Output gradient \(outputGradient.rows)×\(outputGradient.columns) does not match the output \(activations[count].rows)×\(activations[count].columns)")
        gradients[count] = outputGradient
        for index in layers.indices.reversed() {
            let (upstream, input, output) = (gradients[index + 1], activations[index], activations[index + 1])
            layers[index].backward(upstream, input: input, output: output, inputGradient: &gradients[index],
                                   needsInputGradient: index > 0 || needsInputGradient)
        }
        gradients[count] = Matrix(rows: 0, columns: 0)
        return needsInputGradient ? gradients[0] : Matrix(rows: 0, columns: 0)
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        for index in layers.indices { layers[index].visitParameters(body) }
    }

    /// Calls `body(layerIndex, &parameter, &gradient)` for every parameter, so that a check
    /// can name the layer a bad value came from.
    public mutating func visitParametersByLayer(_ body: (Int, inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        for index in layers.indices {
            layers[index].visitParameters { body(index, &$0, &$1) }
        }
    }
}
