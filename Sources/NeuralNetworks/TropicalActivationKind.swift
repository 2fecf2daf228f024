import LinearAlgebra

/// `tropical(deg=5,channels=0)` and `tropical-rational(deg=5,channels=0)` in the architecture
/// language.
struct TropicalActivationKind: LayerKind {
    /// Whether this is the rational (difference of two max-plus polynomials) kind.
    var rational: Bool

    var name: String { rational ? "tropical-rational" : "tropical" }
    var argumentNames: [String] { ["deg", "channels"] }
    var summary: String {
        rational
            ? "tropical-rational(deg=5,channels=0): learnable max_i(p_i·x + a_i) − max_j(q_j·x + b_j) (seed 002)"
            : "tropical(deg=5,channels=0): learnable (√2/d)·max_i(i·x + c_i), backward gain 1 (seed 002)"
    }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] {
        let shape = try CoefficientSharing.from(arguments).shape(try arguments.degree(default: 5) + 1)
        let names = rational ? ["numerator.slopes", "numerator.intercepts", "denominator.slopes", "denominator.intercepts"]
            : ["intercepts"]
        return names.map { ParameterInfo(name: $0, shape: shape) }
    }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, image: ImageShape?, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        let degree = try arguments.degree(default: 5)
        let sharing = try CoefficientSharing.from(arguments, image: image)
        return rational ? TropicalRationalActivation<Scalar>(degree: degree, sharing: sharing)
            : TropicalActivation<Scalar>(degree: degree, sharing: sharing)
    }
}
