import Polynomials
import RealModule

// The standard activations. Second derivatives are given where a closed form exists; for the
// piecewise-linear ones they are 0 away from the kink.

extension Activation {
    /// max(x, 0); ReLU′(0) = 0 as in PyTorch.
    public static let relu = leakyReLU(slope: 0, name: "relu")

    /// x for x > 0, slope·x otherwise.
    public static func leakyReLU(slope: Double = 0.01) -> Activation {
        leakyReLU(slope: slope, name: "leaky-relu:\(slope)")
    }

    private static func leakyReLU(slope: Double, name: String) -> Activation {
        Activation(name: name, value: { $0 > 0 ? $0 : slope * $0 }, derivative: { $0 > 0 ? 1 : slope },
                   secondDerivative: { _ in 0 }, kinks: [0], projection: .ramp(width: 0, slope: slope))
    }

    /// x·Φ(x) with the exact normal CDF Φ(x) = ½·erfc(−x/√2) (PyTorch's default GELU).
    public static let gelu = Activation(
        name: "gelu",
        value: { $0 * normalCDF($0) },
        derivative: { normalCDF($0) + $0 * normalDensity($0) },
        secondDerivative: { (2 - $0 * $0) * normalDensity($0) },
        kinks: [], projection: .ramp(width: 1, slope: 0), series: { $0 * TaylorSeries.normalCDF($0) })

    /// ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), PyTorch's `approximate="tanh"` GELU.
    public static let geluTanh: Activation = {
        let a = Double.sqrt(2 / Double.pi), b = 0.044715
        return Activation(
            name: "gelu-tanh",
            value: { x in 0.5 * x * (1 + Double.tanh(a * (x + b * x * x * x))) },
            derivative: { x in
                let t = Double.tanh(a * (x + b * x * x * x)), du = a * (1 + 3 * b * x * x)
                return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du
            },
            secondDerivative: { x in
                let t = Double.tanh(a * (x + b * x * x * x)), du = a * (1 + 3 * b * x * x), ddu = 6 * a * b * x
                let dt = (1 - t * t) * du
                let ddt = -2 * t * (1 - t * t) * du * du + (1 - t * t) * ddu
                return dt + 0.5 * x * ddt
            },
            kinks: [], projection: .quadrature,
            series: { x in 0.5 * (x * (TaylorSeries.tanh(a * (x + b * (x * x * x))) + 1)) })
    }()

    /// x·σ(x) (also called swish).
    public static let silu = Activation(
        name: "silu",
        value: { $0 * logistic($0) },
        derivative: { x in let s = logistic(x); return s + x * s * (1 - s) },
        secondDerivative: { x in let s = logistic(x); return s * (1 - s) * (2 + x * (1 - 2 * s)) },
        kinks: [], projection: .quadrature, series: { $0 * TaylorSeries.logistic($0) })

    /// The logistic function σ(x) = 1/(1 + e⁻ˣ).
    public static let sigmoid = Activation(
        name: "sigmoid",
        value: { logistic($0) },
        derivative: { x in let s = logistic(x); return s * (1 - s) },
        secondDerivative: { x in let s = logistic(x); return s * (1 - s) * (1 - 2 * s) },
        kinks: [], projection: .quadrature, series: { TaylorSeries.logistic($0) })

    /// The hyperbolic tangent.
    public static let tanh = Activation(
        name: "tanh",
        value: { Double.tanh($0) },
        derivative: { x in let t = Double.tanh(x); return 1 - t * t },
        secondDerivative: { x in let t = Double.tanh(x); return -2 * t * (1 - t * t) },
        kinks: [], projection: .quadrature, series: { TaylorSeries.tanh($0) })

    /// log(1 + eˣ), evaluated as max(x, 0) + log1p(e^{−|x|}) so it never overflows.
    public static let softplus = Activation(
        name: "softplus",
        value: { x in Swift.max(x, 0) + Double.log(onePlus: Double.exp(-Swift.abs(x))) },
        derivative: { logistic($0) },
        secondDerivative: { x in let s = logistic(x); return s * (1 - s) },
        kinks: [], projection: .quadrature,
        series: { x in
            // log(1 + eˣ) = x + log(1 + e⁻ˣ) for x > 0 keeps the exponential small.
            x.coefficients[0] > 0 ? x + TaylorSeries.log(TaylorSeries.exp(-x) + 1) : TaylorSeries.log(TaylorSeries.exp(x) + 1)
        })

    /// x for x > 0, eˣ − 1 otherwise (α = 1): f and f′ are continuous, f″ jumps at 0.
    public static let elu = Activation(
        name: "elu",
        value: { $0 > 0 ? $0 : Double.expMinusOne($0) },
        derivative: { $0 > 0 ? 1 : Double.exp($0) },
        secondDerivative: { $0 > 0 ? 0 : Double.exp($0) },
        kinks: [0], projection: .quadrature,
        series: { x in x.coefficients[0] > 0 ? x : TaylorSeries.exp(x) + -1 })

    /// sign(x) ∈ {−1, 0, 1}; discontinuous at 0, where f′ is taken as 0.
    public static let sign = Activation(
        name: "sign",
        value: { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }, derivative: { _ in 0 }, secondDerivative: { _ in 0 },
        kinks: [0], projection: .sign, jumps: [0])

    /// |x|; |·|′(0) = 0.
    public static let absoluteValue = Activation(
        name: "abs",
        value: { Swift.abs($0) }, derivative: { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }, secondDerivative: { _ in 0 },
        kinks: [0], projection: .absoluteValue)

    /// f(x) = x.
    public static let identity = Activation(
        name: "identity", value: { $0 }, derivative: { _ in 1 }, secondDerivative: { _ in 0 },
        kinks: [], projection: .ramp(width: 0, slope: 1))
}

/// Φ(x) = ½·erfc(−x/√2), accurate in both tails.
@inline(__always)
func normalCDF(_ x: Double) -> Double { 0.5 * Double.erfc(-x / 2.0.squareRoot()) }

/// φ(x) = e^{−x²/2}/√(2π).
@inline(__always)
func normalDensity(_ x: Double) -> Double { Double.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() }

/// 1/(1 + e⁻ˣ) without overflow for large |x|.
@inline(__always)
func logistic(_ x: Double) -> Double {
    x >= 0 ? 1 / (1 + Double.exp(-x)) : Double.exp(x) / (1 + Double.exp(x))
}
