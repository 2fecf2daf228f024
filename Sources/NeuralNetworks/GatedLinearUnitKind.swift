import LinearAlgebra

/// `glu(in,hidden,out,act=sigmoid)` and `bilinear(in,hidden,out)` in the architecture language.
struct GatedLinearUnitKind: LayerKind {
    /// Whether this is the bilinear kind (identity gate).
    var bilinear: Bool

    var name: String { bilinear ? "bilinear" : "glu" }
    var argumentNames: [String] { bilinear ? ["in", "hidden", "out"] : ["in", "hidden", "out", "act"] }
    var summary: String {
        bilinear
            ? "bilinear(in,hidden,out): W_down·((W_gate·x + b) ⊙ (W_up·x + c)) + d, a quadratic layer"
            : "glu(in,hidden,out,act=sigmoid|silu|gelu|relu|tanh): W_down·(act(W_gate·x + b) ⊙ (W_up·x + c)) + d"
    }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] {
        let (input, hidden, output) = (try arguments.integer("in"), try arguments.integer("hidden"), try arguments.integer("out"))
        return [("gate_proj", hidden, input), ("up_proj", hidden, input), ("down_proj", output, hidden)].flatMap { prefix, rows, columns in
            [ParameterInfo(name: "\(prefix).weight", shape: [rows, columns]), ParameterInfo(name: "\(prefix).bias", shape: [rows])]
        }
    }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        let gate: ActivationFunction? = bilinear ? nil : ActivationFunction(
            rawValue: try arguments.choice("act", default: ActivationFunction.sigmoid.rawValue,
                                           from: ActivationFunction.allCases.map(\.rawValue)))
        return GatedLinearUnit<Scalar>(
            inputWidth: try arguments.integer("in"), hiddenWidth: try arguments.integer("hidden"),
            outputWidth: try arguments.integer("out"), gate: gate, using: &generator)
    }
}
