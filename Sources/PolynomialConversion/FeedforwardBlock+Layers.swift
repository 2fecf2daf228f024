import Activations
import Interop
import LinearAlgebra
import NeuralNetworks
import Training

extension FeedforwardBlock {
    /// The block of a `Dense`, an elementwise activation and a `Dense` layer:
    /// f(x) = W₂·σ(W₁x + b₁) + b₂, with σ the layer's `function.activation`.
    ///
    /// - Throws: `ConversionError.shapeMismatch` when the layers do not chain,
    ///   `.nonFiniteWeights` for NaN or infinity.
    public init<Scalar: BLASScalar>(dense input: Dense<Scalar>, activation: ActivationLayer<Scalar>,
                                    dense output: Dense<Scalar>) throws {
        try self.init(dense: input, activation: activation.function.activation, dense: output)
    }

    /// The block of two `Dense` layers around any activation: f(x) = W₂·σ(W₁x + b₁) + b₂.
    ///
    /// - Throws: `ConversionError.shapeMismatch` when the layers do not chain,
    ///   `.nonFiniteWeights` for NaN or infinity.
    public init<Scalar: BLASScalar>(dense input: Dense<Scalar>, activation: Activation, dense output: Dense<Scalar>) throws {
        try self.init(inputWeight: input.weight.converted(to: Double.self), inputBias: Self.values(input.bias),
                      activation: activation,
                      outputWeight: output.weight.converted(to: Double.self), outputBias: Self.values(output.bias))
    }

    /// The block of a gated linear unit: f(x) = W_down·(σ(W_gate·x + b_gate) ⊙ (W_up·x + b_up)) + b_down,
    /// with σ its gate (the identity for the bilinear layer).
    ///
    /// - Throws: `ConversionError.nonFiniteWeights` for NaN or infinity.
    public init<Scalar: BLASScalar>(glu: GatedLinearUnit<Scalar>) throws {
        try self.init(inputWeight: glu.gateProjection.weight.converted(to: Double.self),
                      inputBias: Self.values(glu.gateProjection.bias),
                      activation: glu.gate?.activation ?? .identity,
                      linearBranch: (glu.upProjection.weight.converted(to: Double.self), Self.values(glu.upProjection.bias)),
                      outputWeight: glu.downProjection.weight.converted(to: Double.self),
                      outputBias: Self.values(glu.downProjection.bias))
    }

    /// The block a model is: `Dense`, an activation, `Dense` (`dense(d,n) ACTIVATION dense(n,o)`,
    /// the activation a standard one or a per-layer `hermite(deg=…)`) or a single
    /// `GatedLinearUnit` (`glu(d,n,o,act=…)`, `bilinear(d,n,o)`).
    ///
    /// - Throws: `ConversionError.badCheckpoint` naming the model's architecture when it is
    ///   anything else (a deeper network is a `FeedforwardNetwork`), and the errors of the layer
    ///   initializers.
    public init<Scalar: BLASScalar>(model: Sequential<Scalar>) throws {
        let network = try FeedforwardNetwork(model: model)
        guard network.blocks.count == 1 else {
            throw ConversionError.severalBlocks(architecture: model.specification, blockCount: network.blocks.count)
        }
        self = network.blocks[0]
    }

    /// The block of a checkpoint's model; see `init(model:)`.
    public init<Scalar: BLASScalar>(checkpoint: Checkpoint<Scalar>) throws {
        try self.init(model: checkpoint.model)
    }

    /// The block of a PolyNet checkpoint file, loaded as `Checkpoint<Double>` (which checks
    /// its architecture, tensors and configuration); see `init(model:)`.
    ///
    /// - Throws: `ConversionError.badCheckpoint` with the checkpoint's reason when it does not
    ///   load (no architecture metadata, tensors that do not fit it, a corrupt configuration),
    ///   and the errors of `init(model:)`.
    public init(checkpoint file: SafeTensors, source: String = "checkpoint") throws {
        let checkpoint: Checkpoint<Double>
        do {
            checkpoint = try Checkpoint<Double>(file, source: source)
        } catch let error as CheckpointError {
            throw ConversionError.badCheckpoint(error.description)
        }
        try self.init(checkpoint: checkpoint)
    }

    /// A 1 × n bias row as an array of Doubles.
    private static func values<Scalar: BLASScalar>(_ row: Matrix<Scalar>) -> [Double] {
        Array(row.converted(to: Double.self).elements)
    }
}
