import LinearAlgebra

/// `relu`, `gelu`, `silu`, `tanh`, `sigmoid` in the architecture language.
struct ActivationKind: LayerKind {
    var function: ActivationFunction

    var name: String { function.rawValue }
    var argumentNames: [String] { [] }
    var summary: String { "\(function.rawValue): elementwise activation" }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] { [] }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        ActivationLayer<Scalar>(function)
    }
}
