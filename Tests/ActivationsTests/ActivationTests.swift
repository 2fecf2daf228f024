import Activations
import Foundation
import Testing

@Suite struct ActivationTests {
    static let smoothPoints: [Double] = [-7.3, -2.5, -1, -0.3, 0.2, 0.9, 1.7, 3.1, 6.4]
    static let all: [Activation] = [.relu, .leakyReLU(slope: 0.1), .gelu, .geluTanh, .silu, .sigmoid, .tanh,
                                    .softplus, .elu, .sign, .absoluteValue, .identity]

    /// Fourth-order central difference (f(x−2h) − 8f(x−h) + 8f(x+h) − f(x+2h))/12h with
    /// h = 1e-3: truncation h⁴·f⁽⁵⁾/30 ≈ 1e-13, rounding ≈ ε/h ≈ 2e-13 (for |f| ≲ 10).
    private func difference(_ f: (Double) -> Double, at x: Double) -> Double {
        let h = 1e-3
        return (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h)
    }

    @Test(arguments: all)
    func derivativesMatchFiniteDifferences(activation: Activation) {
        for x in Self.smoothPoints {
            let fd = difference(activation.value, at: x)
            #expect(abs(activation.derivative(x) - fd) <= 1e-9 * max(1, abs(fd)), "\(activation) f′(\(x))")
            if let second = activation.secondDerivative(x) {
                let fd2 = difference(activation.derivative, at: x)
                #expect(abs(second - fd2) <= 1e-9 * max(1, abs(fd2)), "\(activation) f″(\(x))")
            }
        }
    }

    @Test func valuesMatchPublishedConstants() {
        // Tolerances in ulps of the value: GELU(1) = ½·erfc(−1/√2) is erfc (correctly rounded in
        // recent glibc, a few ulps in other libms: 8 allowed) of an argument with two roundings
        // (condition of erfc there 0.29, so < 1 ulp more) times ½ (exact). Reference values:
        // scripts/reference/activation_constants.py (Φ(1) also in Abramowitz & Stegun 26.2).
        let geluOne = 0.841344746068542948
        #expect(abs(Activation.gelu(1) - geluOne) <= 9 * geluOne.ulp)
        // softplus(0) and log(2.0) are two libm results for ln 2 (≤ 2 ulps each in common libms)
        // plus one rounding.
        #expect(abs(Activation.softplus(0) - 0.693147180559945309) <= 5 * log(2.0).ulp)
        #expect(Activation.softplus(800) == 800)        // no overflow
        #expect(Activation.sigmoid(-800) >= 0)
        // gelu-tanh(1) (PyTorch's approximate="tanh") to 30 digits from the same script: tanh
        // (≤ 2 ulps in common libms, condition 0.68 at its argument 1.07) after five roundings in
        // the argument: 9 ulps of the value bounds it.
        let geluTanhOne = 0.841191990608276704
        #expect(abs(Activation.geluTanh(1) - geluTanhOne) <= 9 * geluTanhOne.ulp)
        #expect(Activation.relu(-2) == 0 && Activation.relu(2) == 2 && Activation.relu.derivative(0) == 0)
        #expect(Activation.leakyReLU(slope: 0.2)(-5) == -1)
    }

    @Test func namesRoundTripAndUnknownNamesListTheKnownOnes() throws {
        for name in Activation.knownNames {
            #expect(try Activation.named(name).name.hasPrefix(name))
        }
        #expect(try Activation.named("leaky-relu:0.2")(-1) == -0.2)
        #expect(try Activation.named("SWISH").name == "silu")
        #expect(throws: ActivationError.self) { try Activation.named("leaky-relu:abc") }
        do {
            _ = try Activation.named("gelo")
            Issue.record("no error for an unknown name")
        } catch let error as ActivationError {
            #expect(error.description.contains("unknown activation 'gelo'"))
            #expect(error.description.contains("gelu-tanh"))
        }
    }

    @Test func customActivationsUseCentralDifferences() {
        let cube = Activation(name: "cube", value: { $0 * $0 * $0 })
        // Central difference with h = ε^{1/3}·|x|: error h²·f‴/6 + ε|f|/h ≈ 1e-10 relative.
        for x in [-3.0, 0.5, 2] { #expect(abs(cube.derivative(x) - 3 * x * x) <= 1e-9 * max(1, 3 * x * x)) }
        #expect(cube.secondDerivative(1) == nil)
    }
}
