import Activations
import Foundation
import Testing
import TestSupport

@Suite struct HermiteProjectionTests {
    private let phi0 = 1 / (2 * Double.pi).squareRoot()

    /// Brute force E[f(μ + σZ)·He_j(Z)]/j! by the trapezoid rule on [−14, 14] with step 1e-3 in z:
    /// independent of every code path under test. For kinked f the trapezoid error is O(h²)
    /// ≈ 1e-7 at a kink; for smooth f it is spectrally small.
    private func bruteForce(_ f: (Double) -> Double, mean: Double, std: Double, degree: Int) -> [Double] {
        let h = 1e-3
        var c = [Double](repeating: 0, count: degree + 1)
        var z = -14.0
        while z <= 14 {
            let weight = h * exp(-z * z / 2) / (2 * Double.pi).squareRoot()
            let fz = f(mean + std * z)
            var (previous, current) = (0.0, 1.0)
            for j in 0 ... degree {
                c[j] += weight * fz * current
                (previous, current) = (current, z * current - Double(j) * previous)
            }
            z += h
        }
        var factorial = 1.0
        for j in 0 ... degree {
            if j > 0 { factorial *= Double(j) }
            c[j] /= factorial
        }
        return c
    }

    @Test func reluStandardNormalMatchesPublishedSeries() throws {
        // ReLU(z) = φ(0) + z/2 + φ(0)·Σ_{k≥1} (−1)^{k+1} He_{2k}(z) / (2k(2k−1)·2^{k−1}... ) — we
        // check c_n = He_{n−2}(0)·φ(0)/n! for n ≥ 2, with He_{2m}(0) = (−1)^m (2m−1)!!.
        let c = try Activation.relu.probabilistsHermiteCoefficients(mean: 0, standardDeviation: 1, degree: 8)
        let expected = [phi0, 0.5, phi0 / 2, 0, -phi0 / 24, 0, 3 * phi0 / 720, 0, -15 * phi0 / 40320]
        // Closed form: only rounding in a few operations, so 1e-15 absolute; issue asks 1e-12.
        expectClose(c, expected, absolute: 1e-15)
    }

    @Test(arguments: [(0.7, 1.3), (-2.0, 0.5), (3.0, 4.0), (0.0, 0.1)])
    func closedFormsMatchBruteForce(mean: Double, std: Double) throws {
        let degree = 10
        for activation in [Activation.relu, .gelu, .absoluteValue, .leakyReLU(slope: 0.2), .identity, .sign] {
            let closed = try activation.probabilistsHermiteCoefficients(mean: mean, standardDeviation: std, degree: degree)
            let reference = bruteForce(activation.value, mean: mean, std: std, degree: degree)
            // Trapezoid error at the kink: h²·|jump of derivative|·|He_j| ≈ 1e-6·σ; for the
            // sign jump O(h) = 1e-3·φ. Smooth parts are spectrally exact.
            let tolerance = activation.name == "sign" ? 1e-3 : 1e-6 * max(1, std)
            expectClose(closed, reference, absolute: tolerance, "\(activation) at N(\(mean), \(std)²)")
        }
    }

    /// The same kinked functions as user closures (no closed form) take the split composite
    /// quadrature, an independent code path: agreement to 1e-12 checks both. The quadrature
    /// stops when two successive rules agree to 1e-12 relative to max_j |a_j| (orthonormal
    /// coefficients, here ≤ √E[f²] < 2) and the finer rule is far closer than that; the
    /// closed form and the c_j = a_j/√j! ≤ a_j scaling add a few ulps. Hence 2e-12 absolute.
    @Test(arguments: [(0.7, 1.3), (-2.0, 0.5), (0.0, 1.0)])
    func closedFormsMatchSplitQuadrature(mean: Double, std: Double) throws {
        let degree = 12
        let relu = Activation(name: "relu-closure", value: { max($0, 0) }, kinks: [0])
        let closed = try Activation.relu.probabilistsHermiteCoefficients(mean: mean, standardDeviation: std, degree: degree)
        let quadrature = try relu.probabilistsHermiteCoefficients(mean: mean, standardDeviation: std, degree: degree)
        expectClose(quadrature, closed, absolute: 2e-12)
        let gelu = Activation(name: "gelu-closure", value: { x in x * 0.5 * erfc(-x / 2.0.squareRoot()) })
        let geluClosed = try Activation.gelu.probabilistsHermiteCoefficients(mean: mean, standardDeviation: std, degree: degree)
        let geluQuadrature = try gelu.probabilistsHermiteCoefficients(mean: mean, standardDeviation: std, degree: degree)
        expectClose(geluQuadrature, geluClosed, absolute: 2e-12)
    }

    @Test(arguments: [(0.0, 1.0), (1.5, 2.0), (-1.0, 10.0)])
    func smoothActivationsMatchBruteForce(mean: Double, std: Double) throws {
        for activation in [Activation.sigmoid, .tanh, .silu, .softplus, .geluTanh, .elu] {
            let c = try activation.probabilistsHermiteCoefficients(mean: mean, standardDeviation: std, degree: 8)
            let reference = bruteForce(activation.value, mean: mean, std: std, degree: 8)
            // Trapezoid reference is spectrally accurate for smooth f (≈1e-12) but only O(h²)
            // ≈ 1e-7·σ² for ELU's jump in f″.
            let tolerance = activation.name == "elu" ? 1e-6 * std * std : 1e-10 * max(1, std)
            expectClose(c, reference, absolute: tolerance, "\(activation) at N(\(mean), \(std)²)")
        }
    }

    @Test func steinsLemmaLinksFirstCoefficientToDerivative() throws {
        // c_1 = σ·E[f′(μ + σZ)]; E by brute force on the derivative: independent of the projection.
        let (mean, std) = (0.4, 1.7)
        for activation in [Activation.silu, .tanh, .gelu] {
            let c = try activation.probabilistsHermiteCoefficients(mean: mean, standardDeviation: std, degree: 1)
            let expectedDerivative = bruteForce(activation.derivative, mean: mean, std: std, degree: 0)[0]
            #expect(abs(c[1] - std * expectedDerivative) <= 1e-11, "\(activation)")
        }
    }

    @Test func badInputThrows() {
        #expect(throws: ActivationError.invalidStandardDeviation(0)) {
            try Activation.gelu.probabilistsHermiteCoefficients(mean: 0, standardDeviation: 0, degree: 3)
        }
        #expect(throws: ActivationError.self) { try Activation.gelu.probabilistsHermiteCoefficients(mean: .nan, standardDeviation: 1, degree: 3) }
        #expect(throws: ActivationError.self) { try Activation.tanh.probabilistsHermiteCoefficients(mean: 0, standardDeviation: 1, degree: -1) }
        let blowUp = Activation(name: "exp-exp", value: { exp(exp($0)) })
        #expect(throws: ActivationError.self) { try blowUp.probabilistsHermiteCoefficients(mean: 0, standardDeviation: 3, degree: 3) }
    }

    /// A polynomial activation's projection is exact: x³ = He₃ + 3He₁, so c = [0, 3, 0, 1, 0]
    /// under N(0, 1); under N(μ, σ²), (μ + σz)³ = μ³ + 3μσ² + (3μ²σ + 3σ³)He₁ + 3μσ²He₂ + σ³He₃.
    /// Gauss–Hermite with 4 nodes (|x| ≤ 2.4) sums 4 terms of size ≤ 2.4³·|f| per coefficient:
    /// within 100ε relative to the largest coefficient (≈ 2e-14).
    @Test func polynomialActivationsProjectExactly() throws {
        let cube = Activation.polynomial(name: "cube", degree: 3, value: { $0 * $0 * $0 }, derivative: { 3 * $0 * $0 })
        #expect(cube.polynomialDegree == 3)
        expectClose(try cube.probabilistsHermiteCoefficients(mean: 0, standardDeviation: 1, degree: 4), [0, 3, 0, 1, 0],
                    absolute: 100 * Double.ulpOfOne * 3)
        let (mu, sigma) = (-0.7, 1.9)
        let expected = [mu * mu * mu + 3 * mu * sigma * sigma, 3 * mu * mu * sigma + 3 * sigma * sigma * sigma,
                        3 * mu * sigma * sigma, sigma * sigma * sigma, 0, 0]
        expectClose(try cube.probabilistsHermiteCoefficients(mean: mu, standardDeviation: sigma, degree: 5), expected,
                    absolute: 100 * Double.ulpOfOne * expected.map(abs).max()!)
    }
}
