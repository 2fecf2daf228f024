import LinearAlgebra

/// `avgpool(k)` in the architecture language: mean over k × k windows with stride k, after a
/// layer whose output is an image (`conv2d`, or an activation after one).
struct AvgPool2DKind: LayerKind {
    var name: String { "avgpool" }
    var argumentNames: [String] { ["k"] }
    var summary: String { "avgpool(k): mean over non-overlapping k×k windows of the previous conv's image (PyTorch AvgPool2d)" }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] { [] }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, image: ImageShape?, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        let k = try arguments.integer("k")
        guard let image else {
            throw arguments.error("'avgpool' needs an image input: put it after conv2d")
        }
        guard let layer = AvgPool2D<Scalar>(input: image, kernelSize: k) else {
            throw arguments.error("window k=\(k) is larger than the \(image) input", argument: "k")
        }
        return layer
    }
}
