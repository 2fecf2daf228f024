import LinearAlgebra

/// `poly(in,out,deg=3,basis=monomial)` in the architecture language.
struct PolynomialLayerKind: LayerKind {
    var name: String { "poly" }
    var argumentNames: [String] { ["in", "out", "deg", "basis"] }
    var summary: String {
        "poly(in,out,deg=3,basis=monomial|chebyshev|hermite): a polynomial on every edge (seed 001)"
    }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] {
        let (input, output) = (try arguments.integer("in"), try arguments.integer("out"))
        return [ParameterInfo(name: "weight", shape: [output, input, try arguments.degree(default: 3) + 1])]
    }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        let basis = try arguments.choice("basis", default: PolynomialBasis.monomial.rawValue,
                                         from: PolynomialBasis.allCases.map(\.rawValue))
        return PolynomialLayer<Scalar>(
            inputWidth: try arguments.integer("in"), outputWidth: try arguments.integer("out"),
            degree: try arguments.degree(default: 3),
            basis: PolynomialBasis(rawValue: basis)!, using: &generator)
    }
}
