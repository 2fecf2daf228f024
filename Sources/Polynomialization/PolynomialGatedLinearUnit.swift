import LinearAlgebra
import NeuralNetworks
import Polynomials

/// A gated linear unit whose gate nonlinearity is replaced by a polynomial:
/// y = W_down·(p(W_gate·x + b_gate) ⊙ (W_up·x + b_up)) + b_down, with p a fixed Chebyshev
/// series on the interval the gate's inputs were measured on (``ChebyshevActivation``).
///
/// Parameters keep the names of ``/NeuralNetworks/GatedLinearUnit`` (`gate_proj.weight`, …) and
/// add the polynomial's `gate.coefficients` [n + 1] and `gate.interval` [2], so the trained
/// projections load unchanged. Depth: the projections one level, p its Paterson–Stockmeyer
/// depth on top, the product one more, the output projection one more.
public struct PolynomialGatedLinearUnit<Scalar: BLASScalar>: Layer {
    /// The projection whose output goes through the polynomial gate.
    public var gateProjection: Dense<Scalar>
    /// The linear branch multiplied by the gate.
    public var upProjection: Dense<Scalar>
    /// The output projection.
    public var downProjection: Dense<Scalar>
    /// p, applied to the gate projection's outputs (its penalty, when fine-tuning, acts there).
    public var gate: ChebyshevActivation<Scalar>

    private var gateInput = Matrix<Scalar>(rows: 0, columns: 0), gateOutput = Matrix<Scalar>(rows: 0, columns: 0)
    private var value = Matrix<Scalar>(rows: 0, columns: 0), hidden = Matrix<Scalar>(rows: 0, columns: 0)
    private var hiddenGradient = Matrix<Scalar>(rows: 0, columns: 0), valueGradient = Matrix<Scalar>(rows: 0, columns: 0)
    private var gateOutputGradient = Matrix<Scalar>(rows: 0, columns: 0), gateInputGradient = Matrix<Scalar>(rows: 0, columns: 0)
    private var unusedGradient = Matrix<Scalar>(rows: 0, columns: 0)

    /// `unit` (its gate function ignored) with `gate` as its gate.
    public init(_ unit: GatedLinearUnit<Scalar>, gate: ChebyshevActivation<Scalar>) {
        self.init(gateProjection: unit.gateProjection, upProjection: unit.upProjection, downProjection: unit.downProjection,
                  gate: gate)
    }

    /// A unit made of the three projections and the gate polynomial.
    /// - Precondition: the projections chain (as for ``/NeuralNetworks/GatedLinearUnit``).
    public init(gateProjection: Dense<Scalar>, upProjection: Dense<Scalar>, downProjection: Dense<Scalar>,
                gate: ChebyshevActivation<Scalar>) {
        precondition(gateProjection.weight.rows == upProjection.weight.rows
                     && gateProjection.weight.columns == upProjection.weight.columns
                     && downProjection.weight.columns == gateProjection.weight.rows,
                     "GLU projections gate \(gateProjection.weight.rows)×\(gateProjection.weight.columns), up \(upProjection.weight.rows)×\(upProjection.weight.columns), down \(downProjection.weight.rows)×\(downProjection.weight.columns) do not chain")
        (self.gateProjection, self.upProjection, self.downProjection, self.gate) = (gateProjection, upProjection, downProjection, gate)
    }

    public var inputWidth: Int? { gateProjection.weight.columns }
    public func outputWidth(forInputWidth width: Int) -> Int { downProjection.weight.rows }
    public var specification: String {
        "polynomial-glu(\(gateProjection.weight.columns),\(gateProjection.weight.rows),\(downProjection.weight.rows),deg=\(gate.degree))"
    }

    public var parameterInfo: [ParameterInfo] {
        [("gate_proj", gateProjection.parameterInfo), ("up_proj", upProjection.parameterInfo),
         ("down_proj", downProjection.parameterInfo), ("gate", gate.parameterInfo)].flatMap { prefix, infos in
            infos.map { ParameterInfo(name: "\(prefix).\($0.name)", shape: $0.shape) }
        }
    }

    public func checkParameters() throws { try gate.checkParameters() }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        gateProjection.visitParameters(body)
        upProjection.visitParameters(body)
        downProjection.visitParameters(body)
        gate.visitParameters(body)
    }

    /// The inputs of the gate polynomial for `input`: W_gate·x + b_gate.
    public func gateInputs(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        var projection = gateProjection
        var output = Matrix<Scalar>(rows: 0, columns: 0)
        projection.forward(input, into: &output, training: false)
        return output
    }

    @_specialize(where Scalar == Float)
    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        gateProjection.forward(input, into: &gateInput, training: training)
        upProjection.forward(input, into: &value, training: training)
        gate.forward(gateInput, into: &gateOutput, training: training)
        Self.setProduct(&hidden, gateOutput, value)
        downProjection.forward(hidden, into: &output, training: training)
    }

    /// ∂value = ∂hidden ⊙ p(gate), ∂p = ∂hidden ⊙ value, then through p and the two input
    /// projections, whose input gradients add.
    @_specialize(where Scalar == Float)
    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        downProjection.backward(outputGradient, input: hidden, output: output, inputGradient: &hiddenGradient,
                                needsInputGradient: true)
        Self.setProduct(&valueGradient, hiddenGradient, gateOutput)
        Self.setProduct(&gateOutputGradient, hiddenGradient, value)
        gate.backward(gateOutputGradient, input: gateInput, output: gateOutput, inputGradient: &gateInputGradient,
                      needsInputGradient: true)
        gateProjection.backward(gateInputGradient, input: input, output: gateInput, inputGradient: &inputGradient,
                                needsInputGradient: needsInputGradient)
        upProjection.backward(valueGradient, input: input, output: value, inputGradient: &unusedGradient,
                              needsInputGradient: false)
        if needsInputGradient { inputGradient.setProduct(valueGradient, upProjection.weight, beta: 1) }
    }

    /// target = a ⊙ b.
    private static func setProduct(_ target: inout Matrix<Scalar>, _ a: Matrix<Scalar>, _ b: Matrix<Scalar>) {
        target.ensureShape(rows: a.rows, columns: a.columns)
        a.elements.withUnsafeBufferPointer { a in
            b.elements.withUnsafeBufferPointer { b in
                target.withUnsafeMutableElements { y in for i in y.indices { y[i] = a[i] * b[i] } }
            }
        }
    }
}
