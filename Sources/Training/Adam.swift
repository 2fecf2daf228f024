import LinearAlgebra
import NeuralNetworks
import RealModule

/// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), as `torch.optim.Adam` and
/// `torch.optim.AdamW`:
///
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − η·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).
/// Adam adds λ·p to g (L2 penalty); AdamW instead shrinks p ← p·(1 − ηλ) before the step.
public struct Adam<Scalar: BLASScalar>: Optimizer {
    /// β₁, the first-moment decay, in [0, 1).
    public let beta1: Scalar
    /// β₂, the second-moment decay, in [0, 1).
    public let beta2: Scalar
    /// ε > 0 in the denominator.
    public let epsilon: Scalar
    /// λ ≥ 0.
    public let weightDecay: Scalar
    /// True for AdamW's decoupled weight decay.
    public let decoupledWeightDecay: Bool
    /// Steps taken so far (t).
    public internal(set) var stepCount = 0
    // Per-parameter m and v in visiting order, allocated on the first step (see Adam+State).
    var firstMoments: [Matrix<Scalar>] = []
    var secondMoments: [Matrix<Scalar>] = []

    /// Adam with the given hyperparameters (PyTorch's defaults); checks them.
    ///
    /// - Throws: `OptimizerError` for β outside [0, 1), ε ≤ 0 or λ < 0.
    public init(beta1: Scalar = 0.9, beta2: Scalar = 0.999, epsilon: Scalar = 1e-8, weightDecay: Scalar = 0,
                decoupledWeightDecay: Bool = false) throws {
        try OptimizerError.check(beta1 >= 0 && beta1 < 1, "beta1 must lie in [0, 1), got \(beta1)")
        try OptimizerError.check(beta2 >= 0 && beta2 < 1, "beta2 must lie in [0, 1), got \(beta2)")
        try OptimizerError.check(epsilon > 0, "epsilon must be positive, got \(epsilon)")
        try OptimizerError.check(weightDecay >= 0, "weight decay must be non-negative, got \(weightDecay)")
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// AdamW with PyTorch's default weight decay 0.01.
    public static func adamW(weightDecay: Scalar = 0.01) throws -> Adam {
        try Adam(weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public mutating func update<Model: Layer>(_ model: inout Model, learningRate: Scalar) where Model.Scalar == Scalar {
        stepCount += 1
        var first = firstMoments, second = secondMoments
        (firstMoments, secondMoments) = ([], [])
        let t = Scalar(stepCount)
        let correction1 = 1 - Scalar.pow(beta1, t), correction2 = 1 - Scalar.pow(beta2, t)
        let constants = AdamConstants(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                  stepSize: learningRate / correction1, inverseRootCorrection2: 1 / correction2.squareRoot(),
                                  l2: decoupledWeightDecay ? 0 : weightDecay,
                                  shrink: decoupledWeightDecay ? 1 - learningRate * weightDecay : 1)
        var index = 0
        model.visitParameters { parameter, gradient in
            if index == first.count {
                first.append(Matrix(rows: parameter.rows, columns: parameter.columns))
                second.append(Matrix(rows: parameter.rows, columns: parameter.columns))
            }
            adamStep(&parameter, gradient, &first[index], &second[index], constants)
            index += 1
        }
        (firstMoments, secondMoments) = (first, second)
    }
}

/// The per-step constants of one Adam update.
struct AdamConstants<Scalar: BLASScalar> {
    var learningRate, beta1, beta2, epsilon, stepSize, inverseRootCorrection2, l2, shrink: Scalar
}

/// One Adam update of one parameter. A free function with its own generic parameter, so that
/// `@_specialize` dispatches to the Float loop even when called through `any Optimizer`.
///
/// The square root's argument goes through `v < 0 ? 0 : v`, which never changes it (v is a sum
/// of non-negative terms, or NaN, which passes unchanged): without it the compiler must keep a
/// call to libm's `sqrtf` for negative inputs (to set `errno`) in every iteration, and the loop
/// stays scalar; with it (and plain pointers), the loop runs on vectors (`sqrtps`) and gives
/// the same bits.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func adamStep<Scalar: BLASScalar>(_ parameter: inout Matrix<Scalar>, _ gradient: Matrix<Scalar>,
                                          _ first: inout Matrix<Scalar>, _ second: inout Matrix<Scalar>,
                                          _ c: AdamConstants<Scalar>) {
    parameter.withUnsafeMutableElements { p in
        gradient.elements.withUnsafeBufferPointer { g in
            first.withUnsafeMutableElements { m in
                second.withUnsafeMutableElements { v in
                    // Plain pointers, so that the loop does not reload the buffers' addresses.
                    let count = p.count
                    guard let p = p.baseAddress, let g = g.baseAddress, let m = m.baseAddress, let v = v.baseAddress else { return }
                    for i in 0 ..< count {
                        let grad = g[i] + c.l2 * p[i]
                        m[i] = c.beta1 * m[i] + (1 - c.beta1) * grad
                        v[i] = c.beta2 * v[i] + (1 - c.beta2) * grad * grad
                        let denominator = (v[i] < 0 ? 0 : v[i]).squareRoot() * c.inverseRootCorrection2 + c.epsilon
                        p[i] = p[i] * c.shrink - c.stepSize * m[i] / denominator
                    }
                }
            }
        }
    }
}
