import Activations
import Foundation
import LinearAlgebra
import NeuralNetworks
import Polynomials
import TestSupport
import Testing

/// The seed-002 initializations: second moments of F and F′ measured on the layers themselves
/// (F by the forward pass, F′ by the backward pass with ∂loss/∂y = 1) against the derivations.
struct InitializationTests {
    /// F(x) and F′(x) of an elementwise layer at the points `x`.
    static func valuesAndDerivatives<L: Layer>(_ layer: L, at x: [Double]) -> (values: [Double], derivatives: [Double])
    where L.Scalar == Double {
        var copy = layer
        let input = Matrix(rows: x.count, columns: 1, elements: x)
        var (output, inputGradient) = (Matrix<Double>(rows: 0, columns: 0), Matrix<Double>(rows: 0, columns: 0))
        copy.forward(input, into: &output, training: true)
        copy.backward(Matrix(rows: x.count, columns: 1, repeating: 1), input: input, output: output,
                      inputGradient: &inputGradient, needsInputGradient: true)
        return (Array(output.elements), Array(inputGradient.elements))
    }

    /// E[F²] and E[F′²] under N(0, 1) by 40-point Gauss–Hermite quadrature, exact for the
    /// degree-2d polynomials F² and F′² with d ≤ 39.
    static func gaussianMoments<L: Layer>(_ layer: L) throws -> (value: Double, derivative: Double)
    where L.Scalar == Double {
        let rule = try GaussHermiteQuadrature.cached(nodeCount: 40)
        let (f, df) = valuesAndDerivatives(layer, at: rule.nodes)
        return (zip(rule.weights, f).reduce(0) { $0 + $1.0 * $1.1 * $1.1 },
                zip(rule.weights, df).reduce(0) { $0 + $1.0 * $1.1 * $1.1 })
    }

    /// Σ_{j<n} 1/j!.
    static func partialExponentialSum(_ n: Int) -> Double {
        var (sum, term) = (0.0, 1.0)
        for j in 0 ..< n {
            sum += term
            term /= Double(j + 1)
        }
        return sum
    }

    /// E[F²] = E[F′²] = e^{−1}·Σ_{j<d} 1/j! for the variance-preserving coefficients. The
    /// quadrature sums 40 weighted squares of values up to ~1e4 at the outer nodes, whose
    /// weights are below 1e-30, so the rounding error is a few ulps of the O(1) result: 1e-13.
    @Test(arguments: [1, 3, 4, 8])
    func hermiteVariancePreservingMoments(degree: Int) throws {
        let (value, derivative) = try Self.gaussianMoments(HermiteActivation<Double>(degree: degree))
        let closedForm = exp(-1) * Self.partialExponentialSum(degree)
        #expect(abs(value - derivative) <= 1e-13)
        #expect(abs(value - closedForm) <= 1e-13, "E[F²] = \(value), closed form \(closedForm)")
        #expect(abs(derivative - closedForm) <= 1e-13, "E[F′²] = \(derivative), closed form \(closedForm)")
    }

    /// The naive all-ones coefficients: E[F²] = Σ_{k≤d} 1/k!, E[F′²] = Σ_{j<d} 1/j! (the
    /// general moment formulas of the derivation, and gains near e instead of 1).
    @Test(arguments: [3, 8])
    func hermiteConstantMoments(degree: Int) throws {
        let layer = try HermiteActivation<Double>(degree: degree, initialization: .constant(1))
        let (value, derivative) = try Self.gaussianMoments(layer)
        #expect(abs(value - Self.partialExponentialSum(degree + 1)) <= 1e-13)
        #expect(abs(derivative - Self.partialExponentialSum(degree)) <= 1e-13)
    }

    /// E over x ~ U[−π, π) by the N-point trapezoid rule, exact for trigonometric polynomials
    /// of degree < N: F² and F′² have degree 2d < 64.
    static func uniformMoments(_ layer: FourierActivation<Double>) -> (value: Double, derivative: Double) {
        let count = 64
        let x = (0 ..< count).map { -Double.pi + 2 * Double.pi * Double($0) / Double(count) }
        let (f, df) = valuesAndDerivatives(layer, at: x)
        return (f.reduce(0) { $0 + $1 * $1 } / Double(count), df.reduce(0) { $0 + $1 * $1 } / Double(count))
    }

    /// The Fourier convention: E[F²] = E[F′²] = Σ_{j<d} 1/(j!)² / I₀(2) under U[−π, π]; sums of
    /// 64 O(1) squares, so 1e-13.
    @Test(arguments: [1, 3, 5, 8])
    func fourierVariancePreservingMoments(degree: Int) {
        let (value, derivative) = Self.uniformMoments(FourierActivation<Double>(degree: degree))
        // I₀(2) = Σ_j 1/(j!)² (30 terms: far past double precision).
        let squares = (0 ..< 30).map { j in pow(1 / tgamma(Double(j + 1)), 2) }
        let expected = squares.prefix(degree).reduce(0, +) / squares.reduce(0, +)
        #expect(abs(value - derivative) <= 1e-13)
        #expect(abs(value - expected) <= 1e-13, "E[F²] = \(value), derivation \(expected)")
    }

    /// The energy convention for arbitrary coefficients: each harmonic carries
    /// (α_k² + β_k²)/(2·(k!)²), i.e. half its squared amplitude. The trapezoid sums 64 positive
    /// squares of values with relative error ≤ 6u (the angle-addition recurrence adds ~u per
    /// harmonic, k ≤ 4, on sines and cosines within 2 ulps), so the sum is within
    /// (2·6 + 64)·u ≈ 1.7e-14 relative: 1e-13·max(1, E) leaves a factor 6.
    @Test func fourierHarmonicsCarryHalfTheirSquaredAmplitude() {
        var layer = FourierActivation<Double>(degree: 4)
        randomizeParameters(&layer, scale: 1, seed: 40)
        let (a0, alpha, beta) = (layer.constant[0, 0], layer.cosine.elements, layer.sine.elements)
        var value = a0 * a0, derivative = 0.0, factorial = 1.0
        for k in 1 ... 4 {
            factorial *= Double(k)
            let energy = (alpha[k - 1] * alpha[k - 1] + beta[k - 1] * beta[k - 1]) / (2 * factorial * factorial)
            value += energy
            derivative += Double(k * k) * energy
        }
        let measured = Self.uniformMoments(layer)
        #expect(abs(measured.value - value) <= 1e-13 * max(1, value))
        #expect(abs(measured.derivative - derivative) <= 1e-13 * max(1, derivative))
    }

    /// Backward gain E[F′²] = 1 exactly at initialization: F′ = √2 on x > 0 and 0 on x < 0,
    /// measured on antithetic N(0, 1) samples (±x, never 0), so the mean of F′² is
    /// (2 + 0)/2 up to the rounding of √2·√2 (1e-15).
    @Test(arguments: [1, 3, 5, 8])
    func tropicalBackwardGainIsOne(degree: Int) {
        var generator = SeededGenerator(seed: 41)
        let half = (0 ..< 500).map { _ in abs(Double.standardNormal(using: &generator)) + 1e-3 }
        for layer in [TropicalActivation<Double>(degree: degree), TropicalRationalActivation<Double>(degree: degree)]
            as [any Layer<Double>] {
            let derivatives = Self.valuesAndDerivatives(layer, at: half + half.map { -$0 }).derivatives
            let gain = derivatives.reduce(0) { $0 + $1 * $1 } / Double(derivatives.count)
            #expect(abs(gain - 1) <= 1e-15, "\(layer.specification): E[F′²] = \(gain)")
        }
    }

    /// The fit of GELU on values and derivatives over [−3, 3]: GELU − x/2 is even, so on the
    /// symmetric sample the fit must give c_1 = 1/2 and zero odd coefficients above it, up to
    /// the rounding of an SVD solve (condition number ~1e4 · ε ≈ 1e-12).
    @Test(arguments: [4, 8])
    func geluFitHasTheRightParity(degree: Int) throws {
        let c = try HermiteInitialization.fitting(.gelu).coefficients(degree: degree)
        #expect(abs(c[1] - 0.5) <= 1e-12)
        for k in stride(from: 3, through: degree, by: 2) { #expect(abs(c[k]) <= 1e-12, "c_\(k) = \(c[k])") }
        // The fit is close to GELU on the interval (a loose sanity bound; the exact figure is
        // reported by `polynet bench activations`).
        let layer = try HermiteActivation<Double>(degree: degree, initialization: .fitting(.gelu))
        let x = stride(from: -3.0, through: 3.0, by: 0.01).map { $0 }
        let error = zip(Self.valuesAndDerivatives(layer, at: x).values, x.map(Activation.gelu.value))
            .map { abs($0 - $1) }.max()!
        #expect(error < 0.1, "max |F − GELU| on [−3, 3] = \(error)")
    }

    /// Fitting a degree-4 polynomial given by its explicit Hermite form recovers its
    /// coefficients (least squares with an exact solution; 1e-11 for the SVD's rounding).
    @Test func fitRecoversAPolynomial() throws {
        let c = [0.3, -1.2, 0.7, 2.0, -0.4]
        let target = Activation(
            name: "quartic",
            value: { x in c[0] + c[1] * x + c[2] * (x * x - 1) / 2 + c[3] * (x * x * x - 3 * x) / 6
                + c[4] * (x * x * x * x - 6 * x * x + 3) / 24 },
            derivative: { x in c[1] + c[2] * x + c[3] * (x * x - 1) / 2 + c[4] * (x * x * x - 3 * x) / 6 })
        let fitted = try HermiteInitialization.fittedCoefficients(degree: 4, fitting: target, on: -2 ... 3)
        expectClose(fitted, c, absolute: 1e-11)
    }

    /// `InitializationReport` on one variance-preserving Hermite layer: E[a²] and E[g²] (with
    /// N(0, 1) output gradients independent of the input) both estimate e^{−1}·Σ_{j<4} 1/j!;
    /// allowed 5 standard errors of the Monte-Carlo means.
    @Test func reportMeasuresTheHermiteGains() throws {
        var generator = SeededGenerator(seed: 42)
        let model = Sequential<Double>([HermiteActivation<Double>(degree: 4)])
        let report = try InitializationReport(model, batchSize: 4000, inputWidth: 10, using: &generator)
        #expect(report.rows.count == 2)
        #expect(abs(report.rows[0].activationSecondMoment - 1) <= 5 * (2.0 / 40000).squareRoot())
        let expected = exp(-1) * Self.partialExponentialSum(4)
        // Var[F²] and Var[(g·F′)²] by quadrature give the standard errors.
        let rule = try GaussHermiteQuadrature.cached(nodeCount: 40)
        let (f, df) = Self.valuesAndDerivatives(HermiteActivation<Double>(degree: 4), at: rule.nodes)
        let fourthF = zip(rule.weights, f).reduce(0) { $0 + $1.0 * pow($1.1, 4) }
        let fourthDF = 3 * zip(rule.weights, df).reduce(0) { $0 + $1.0 * pow($1.1, 4) }  // E[g⁴] = 3
        let samples = 40000.0
        #expect(abs(report.rows[1].activationSecondMoment - expected)
                <= 5 * ((fourthF - expected * expected) / samples).squareRoot())
        #expect(abs(report.rows[1].gradientSecondMoment - expected)
                <= 5 * ((fourthDF - expected * expected) / samples).squareRoot())
    }
}
