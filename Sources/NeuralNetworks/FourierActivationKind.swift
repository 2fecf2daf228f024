import LinearAlgebra

/// `fourier(deg=5,frequencies=fixed,channels=0)` in the architecture language.
struct FourierActivationKind: LayerKind {
    var name: String { "fourier" }
    var argumentNames: [String] { ["deg", "frequencies", "channels"] }
    var summary: String {
        "fourier(deg=5,frequencies=fixed|learnable,channels=0): learnable a0 + Σ (α_k cos kx + β_k sin kx)/k! (seed 002)"
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
        FourierActivation<Scalar>(
            degree: try arguments.degree(default: 5),
            learnableFrequencies: try arguments.choice("frequencies", default: "fixed",
                                                       from: ["fixed", "learnable"]) == "learnable",
            sharing: try CoefficientSharing.from(arguments, image: image))
    }
}
