import LinearAlgebra

/// A gated linear unit (Dauphin et al. 2017; Shazeer 2020, "GLU Variants Improve
/// Transformer"): y = W_down·(σ(W_gate·x + b_gate) ⊙ (W_up·x + b_up)) + b_down.
///
/// With σ = identity this is the **bilinear** layer, whose outputs are quadratic forms of the
/// input (the polynomial-conversion code turns them into closed-form tensors); σ = sigmoid is
/// Dauphin's GLU, silu SwiGLU and gelu GEGLU.
///
/// Parameters are named like the submodules of the usual PyTorch module (the LLaMA-style
/// feed-forward block, with biases):
///
/// ```python
/// class GLU(nn.Module):
///     def __init__(self, d_in, d_hidden, d_out):
///         self.gate_proj = nn.Linear(d_in, d_hidden)
///         self.up_proj = nn.Linear(d_in, d_hidden)
///         self.down_proj = nn.Linear(d_hidden, d_out)
///     def forward(self, x):
///         return self.down_proj(act(self.gate_proj(x)) * self.up_proj(x))
/// ```
///
/// so the state-dict keys are `gate_proj.weight` [hidden, in], `gate_proj.bias` [hidden],
/// `up_proj.weight` [hidden, in], `up_proj.bias` [hidden], `down_proj.weight` [out, hidden] and
/// `down_proj.bias` [out] (prefixed by the layer index inside a `Sequential`: `0.gate_proj.weight`).
///
/// ```swift
/// var glu = GatedLinearUnit<Float>(inputWidth: 784, hiddenWidth: 64, outputWidth: 10, gate: .silu,
///                                  using: &generator)
/// var bilinear = GatedLinearUnit<Float>(inputWidth: 784, hiddenWidth: 64, outputWidth: 10, gate: nil,
///                                       using: &generator)
/// ```
/// - Complexity: three gemms forward; five backward (four for the first layer of a model).
public struct GatedLinearUnit<Scalar: BLASScalar>: Layer {
    /// The gate projection W_gate, b_gate (in → hidden).
    public var gateProjection: Dense<Scalar>
    /// The value projection W_up, b_up (in → hidden).
    public var upProjection: Dense<Scalar>
    /// The output projection W_down, b_down (hidden → out).
    public var downProjection: Dense<Scalar>
    /// σ applied to the gate, or nil for the identity (the bilinear layer).
    public let gate: ActivationFunction?

    /// Buffers of the last forward pass: the gate before and after σ (unused when bilinear),
    /// the value and their product.
    private var gateInput = Matrix<Scalar>(rows: 0, columns: 0), gateOutput = Matrix<Scalar>(rows: 0, columns: 0)
    private var value = Matrix<Scalar>(rows: 0, columns: 0), hidden = Matrix<Scalar>(rows: 0, columns: 0)
    /// Backward workspaces.
    private var hiddenGradient = Matrix<Scalar>(rows: 0, columns: 0)
    private var gateOutputGradient = Matrix<Scalar>(rows: 0, columns: 0)
    private var gateInputGradient = Matrix<Scalar>(rows: 0, columns: 0)
    private var valueGradient = Matrix<Scalar>(rows: 0, columns: 0)
    private var unusedGradient = Matrix<Scalar>(rows: 0, columns: 0)

    /// A unit made of the three projections.
    public init(gateProjection: Dense<Scalar>, upProjection: Dense<Scalar>, downProjection: Dense<Scalar>,
                gate: ActivationFunction?) {
        precondition(gateProjection.weight.rows == upProjection.weight.rows
                     && gateProjection.weight.columns == upProjection.weight.columns
                     && downProjection.weight.columns == gateProjection.weight.rows,
                     "GLU projections gate \(gateProjection.weight.rows)×\(gateProjection.weight.columns), up \(upProjection.weight.rows)×\(upProjection.weight.columns), down \(downProjection.weight.rows)×\(downProjection.weight.columns) do not chain")
        self.gateProjection = gateProjection
        self.upProjection = upProjection
        self.downProjection = downProjection
        self.gate = gate
    }

    /// A unit with every projection initialized as PyTorch's `nn.Linear`.
    public init<G: RandomNumberGenerator>(inputWidth: Int, hiddenWidth: Int, outputWidth: Int,
                                          gate: ActivationFunction?, using generator: inout G) {
        self.init(gateProjection: Dense(inputWidth: inputWidth, outputWidth: hiddenWidth, using: &generator),
                  upProjection: Dense(inputWidth: inputWidth, outputWidth: hiddenWidth, using: &generator),
                  downProjection: Dense(inputWidth: hiddenWidth, outputWidth: outputWidth, using: &generator),
                  gate: gate)
    }

    public var inputWidth: Int? { gateProjection.weight.columns }

    public func outputWidth(forInputWidth width: Int) -> Int { downProjection.weight.rows }

    public var specification: String {
        let widths = "\(gateProjection.weight.columns),\(gateProjection.weight.rows),\(downProjection.weight.rows)"
        return gate.map { "glu(\(widths),act=\($0.rawValue))" } ?? "bilinear(\(widths))"
    }

    public var parameterInfo: [ParameterInfo] {
        [("gate_proj", gateProjection), ("up_proj", upProjection), ("down_proj", downProjection)].flatMap { prefix, dense in
            dense.parameterInfo.map { ParameterInfo(name: "\(prefix).\($0.name)", shape: $0.shape) }
        }
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        gateProjection.visitParameters(body)
        upProjection.visitParameters(body)
        downProjection.visitParameters(body)
    }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        gateProjection.forward(input, into: &gateInput, training: training)
        upProjection.forward(input, into: &value, training: training)
        if let gate {
            var function = ActivationLayer<Scalar>(gate)
            function.forward(gateInput, into: &gateOutput, training: training)
            hidden.setHadamardProduct(gateOutput, value)
        } else {
            hidden.setHadamardProduct(gateInput, value)
        }
        downProjection.forward(hidden, into: &output, training: training)
    }

    /// ∂/∂value = ∂/∂hidden ⊙ σ(gate), ∂/∂σ(gate) = ∂/∂hidden ⊙ value, then through σ and the
    /// two input projections, whose input gradients add.
    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        downProjection.backward(outputGradient, input: hidden, output: output, inputGradient: &hiddenGradient,
                                needsInputGradient: true)
        valueGradient.setHadamardProduct(hiddenGradient, gate == nil ? gateInput : gateOutput)
        gateOutputGradient.setHadamardProduct(hiddenGradient, value)
        if let gate {
            var function = ActivationLayer<Scalar>(gate)
            function.backward(gateOutputGradient, input: gateInput, output: gateOutput,
                              inputGradient: &gateInputGradient, needsInputGradient: true)
        } else {
            swap(&gateInputGradient, &gateOutputGradient)
        }
        gateProjection.backward(gateInputGradient, input: input, output: gateInput, inputGradient: &inputGradient,
                                needsInputGradient: needsInputGradient)
        upProjection.backward(valueGradient, input: input, output: value, inputGradient: &unusedGradient,
                              needsInputGradient: false)
        if needsInputGradient {
            inputGradient.setProduct(valueGradient, upProjection.weight, beta: 1)
        }
    }
}

extension Matrix {
    /// self = a ⊙ b (elementwise), reallocating only when the shape differs.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    mutating func setHadamardProduct(_ a: Matrix, _ b: Matrix) {
        precondition(a.rows == b.rows && a.columns == b.columns,
                     "Hadamard product of \(a.rows)×\(a.columns) and \(b.rows)×\(b.columns)")
        ensureShape(rows: a.rows, columns: a.columns)
        elements.withUnsafeMutableBufferPointer { target in
            a.elements.withUnsafeBufferPointer { left in
                b.elements.withUnsafeBufferPointer { right in
                    for i in target.indices { target[i] = left[i] * right[i] }
                }
            }
        }
    }
}
