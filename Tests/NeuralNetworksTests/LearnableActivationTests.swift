import Foundation
import LinearAlgebra
import NeuralNetworks
import TestSupport
import Testing

/// Forward values against independent formulas, and finite-difference checks of every
/// backward pass (tolerances in GradientCheck.swift), for the seed-002 activations.
struct LearnableActivationTests {
    /// Per-layer and per-channel sharing for a 5-column input.
    static let sharings: [CoefficientSharing] = [.perLayer, .perChannel(5)]

    @Test(arguments: sharings, [1, 3, 6])
    func hermiteGradients(_ sharing: CoefficientSharing, degree: Int) {
        var layer = HermiteActivation<Double>(degree: degree, sharing: sharing)
        randomizeParameters(&layer, seed: 11)
        expectGradientsMatchFiniteDifferences(layer, input: LayerGradientTests.input())
    }

    /// The same on sets of 37 columns (one set per layer over 37 columns, and two image planes
    /// of 37): the kernels go over 16 columns at a time, so each set takes two whole tiles and a
    /// remainder.
    @Test(arguments: [(CoefficientSharing.perLayer, 37), (.perPlane(channels: 2, planeSize: 37), 74)])
    func hermiteGradientsOnWideSets(_ sharing: CoefficientSharing, columns: Int) {
        var layer = HermiteActivation<Double>(degree: 4, sharing: sharing)
        randomizeParameters(&layer, seed: 14)
        expectGradientsMatchFiniteDifferences(layer, input: LayerGradientTests.input(rows: 3, columns: columns, seed: 15))
    }

    /// F = Σ c_k·He_k/k! against the explicit polynomials He_0 … He_4, pure arithmetic on both
    /// sides (no BLAS or libm). With |x| ≤ 3 and u = 2⁻⁵³: He_k takes ≤ 5 roundings of values
    /// ≤ 3ᵏ, scaled by |c_k|/k! (≤ 1.2, 0.35, 0.33, 0.017), about 45u in all, and summing the
    /// five terms (Σ|terms| ≤ 15) adds 4u·15: each side is within ~105u ≈ 1.2e-14 of exact,
    /// so they differ by at most 2.4e-14 < 1e-13.
    @Test func hermiteMatchesExplicitPolynomials() {
        let c = [0.3, -1.2, 0.7, 2.0, -0.4]
        let layer = HermiteActivation<Double>(coefficients: Matrix([c]))
        let x = LayerGradientTests.input(rows: 3, columns: 7, seed: 12).map { 2 * $0 }
        let expected = x.map { x in
            let he = [1, x, x * x - 1, x * x * x - 3 * x, x * x * x * x - 6 * x * x + 3]
            return c[0] * he[0] + c[1] * he[1] + c[2] * he[2] / 2 + c[3] * he[3] / 6 + c[4] * he[4] / 24
        }
        expectClose(layer(x), expected, absolute: 1e-13, relative: 1e-13)
    }

    @Test func perChannelCoefficientsApplyToTheirColumn() {
        // Column j uses the set c = (j, 1): F(x) = j + x.
        let layer = HermiteActivation<Double>(coefficients: Matrix([[0, 1], [1, 1], [2, 1]]), sharing: .perChannel(3))
        let x = Matrix<Double>([[0.5, 0.5, 0.5], [-1, -1, -1]])
        // Every value is a small dyadic rational, so j + x is exact; 1e-15 (4 ulps of 2.5)
        // only allows for a differently ordered evaluation of the degree-1 series.
        expectClose(layer(x), Matrix([[0.5, 1.5, 2.5], [-1, 0, 1]]), absolute: 1e-15)
        #expect(layer.parameterInfo == [ParameterInfo(name: "coefficients", shape: [3, 2])])
    }

    @Test(arguments: sharings, [false, true])
    func fourierGradients(_ sharing: CoefficientSharing, learnableFrequencies: Bool) {
        var layer = FourierActivation<Double>(degree: 4, learnableFrequencies: learnableFrequencies, sharing: sharing)
        randomizeParameters(&layer, seed: 13)
        expectGradientsMatchFiniteDifferences(layer, input: LayerGradientTests.input())
    }

    /// The angle-addition recurrence (fixed frequencies) and direct sines and cosines
    /// (learnable frequencies) against the formula. With |x| ≤ 4.5 and k ≤ 5: the recurrence's
    /// error in cos kx, sin kx grows by about 3u per step (15u ≈ 1.7e-15 at k = 5); the
    /// reference's sin and cos are within 2 ulps of the rounded argument k·x, whose own
    /// rounding (u·22.5 ≈ 2.5e-15) dominates. Weighted by |α_k|, |β_k|/k! ≤ 3 and summed over
    /// 10 terms, the sides differ by ≲ 4e-14 < 1e-13.
    @Test(arguments: [false, true])
    func fourierMatchesFormula(learnableFrequencies: Bool) {
        var generator = SeededGenerator(seed: 14)
        let d = 5
        let a0 = 0.3, alpha = (0 ..< d).map { _ in Double.standardNormal(using: &generator) }
        let beta = (0 ..< d).map { _ in Double.standardNormal(using: &generator) }
        let layer = FourierActivation<Double>(constant: Matrix([[a0]]), cosine: Matrix([alpha]), sine: Matrix([beta]),
                                              learnableFrequencies: learnableFrequencies)
        let x = LayerGradientTests.input(rows: 4, columns: 6, seed: 15).map { 3 * $0 }
        let expected = x.map { x in
            var total = a0, factorial = 1.0
            for k in 1 ... d {
                factorial *= Double(k)
                total += (alpha[k - 1] * cos(Double(k) * x) + beta[k - 1] * sin(Double(k) * x)) / factorial
            }
            return total
        }
        expectClose(layer(x), expected, absolute: 1e-13, relative: 1e-13)
        #expect(layer.parameterInfo.map(\.name) == ["constant", "cosine", "sine"] + (learnableFrequencies ? ["frequencies"] : []))
    }

    @Test(arguments: sharings, [1, 2, 5])
    func tropicalGradients(_ sharing: CoefficientSharing, degree: Int) {
        var layer = TropicalActivation<Double>(degree: degree, sharing: sharing)
        randomizeParameters(&layer, seed: 16)
        expectGradientsMatchFiniteDifferences(layer, input: LayerGradientTests.input())
    }

    /// At initialization F(x) = √2/d + √2·max(x, 0) (from c_i = 1). The layer computes
    /// (√2/d)·max_i(i·x + 1): three roundings of values ≤ √2·(d·1.5 + 1)/d ≤ 3.6, so it is within
    /// 4u·3.6 ≈ 1.6e-15 of exact (pure arithmetic), and so is the reference: 1e-14.
    @Test(arguments: [1, 3, 5])
    func tropicalInitializationIsAScaledReLU(degree: Int) {
        let layer = TropicalActivation<Double>(degree: degree)
        let x = LayerGradientTests.input(rows: 3, columns: 5, seed: 17)
        let expected = x.map { 2.0.squareRoot() / Double(degree) + 2.0.squareRoot() * max($0, 0) }
        expectClose(layer(x), expected, absolute: 1e-14, relative: 1e-14)
    }

    @Test(arguments: sharings, [1, 4])
    func tropicalRationalGradients(_ sharing: CoefficientSharing, degree: Int) {
        var layer = TropicalRationalActivation<Double>(degree: degree, sharing: sharing)
        randomizeParameters(&layer, seed: 18)
        expectGradientsMatchFiniteDifferences(layer, input: LayerGradientTests.input())
    }

    /// The rational activation starts equal to the tropical one (its denominator is zero): the
    /// same few roundings as above, 1e-14.
    @Test func tropicalRationalStartsAsTropical() {
        let x = LayerGradientTests.input(rows: 4, columns: 5, seed: 19)
        expectClose(TropicalRationalActivation<Double>(degree: 4)(x), TropicalActivation<Double>(degree: 4)(x),
                    absolute: 1e-14, relative: 1e-14)
    }

    /// F = max(p·x + a) − max(q·x + b) against a direct evaluation with random parameters
    /// (normal with σ = 1, so |p|, |a|, |q|, |b| ≲ 4; |x| ≤ 1.5): four roundings of values ≲ 10
    /// per side, 2·4u·10 ≈ 4.4e-15 apart at most, checked to 1e-14.
    @Test func tropicalRationalMatchesFormula() {
        var layer = TropicalRationalActivation<Double>(degree: 3)
        randomizeParameters(&layer, scale: 1, seed: 20)
        let (p, a, q, b) = (layer.numeratorSlopes.elements, layer.numeratorIntercepts.elements,
                            layer.denominatorSlopes.elements, layer.denominatorIntercepts.elements)
        let x = LayerGradientTests.input(rows: 3, columns: 4, seed: 21)
        let expected = x.map { x in
            (0 ... 3).map { p[$0] * x + a[$0] }.max()! - (0 ... 3).map { q[$0] * x + b[$0] }.max()!
        }
        expectClose(layer(x), expected, absolute: 1e-14, relative: 1e-14)
    }

    @Test func architectureBuildsEveryKindAndChecksArguments() throws {
        var generator = SeededGenerator(seed: 22)
        let text = "dense(5,4) hermite(deg=3) fourier(deg=2,frequencies=learnable) tropical(deg=2,channels=4) "
            + "tropical-rational(deg=2) hermite(deg=8,init=gelu,channels=4) glu(4,3,4,act=silu) bilinear(4,2,3)"
        var model: Sequential<Double> = try Architecture(parsing: text).makeModel(using: &generator)
        #expect(model.specification == text.replacingOccurrences(of: ",init=gelu", with: ""))
        randomizeParameters(&model, seed: 23)
        expectGradientsMatchFiniteDifferences(model, input: LayerGradientTests.input())
        for bad in ["hermite(deg=0)", "hermite(init=cubic)", "fourier(frequencies=maybe)", "tropical(channels=-1)",
                    "glu(4,3,2,act=softmax)", "bilinear(4,3)"] {
            #expect(throws: ArchitectureError.self, "\(bad)") {
                _ = try Architecture(parsing: bad).makeModel(as: Double.self, using: &generator)
            }
        }
    }
}
