import Activations
import LinearAlgebra

/// `fourier(deg=5,frequencies=fixed,channels=0,init=vp)` in the architecture language: `init`
/// is `vp` (variance-preserving) or an activation to fit on values and derivatives over
/// [−3, 3] (``FittedInitialization/fourier(degree:fitting:on:)``).
struct FourierActivationKind: LayerKind {
    var name: String { "fourier" }
    var argumentNames: [String] { ["deg", "frequencies", "channels", "init"] }
    var summary: String {
        "fourier(deg=5,frequencies=fixed|learnable,channels=0,init=vp|gelu|…): learnable a0 + Σ (α_k cos ω_k x + β_k sin ω_k x)/k!, ω_k = k (learnable: from k/2 with init=ACT, whose fit then spans [−3, 3]) (seed 002)"
    }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] {
        let degree = try arguments.degree(default: 5)
        let sharing = try CoefficientSharing.from(arguments)
        let learnable = try arguments.choice("frequencies", default: "fixed", from: ["fixed", "learnable"]) == "learnable"
        return [ParameterInfo(name: "constant", shape: sharing.shape(1)),
                ParameterInfo(name: "cosine", shape: sharing.shape(degree)),
                ParameterInfo(name: "sine", shape: sharing.shape(degree))]
            + (learnable ? [ParameterInfo(name: "frequencies", shape: sharing.shape(degree))] : [])
    }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, image: ImageShape?, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        let degree = try arguments.degree(default: 5)
        let sharing = try CoefficientSharing.from(arguments, image: image)
        let learnable = try arguments.choice("frequencies", default: "fixed", from: ["fixed", "learnable"]) == "learnable"
        var layer = FourierActivation<Scalar>(degree: degree, learnableFrequencies: learnable, sharing: sharing)
        guard let activation = try fittedActivation(arguments) else { return layer }
        // Learnable frequencies start at ω_k = k/2, whose period 4π spans [−3, 3] with room.
        let fundamental = learnable ? 0.5 : 1
        do {
            let fit = try FittedInitialization.fourier(degree: degree, fitting: activation, fundamental: fundamental)
            layer.frequencies = Matrix(rows: sharing.rows, columns: degree,
                                       elements: (0 ..< sharing.rows * degree).map { Scalar(Double($0 % degree + 1) * fundamental) })
            layer.constant = Matrix(rows: sharing.rows, columns: 1, repeating: Scalar(fit.constant))
            layer.cosine = Matrix(rows: sharing.rows, columns: degree, elements: (0 ..< sharing.rows).flatMap { _ in fit.cosine.map { Scalar($0) } })
            layer.sine = Matrix(rows: sharing.rows, columns: degree, elements: (0 ..< sharing.rows).flatMap { _ in fit.sine.map { Scalar($0) } })
        } catch let error as LinearAlgebraError {
            throw arguments.error("could not fit the initial coefficients: \(error)", argument: "init")
        }
        return layer
    }
}

/// The activation `init=NAME` asks to fit, or nil for `init=vp` (the default).
func fittedActivation(_ arguments: LayerArguments) throws -> Activation? {
    let name = try arguments.choice("init", default: "vp", from: ["vp"] + Activation.knownNames)
    return name == "vp" ? nil : try Activation.named(name)
}
