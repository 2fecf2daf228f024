import LinearAlgebra

/// `conv2d(in,out,k=…,stride=1,pad=0,size=…)` in the architecture language.
///
/// The input image is square, `in` × size × size. `size` may be left out after a layer whose
/// output is an image (`conv2d`, `avgpool`, or an elementwise activation after them): it is
/// then that image's height, and the image must have `in` channels. The first layer of a
/// model (or one after `flatten` or `dense`) states it, e.g.
/// `conv2d(1,5,k=5,stride=2,pad=1,size=28)` on MNIST.
struct Conv2DKind: LayerKind {
    var name: String { "conv2d" }
    var argumentNames: [String] { ["in", "out", "k", "stride", "pad", "size"] }
    var summary: String {
        "conv2d(in,out,k=…,stride=1,pad=0,size=…): 2-D convolution on NCHW rows (PyTorch Conv2d); size = input height = width, taken from the previous conv/avgpool when left out"
    }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] {
        let (input, output, k) = (try arguments.integer("in"), try arguments.integer("out"), try arguments.integer("k"))
        return [ParameterInfo(name: "weight", shape: [output, input, k, k]), ParameterInfo(name: "bias", shape: [output])]
    }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, image: ImageShape?, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        let geometry = try Self.geometry(arguments, image: image)
        return Conv2D<Scalar>(geometry: geometry, outputChannels: try arguments.integer("out"), using: &generator)
    }

    /// The window geometry the arguments ask for on an input image of shape `image`.
    static func geometry(_ arguments: LayerArguments, image: ImageShape?) throws -> ConvolutionGeometry {
        let channels = try arguments.integer("in")
        let k = try arguments.integer("k")
        let stride = try arguments.integer("stride", default: 1, minimum: 1)
        let padding = try arguments.integer("pad", default: 0, minimum: 0)
        let size = try arguments.integer("size", default: 0, minimum: 0)
        let input: ImageShape
        if size > 0 {
            if let image, image.height != size || image.width != size {
                throw arguments.error("size=\(size) but the previous layer gives \(image) images", argument: "size")
            }
            input = ImageShape(channels: channels, height: size, width: size)
        } else if let image {
            input = ImageShape(channels: channels, height: image.height, width: image.width)
        } else {
            throw arguments.error("'conv2d' needs size= (the input height = width, e.g. size=28) when the previous layer's output is not an image")
        }
        if let image, image.channels != channels {
            throw arguments.error("'conv2d' takes \(channels) channels but the previous layer gives \(image.channels) (\(image) images)", argument: "in")
        }
        guard let geometry = ConvolutionGeometry(input: input, kernelSize: k, stride: stride, padding: padding) else {
            if Double(input.height) + 2 * Double(padding) < Double(k) {
                throw arguments.error("kernel k=\(k) is larger than the padded input (\(input.height) + 2·\(padding))", argument: "k")
            }
            throw arguments.error("conv2d on \(input) images with k=\(k), pad=\(padding) is too large to index")
        }
        // Each batch row needs a patch block of P × in·k·k values: refuse when one image's block
        // alone is over the activation limit (the trainer checks whole batches).
        let patchCount = geometry.positions * geometry.patchWidth
        guard patchCount <= ArchitectureLimits.defaultMaximumActivationElements else {
            throw arguments.error("the patch matrix of one \(input) image (\(geometry.positions) windows × \(geometry.patchWidth)) "
                                  + "is over the limit of \(ArchitectureLimits.defaultMaximumActivationElements) values")
        }
        return geometry
    }
}
