import Activations
import LinearAlgebra
import Testing
@testable import NeuralNetworks

@Suite("Activation functions")
struct ActivationFunctionTests {
    /// The layer computes the same function as the `Activation` it names, from −40 to 40
    /// (softplus and sigmoid where e^±x over- or underflows included). Both are a few libm
    /// calls and roundings of quantities no larger than max(|x|, 1), each within an ulp or two
    /// of their exact values, so they agree to 16ε·max(|x|, 1).
    @Test(arguments: ActivationFunction.allCases)
    func layerMatchesItsActivation(_ function: ActivationFunction) {
        let xs = (0 ... 800).map { -40 + Double($0) * 0.1 }
        let layer = ActivationLayer<Double>(function)
        let output = layer(Matrix(rows: 1, columns: xs.count, elements: xs))
        for (x, y) in zip(xs, output.elements) {
            let expected = function.activation.value(x)
            #expect(abs(y - expected) <= 16 * Double.ulpOfOne * max(abs(x), 1), "\(function) at \(x): \(y) against \(expected)")
        }
    }
}
