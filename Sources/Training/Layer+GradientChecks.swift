import LinearAlgebra
import NeuralNetworks
import RealModule

/// Gradient norms and checks used by the trainer.
extension Layer {
    /// The L2 norm of all parameter gradients together (NaN or ∞ when any element is).
    public mutating func gradientNorm() -> Scalar {
        var total: Scalar = 0
        visitParameters { _, gradient in total += sumOfSquares(gradient) }
        return total.squareRoot()
    }

    /// Scales all gradients so their joint L2 norm is at most `maximum`
    /// (`torch.nn.utils.clip_grad_norm_`) and returns the norm before clipping.
    @discardableResult
    public mutating func clipGradientNorm(to maximum: Scalar) -> Scalar {
        precondition(maximum > 0, "Gradient clipping needs a positive norm, got \(maximum)")
        let norm = gradientNorm()
        if norm > maximum {
            let factor = maximum / (norm + 1e-6)
            visitParameters { _, gradient in gradient.apply { $0 * factor } }
        }
        return norm
    }
}

/// Locating non-finite gradients.
extension Sequential {
    /// The first layer (index, specification, parameter name) whose gradient holds a NaN or
    /// infinity, or nil when every gradient is finite.
    ///
    /// A sum of squares is NaN or ∞ exactly when some element is non-finite or so large
    /// (≳ 1e19 in Float) that training has diverged anyway.
    public mutating func firstNonFiniteGradient() -> (layer: Int, specification: String, parameter: String)? {
        var found: (Int, Int)?
        var (currentLayer, position) = (-1, 0)
        visitParametersByLayer { layer, _, gradient in
            if layer != currentLayer { (currentLayer, position) = (layer, 0) }
            if found == nil && !sumOfSquares(gradient).isFinite { found = (layer, position) }
            position += 1
        }
        guard let (layer, parameter) = found else { return nil }
        return (layer, layers[layer].specification, "\(layer).\(layers[layer].parameterInfo[parameter].name)")
    }
}

/// Σ xᵢ² over the elements, specialized so it runs on machine floats, in any order
/// (`Relaxed.multiplyAdd` lets the compiler vectorize the sum; in order it is a chain of
/// dependent additions, as slow per element as the optimizer's whole update). Any order is NaN
/// or ∞ exactly when an element is, or when the sum overflows.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func sumOfSquares<Scalar: BLASScalar>(_ matrix: Matrix<Scalar>) -> Scalar {
    matrix.elements.withUnsafeBufferPointer { values in
        var total: Scalar = 0
        for value in values { total = Relaxed.multiplyAdd(value, value, total) }
        return total
    }
}
