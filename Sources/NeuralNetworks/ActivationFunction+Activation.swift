import Activations

extension ActivationFunction {
    /// The same function as an `Activation` (value, derivative, kinks, Gaussian projection),
    /// for fitting, conversion and polynomial replacement.
    public var activation: Activation {
        switch self {
        case .relu: return .relu
        case .gelu: return .gelu
        case .silu: return .silu
        case .tanh: return .tanh
        case .sigmoid: return .sigmoid
        case .softplus: return .softplus
        }
    }
}
