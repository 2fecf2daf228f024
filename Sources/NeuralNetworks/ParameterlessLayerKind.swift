import LinearAlgebra

/// The parameterless layers `flatten` and `square` in the architecture language.
struct ParameterlessLayerKind: LayerKind {
    /// `flatten` or `square`.
    var name: String

    var argumentNames: [String] { [] }
    var summary: String {
        name == "flatten" ? "flatten: ends the image layers (a no-op on NCHW rows; PyTorch Flatten)"
            : "square: elementwise x² (the CryptoNets activation)"
    }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] { [] }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        name == "flatten" ? Flatten<Scalar>() : Square<Scalar>()
    }
}
