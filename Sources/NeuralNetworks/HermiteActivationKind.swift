import Activations
import LinearAlgebra

/// `hermite(deg=4,init=vp,channels=0)` in the architecture language.
///
/// `init` is `vp` (variance-preserving, the default), `ones` (every coefficient 1, the naive
/// choice) or the name of an activation to fit on values and derivatives over [−3, 3]
/// (`gelu`, `relu`, `silu`, …); `channels=N` keeps one coefficient set per input column, or per
/// image channel when the input is an image with N channels (after `conv2d(…,N,…)`).
struct HermiteActivationKind: LayerKind {
    var name: String { "hermite" }
    var argumentNames: [String] { ["deg", "init", "channels"] }
    var summary: String {
        "hermite(deg=4,init=vp|ones|gelu|…,channels=0): learnable Σ c_k·He_k(x)/k! (seed 002)"
    }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] {
        let degree = try arguments.degree(default: 4)
        return [ParameterInfo(name: "coefficients", shape: try CoefficientSharing.from(arguments).shape(degree + 1))]
    }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, image: ImageShape?, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        let degree = try arguments.degree(default: 4)
        let initialization = try Self.initialization(arguments)
        do {
            return try HermiteActivation<Scalar>(degree: degree, initialization: initialization,
                                                 sharing: try CoefficientSharing.from(arguments, image: image))
        } catch let error as LinearAlgebraError {
            throw arguments.error("could not fit the initial coefficients: \(error)", argument: "init")
        }
    }

    /// `vp`, `ones` or an activation name.
    static func initialization(_ arguments: LayerArguments) throws -> HermiteInitialization {
        let names = ["vp", "ones"] + Activation.knownNames
        let name = try arguments.choice("init", default: "vp", from: names)
        switch name {
        case "vp": return .variancePreserving
        case "ones": return .constant(1)
        default: return .fitting(try Activation.named(name))
        }
    }
}
