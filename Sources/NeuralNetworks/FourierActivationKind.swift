import LinearAlgebra

/// `fourier(deg=5,frequencies=fixed,channels=0)` in the architecture language.
struct FourierActivationKind: LayerKind {
    var name: String { "fourier" }
    var argumentNames: [String] { ["deg", "frequencies", "channels"] }
    var summary: String {
        "fourier(deg=5,frequencies=fixed|learnable,channels=0): learnable a0 + Σ (α_k cos kx + β_k sin kx)/k! (seed 002)"
    }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        FourierActivation<Scalar>(
            degree: try arguments.integer("deg", default: 5, minimum: 1),
            learnableFrequencies: try arguments.choice("frequencies", default: "fixed",
                                                       from: ["fixed", "learnable"]) == "learnable",
            sharing: try CoefficientSharing.from(arguments))
    }
}
