import NeuralNetworks

/// A layer of a polynomial network holding a fitted polynomial in place of a nonlinearity:
/// ``ChebyshevActivation`` (an activation) and ``PolynomialGatedLinearUnit`` (a GLU's gate).
/// Fine-tuning freezes the polynomial and attaches a ``RangePenalty`` to its inputs.
protocol PolynomialReplacement<Scalar>: Layer {
    /// Whether backward leaves the polynomial's coefficients and interval alone.
    var freezesPolynomial: Bool { get set }
    /// The penalty on the polynomial's inputs outside its interval, while fine-tuning.
    var rangePenalty: RangePenalty<Scalar>? { get set }
}

extension ChebyshevActivation: PolynomialReplacement {}

extension PolynomialGatedLinearUnit: PolynomialReplacement {
    var freezesPolynomial: Bool {
        get { gate.freezesPolynomial }
        set { gate.freezesPolynomial = newValue }
    }

    var rangePenalty: RangePenalty<Scalar>? {
        get { gate.rangePenalty }
        set { gate.rangePenalty = newValue }
    }
}

extension CompositeReLU: PolynomialReplacement {
    /// Always true: a composite's stages are never trained (setting it changes nothing).
    var freezesPolynomial: Bool {
        get { true }
        set {}
    }
}

extension ChannelChebyshevActivation: PolynomialReplacement {
    /// Always true: per-channel series are never trained (setting it changes nothing).
    var freezesPolynomial: Bool {
        get { true }
        set {}
    }
}
