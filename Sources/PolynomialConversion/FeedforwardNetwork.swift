// How this works and why.
//
// A chain dense₀ σ₁ dense₁ σ₂ … σ_L dense_L is read as L overlapping blocks centred on its
// activations: block k = (dense_{k−1}, σ_k, dense_k) maps a_{k−1} (the input x for k = 1, else the
// output σ_{k−1}(h_{k−1}) of the previous activation) to h_{k+1} = dense_k(σ_k(h_k)), the next
// pre-activation (the logits for k = L). Neighbouring blocks share a dense layer. A block's
// approximant p_k(a) = W_k·q_k(W_{k−1}a + b_{k−1}) + b_k replaces σ_k, unit by unit, with the
// polynomial q_k of the pre-activation (its Hermite series truncated at degree K), so replacing
// any set of blocks is well defined: replace those activations. Each block is fitted under the
// Gaussian of its own input a_{k−1}: the training data pushed through the earlier layers.

import Activations
import LinearAlgebra
import NeuralNetworks

/// A multilayer perceptron `dense act dense act … dense` as a chain of feedforward blocks, one
/// per activation (see the file header), or a single GLU block.
///
/// ```swift
/// let network = try FeedforwardNetwork(model: checkpoint.model)   // 784 → 128 → 128 → 10: 2 blocks
/// let hidden = network.blockInputs(images, block: 1)               // what flows into block 2
/// let y = network(images)
/// ```
public struct FeedforwardNetwork: Sendable {
    /// The blocks, in order; block k + 1's input weight is block k's output weight.
    public let blocks: [FeedforwardBlock]

    /// The input dimension.
    public var inputDimension: Int { blocks[0].inputDimension }
    /// The number of outputs.
    public var outputCount: Int { blocks[blocks.count - 1].outputCount }

    /// The degree of the network as a polynomial in its input (the product of its activations'
    /// degrees; 2× for a GLU's product), or `nil` when an activation is not a polynomial.
    public var polynomialDegree: Int? {
        var total = 1
        for block in blocks {
            guard let degree = block.activation.polynomialDegree else { return nil }
            total *= degree + (block.isGated ? 1 : 0)
        }
        return total
    }

    /// A chain of blocks after checking that consecutive blocks share their dense layer.
    /// - Throws: `ConversionError.shapeMismatch` when they do not, or when a GLU block is not alone.
    public init(blocks: [FeedforwardBlock]) throws {
        guard !blocks.isEmpty else { throw ConversionError.shapeMismatch("a network needs at least one block") }
        if blocks.count > 1, blocks.contains(where: \.isGated) {
            throw ConversionError.shapeMismatch("a GLU block converts only on its own")
        }
        for k in blocks.indices.dropFirst() {
            let (before, after) = (blocks[k - 1], blocks[k])
            guard before.outputWeight == after.inputWeight, before.outputBias == after.inputBias,
                  before.hiddenCount == after.inputDimension else {
                throw ConversionError.shapeMismatch("block \(k) (\(before.inputDimension) → \(before.hiddenCount) → \(before.outputCount)) and block \(k + 1) (\(after.inputDimension) → \(after.hiddenCount) → \(after.outputCount)) do not share a dense layer")
            }
        }
        self.blocks = blocks
    }

    /// The network a model is: `dense ACT dense ACT … dense` with any number of activations
    /// (`relu`, `gelu`, …, or a per-layer `hermite(deg=…)`), or one `glu(…)`/`bilinear(…)`.
    ///
    /// - Throws: `ConversionError.badCheckpoint` naming the architecture and the reason when it
    ///   is anything else (a `layernorm`, a per-channel Hermite activation, two dense layers in a
    ///   row, …), and the errors of the block initializers.
    public init<Scalar: BLASScalar>(model: Sequential<Scalar>) throws {
        let layers = model.layers
        if layers.count == 1, let glu = layers[0] as? GatedLinearUnit<Scalar> {
            try self.init(blocks: [FeedforwardBlock(glu: glu)])
            return
        }
        func refuse(_ reason: String) -> ConversionError {
            .badCheckpoint("architecture '\(model.specification)' \(reason); convert handles dense(d,n) ACTIVATION dense(n,o) [ACTIVATION dense(o,p) …], glu(d,n,o,act=…) or bilinear(d,n,o)")
        }
        if let index = layers.firstIndex(where: { $0 is LayerNorm<Scalar> }) {
            throw refuse("has a layernorm (layer \(index + 1)), which convert does not support yet")
        }
        guard layers.count >= 3, layers.count % 2 == 1 else { throw refuse("is not an alternation of dense layers and activations") }
        var denses = [Dense<Scalar>]()
        var activations = [Activation]()
        for (index, layer) in layers.enumerated() {
            if index % 2 == 0 {
                guard let dense = layer as? Dense<Scalar> else { throw refuse("has '\(layer.specification)' where a dense layer belongs (layer \(index + 1))") }
                denses.append(dense)
            } else if let activation = layer as? ActivationLayer<Scalar> {
                activations.append(activation.function.activation)
            } else if let hermite = layer as? HermiteActivation<Scalar> {
                guard hermite.sharing == .perLayer else {
                    throw refuse("has '\(hermite.specification)', one polynomial per hidden unit, but a block takes one activation shared by its units: use channels=0")
                }
                activations.append(hermite.activation())
            } else {
                throw refuse("has '\(layer.specification)' where an activation belongs (layer \(index + 1))")
            }
        }
        try self.init(blocks: activations.indices.map { k in
            try FeedforwardBlock(dense: denses[k], activation: activations[k], dense: denses[k + 1])
        })
    }

    /// The inputs of block `block` (0-based) for a batch of network inputs, one sample per row:
    /// the activations σ_k(h_k) of the hidden layer before it (the inputs themselves for block 0),
    /// computed in chunks of rows.
    /// - Precondition: `block` is in `blocks.indices`; `inputs` has `inputDimension` columns.
    public func blockInputs<Scalar: BLASScalar>(_ inputs: Matrix<Scalar>, block: Int) -> Matrix<Double> {
        precondition(blocks.indices.contains(block), "Block \(block) of \(blocks.count)")
        precondition(inputs.columns == inputDimension, "Inputs of \(inputs.columns) columns for a network of input dimension \(inputDimension)")
        let width = block == 0 ? inputDimension : blocks[block].inputDimension
        var result = Matrix<Double>(rows: inputs.rows, columns: width)
        let chunkSize = 4096
        for start in stride(from: 0, to: inputs.rows, by: chunkSize) {
            let rows = start ..< Swift.min(start + chunkSize, inputs.rows)
            var a = EmpiricalComparison.doubleRows(inputs, rows)
            for k in 0 ..< block {
                a = blocks[k].hidden(preactivations: blocks[k].preactivations(a), linearBranchValues: nil)
            }
            result.withUnsafeMutableElements { target in
                a.elements.withUnsafeBufferPointer { source in
                    for index in source.indices { target[start * width + index] = source[index] }
                }
            }
        }
        return result
    }

    /// The network's outputs for a batch, with the activations of the blocks in `replacements`
    /// (keyed by 0-based block index) replaced by their approximants' unit polynomials.
    /// - Precondition: each approximant is of the block at its key.
    public func callAsFunction(_ inputs: Matrix<Double>, replacing replacements: [Int: PolynomialApproximant] = [:]) -> Matrix<Double> {
        var a = inputs
        for (k, block) in blocks.enumerated() {
            let h = block.preactivations(a)
            if let approximant = replacements[k] {
                precondition(approximant.block.inputWeight == block.inputWeight, "The approximant given for block \(k + 1) is of another block")
                a = approximant.hiddenValues(preactivations: h, linearBranchValues: block.linearBranchValues(a))
            } else {
                a = block.hidden(preactivations: h, linearBranchValues: block.linearBranchValues(a))
            }
        }
        return blocks[blocks.count - 1].output(fromHidden: a)
    }
}
