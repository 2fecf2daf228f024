import LinearAlgebra

/// `layernorm(width,eps=1e-5)` in the architecture language.
struct LayerNormKind: LayerKind {
    var name: String { "layernorm" }
    var argumentNames: [String] { ["width", "eps"] }
    var summary: String { "layernorm(width,eps=1e-5): normalize each example, then scale and shift (PyTorch LayerNorm)" }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] {
        let width = try arguments.integer("width")
        return [ParameterInfo(name: "weight", shape: [width]), ParameterInfo(name: "bias", shape: [width])]
    }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        let epsilon = try arguments.number("eps", default: 1e-5)
        guard epsilon > 0 else { throw arguments.error("'eps' must be positive", argument: "eps") }
        return LayerNorm<Scalar>(width: try arguments.integer("width"), epsilon: Scalar(epsilon))
    }
}
