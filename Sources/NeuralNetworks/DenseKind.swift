import LinearAlgebra

/// `dense(in,out)` in the architecture language.
struct DenseKind: LayerKind {
    var name: String { "dense" }
    var argumentNames: [String] { ["in", "out"] }
    var summary: String { "dense(in,out): fully connected, y = x·Wᵀ + b (PyTorch Linear)" }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] {
        let (input, output) = (try arguments.integer("in"), try arguments.integer("out"))
        return [ParameterInfo(name: "weight", shape: [output, input]), ParameterInfo(name: "bias", shape: [output])]
    }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        Dense<Scalar>(inputWidth: try arguments.integer("in"), outputWidth: try arguments.integer("out"),
                      using: &generator)
    }
}
