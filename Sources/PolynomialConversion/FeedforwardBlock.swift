import Activations
import LinearAlgebra

/// A feedforward block f(x) = W₂·g(x) + b₂ with hidden units either
/// g(x) = σ(W₁x + b₁) (an MLP) or g(x) = σ(W₁x + b₁) ⊙ (Vx + c) (a gated linear unit;
/// a bilinear layer when σ is the identity).
///
/// Weights follow PyTorch's `nn.Linear` layout: W₁ is hidden × input, W₂ is output × hidden.
///
/// ```swift
/// let block = try FeedforwardBlock(inputWeight: w1, inputBias: b1, activation: .relu,
///                                  outputWeight: w2, outputBias: b2)
/// let y = block(x)   // one row per sample
/// ```
public struct FeedforwardBlock: Sendable {
    /// W₁ (hidden × input): the pre-activation h = W₁x + b₁.
    public let inputWeight: Matrix<Double>
    /// b₁ (hidden).
    public let inputBias: [Double]
    /// σ, applied to each pre-activation.
    public let activation: Activation
    /// For a GLU, V (hidden × input) and c of the linear branch Vx + c; `nil` for an MLP.
    public let linearBranch: (weight: Matrix<Double>, bias: [Double])?
    /// W₂ (output × hidden).
    public let outputWeight: Matrix<Double>
    /// b₂ (output).
    public let outputBias: [Double]

    /// The input dimension d.
    public var inputDimension: Int { inputWeight.columns }
    /// The number of hidden units n.
    public var hiddenCount: Int { inputWeight.rows }
    /// The number of outputs.
    public var outputCount: Int { outputWeight.rows }
    /// Whether the hidden units are gated, σ(W₁x + b₁) ⊙ (Vx + c).
    public var isGated: Bool { linearBranch != nil }

    /// A block after checking that the shapes fit and every weight is finite.
    /// - Throws: `ConversionError.shapeMismatch` or `.nonFiniteWeights`.
    public init(inputWeight: Matrix<Double>, inputBias: [Double], activation: Activation,
                linearBranch: (weight: Matrix<Double>, bias: [Double])? = nil,
                outputWeight: Matrix<Double>, outputBias: [Double]) throws {
        let (hidden, input) = (inputWeight.rows, inputWeight.columns)
        guard hidden > 0, input > 0, outputWeight.rows > 0 else {
            throw ConversionError.shapeMismatch("empty block: input weight \(hidden)×\(input), output weight \(outputWeight.rows)×\(outputWeight.columns)")
        }
        guard inputBias.count == hidden else {
            throw ConversionError.shapeMismatch("input weight is \(hidden)×\(input) but the input bias has \(inputBias.count) entries")
        }
        guard outputWeight.columns == hidden else {
            throw ConversionError.shapeMismatch("input weight is \(hidden)×\(input) (hidden × input) but the output weight is \(outputWeight.rows)×\(outputWeight.columns); it must be output × \(hidden)")
        }
        guard outputBias.count == outputWeight.rows else {
            throw ConversionError.shapeMismatch("output weight is \(outputWeight.rows)×\(hidden) but the output bias has \(outputBias.count) entries")
        }
        if let linearBranch {
            guard linearBranch.weight.rows == hidden, linearBranch.weight.columns == input else {
                throw ConversionError.shapeMismatch("input weight is \(hidden)×\(input) but the linear branch weight is \(linearBranch.weight.rows)×\(linearBranch.weight.columns)")
            }
            guard linearBranch.bias.count == hidden else {
                throw ConversionError.shapeMismatch("the linear branch bias has \(linearBranch.bias.count) entries, expected \(hidden)")
            }
            guard linearBranch.weight.isFinite else { throw ConversionError.nonFiniteWeights("the linear branch weight") }
            guard linearBranch.bias.allSatisfy(\.isFinite) else { throw ConversionError.nonFiniteWeights("the linear branch bias") }
        }
        guard inputWeight.isFinite else { throw ConversionError.nonFiniteWeights("the input weight") }
        guard inputBias.allSatisfy(\.isFinite) else { throw ConversionError.nonFiniteWeights("the input bias") }
        guard outputWeight.isFinite else { throw ConversionError.nonFiniteWeights("the output weight") }
        guard outputBias.allSatisfy(\.isFinite) else { throw ConversionError.nonFiniteWeights("the output bias") }
        self.inputWeight = inputWeight
        self.inputBias = inputBias
        self.activation = activation
        self.linearBranch = linearBranch
        self.outputWeight = outputWeight
        self.outputBias = outputBias
    }

    /// The hidden pre-activations W₁x + b₁ of a batch (one sample per row).
    func preactivations(_ inputs: Matrix<Double>) -> Matrix<Double> {
        precondition(inputs.columns == inputDimension,
                     "Inputs of \(inputs.columns) columns for a block of input dimension \(inputDimension)")
        var h = inputs.multiplied(by: inputWeight, transposingOther: true)
        h.addToEachRow(inputBias)
        return h
    }

    /// The linear branch Vx + c of a GLU for a batch.
    func linearBranchValues(_ inputs: Matrix<Double>) -> Matrix<Double>? {
        guard let linearBranch else { return nil }
        var l = inputs.multiplied(by: linearBranch.weight, transposingOther: true)
        l.addToEachRow(linearBranch.bias)
        return l
    }

    /// W₂·hidden + b₂ for a batch of hidden values.
    func output(fromHidden hidden: Matrix<Double>) -> Matrix<Double> {
        var y = hidden.multiplied(by: outputWeight, transposingOther: true)
        y.addToEachRow(outputBias)
        return y
    }

    /// The block's hidden values for given pre-activations (and linear-branch values).
    func hidden(preactivations h: Matrix<Double>, linearBranchValues l: Matrix<Double>?) -> Matrix<Double> {
        var g = h
        g.apply { activation.value($0) }
        if let l { g = g * l }
        return g
    }

    /// f(x) for a batch of inputs, one sample per row.
    public func callAsFunction(_ inputs: Matrix<Double>) -> Matrix<Double> {
        output(fromHidden: hidden(preactivations: preactivations(inputs), linearBranchValues: linearBranchValues(inputs)))
    }
}
