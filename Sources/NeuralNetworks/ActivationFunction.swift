import LinearAlgebra
import RealModule

/// A fixed elementwise nonlinearity and its derivative.
public enum ActivationFunction: String, Sendable, CaseIterable {
    /// max(x, 0); the derivative at 0 is taken as 0, as in PyTorch.
    case relu
    /// x·Φ(x) with the exact normal CDF Φ(x) = ½(1 + erf(x/√2)) (PyTorch's default GELU).
    case gelu
    /// x·σ(x), also called swish.
    case silu
    /// The hyperbolic tangent.
    case tanh
    /// The logistic function σ(x) = 1/(1 + e⁻ˣ).
    case sigmoid
    /// log(1 + eˣ), computed as max(x, 0) + log(1 + e^−|x|) so it neither overflows nor loses
    /// digits (PyTorch's `Softplus` with β = 1).
    case softplus

    /// Writes f(x) for `count` elements.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func apply<Scalar: BLASScalar>(_ x: UnsafePointer<Scalar>, into y: UnsafeMutablePointer<Scalar>, count: Int) {
        switch self {
        case .relu:
            for i in 0 ..< count { y[i] = Swift.max(x[i], 0) }
        case .gelu:
            let invSqrt2 = 1 / Scalar.sqrt(2)
            for i in 0 ..< count { y[i] = x[i] * (1 + Scalar.erf(x[i] * invSqrt2)) / 2 }
        case .silu:
            for i in 0 ..< count { y[i] = x[i] / (1 + Scalar.exp(-x[i])) }
        case .tanh:
            for i in 0 ..< count { y[i] = Scalar.tanh(x[i]) }
        case .sigmoid:
            for i in 0 ..< count { y[i] = 1 / (1 + Scalar.exp(-x[i])) }
        case .softplus:
            for i in 0 ..< count { y[i] = Swift.max(x[i], 0) + Scalar.log(onePlus: Scalar.exp(-Swift.abs(x[i]))) }
        }
    }

    /// Writes ∂loss/∂x = ∂loss/∂y · f′(x) given the input x and output y = f(x).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func backpropagate<Scalar: BLASScalar>(
        _ dy: UnsafePointer<Scalar>, x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>,
        into dx: UnsafeMutablePointer<Scalar>, count: Int
    ) {
        switch self {
        case .relu:
            // Loading dy[i] unconditionally makes the choice a select, which vectorizes
            // (a branch on the sign of x mispredicts about every other element).
            for i in 0 ..< count {
                let gradient = dy[i]
                dx[i] = x[i] > 0 ? gradient : 0
            }
        case .gelu:
            // f′(x) = Φ(x) + x·φ(x), φ the standard normal density.
            let invSqrt2 = 1 / Scalar.sqrt(2)
            let invSqrt2Pi = 1 / Scalar.sqrt(2 * .pi)
            for i in 0 ..< count {
                let cdf = (1 + Scalar.erf(x[i] * invSqrt2)) / 2
                let density = invSqrt2Pi * Scalar.exp(-x[i] * x[i] / 2)
                dx[i] = dy[i] * (cdf + x[i] * density)
            }
        case .silu:
            // f′(x) = σ(x)·(1 + x·(1 − σ(x))).
            for i in 0 ..< count {
                let s = 1 / (1 + Scalar.exp(-x[i]))
                dx[i] = dy[i] * s * (1 + x[i] * (1 - s))
            }
        case .tanh:
            for i in 0 ..< count { dx[i] = dy[i] * (1 - y[i] * y[i]) }
        case .sigmoid:
            for i in 0 ..< count { dx[i] = dy[i] * y[i] * (1 - y[i]) }
        case .softplus:
            // f′(x) = σ(x).
            for i in 0 ..< count { dx[i] = dy[i] / (1 + Scalar.exp(-x[i])) }
        }
    }
}
