import LinearAlgebra

/// `tropical(deg=5,channels=0)` and `tropical-rational(deg=5,channels=0,init=vp)` in the
/// architecture language; the rational kind's `init` is `vp` (the tropical activation's start)
/// or an activation to fit over [−3, 3] (``FittedInitialization/tropicalRational(degree:fitting:on:)``).
struct TropicalActivationKind: LayerKind {
    /// Whether this is the rational (difference of two max-plus polynomials) kind.
    var rational: Bool

    var name: String { rational ? "tropical-rational" : "tropical" }
    var argumentNames: [String] { rational ? ["deg", "channels", "init"] : ["deg", "channels"] }
    var summary: String {
        rational
            ? "tropical-rational(deg=5,channels=0,init=vp|gelu|…): learnable max_i(p_i·x + a_i) − max_j(q_j·x + b_j) (seed 002)"
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
        guard rational else { return TropicalActivation<Scalar>(degree: degree, sharing: sharing) }
        guard let activation = try fittedActivation(arguments) else {
            return TropicalRationalActivation<Scalar>(degree: degree, sharing: sharing)
        }
        do {
            let fit = try FittedInitialization.tropicalRational(degree: degree, fitting: activation)
            func repeated(_ values: [Double]) -> Matrix<Scalar> {
                Matrix(rows: sharing.rows, columns: degree + 1, elements: (0 ..< sharing.rows).flatMap { _ in values.map { Scalar($0) } })
            }
            return TropicalRationalActivation<Scalar>(
                numeratorSlopes: repeated(fit.numerator.slopes), numeratorIntercepts: repeated(fit.numerator.intercepts),
                denominatorSlopes: repeated(fit.denominator.slopes), denominatorIntercepts: repeated(fit.denominator.intercepts),
                sharing: sharing)
        } catch let error as LinearAlgebraError {
            throw arguments.error("could not fit the initial coefficients: \(error)", argument: "init")
        }
    }
}
