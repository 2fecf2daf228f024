import LinearAlgebra

/// A kind of layer the architecture language can build, such as `dense` or `poly`.
///
/// To add a layer to the language, write a conforming type in its own file (next to the
/// layer) and list it in `LayerRegistry.standard`:
///
/// ```swift
/// struct DenseKind: LayerKind {
///     var name: String { "dense" }
///     var argumentNames: [String] { ["in", "out"] }
///     var summary: String { "dense(in,out): y = x·Wᵀ + b" }
///     func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] {
///         let (input, output) = (try arguments.integer("in"), try arguments.integer("out"))
///         return [ParameterInfo(name: "weight", shape: [output, input]), ParameterInfo(name: "bias", shape: [output])]
///     }
///     func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
///         _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
///     ) throws -> any Layer<Scalar> {
///         Dense(inputWidth: try arguments.integer("in"), outputWidth: try arguments.integer("out"),
///               using: &generator)
///     }
/// }
/// ```
public protocol LayerKind: Sendable {
    /// The name in the language (lowercase).
    var name: String { get }
    /// Argument names in positional order.
    var argumentNames: [String] { get }
    /// One line of help: the signature and what the layer computes.
    var summary: String { get }
    /// The parameters (names and PyTorch shapes) of the layer `makeLayer` would build, computed
    /// without allocating them, so that sizes are checked before anything is allocated. Must
    /// equal the built layer's `parameterInfo`.
    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo]
    /// Builds a freshly initialized layer from its arguments (implement this or the `image:`
    /// variant; each defaults to the other).
    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar>
    /// Builds a freshly initialized layer whose input rows are images of shape `image` (nil
    /// when the previous layer's output is not an image, or for the first layer). Kinds that
    /// need the shape (`conv2d`, `avgpool`) implement it; the default ignores it.
    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, image: ImageShape?, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar>
}

extension LayerKind {
    /// Builds the layer as if its input were not an image. A kind implements at least one of
    /// the two `makeLayer` requirements (each defaults to the other).
    public func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        try makeLayer(arguments, image: nil, as: Scalar.self, using: &generator)
    }

    /// Ignores the image shape.
    public func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, image: ImageShape?, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        try makeLayer(arguments, as: Scalar.self, using: &generator)
    }
}
