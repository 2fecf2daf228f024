import CKernels
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
        update(&model, learningRate: learningRate, threads: nil)
    }

    /// The update, with each parameter split across `threads` (`WorkerThreads.runSlices`), so
    /// each thread keeps writing the same moments from step to step: elementwise, so the bits
    /// do not depend on the split. On one thread
    /// after a two-worker seed001-poly step the update took twice as long as after a
    /// one-thread step (the parameters it writes were last read by the other core).
    mutating func update<Model: Layer>(_ model: inout Model, learningRate: Scalar, threads: WorkerThreads?)
    where Model.Scalar == Scalar {
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
            adamStep(&parameter, gradient, &first[index], &second[index], constants, threads: threads)
            index += 1
        }
        (firstMoments, secondMoments) = (first, second)
    }
}

/// The per-step constants of one Adam update.
struct AdamConstants<Scalar: BLASScalar> {
    var learningRate, beta1, beta2, epsilon, stepSize, inverseRootCorrection2, l2, shrink: Scalar
}

/// One Adam update of one parameter, by the C kernel `polynet_adam_step_f` or `_d` (built for
/// AVX-512, AVX2 and baseline x86-64, see `CKernels.h`): Swift's baseline x86-64 target would
/// run the square roots and divisions four floats at a time (a third of seed001-poly's Adam time
/// at batch 256 on an AMD EPYC Zen 4 remains). Contraction is off there, so every operation
/// rounds once as written above, and every build gives the same bits. Split across `threads`
/// when the parameter is large enough (see `Adam.update(_:learningRate:threads:)`).
/// A free function with its own generic parameter, so that `@_specialize` dispatches to the
/// Float body even when called through `any Optimizer`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func adamStep<Scalar: BLASScalar>(_ parameter: inout Matrix<Scalar>, _ gradient: Matrix<Scalar>,
                                  _ first: inout Matrix<Scalar>, _ second: inout Matrix<Scalar>,
                                  _ c: AdamConstants<Scalar>, threads: WorkerThreads? = nil) {
    parameter.withUnsafeMutableElements { p in
        gradient.elements.withUnsafeBufferPointer { g in
            first.withUnsafeMutableElements { m in
                second.withUnsafeMutableElements { v in
                    let count = p.count
                    precondition(g.count == count && m.count == count && v.count == count,
                                 "Adam: \(count) parameters with \(g.count) gradients and \(m.count), \(v.count) moments")
                    guard let p = p.baseAddress, let g = g.baseAddress, let m = m.baseAddress, let v = v.baseAddress else { return }
                    let buffers = AdamBuffers(parameter: p, gradient: g, first: m, second: v, constants: c)
                    guard let threads else { return buffers.step(0 ..< count) }
                    threads.runSlices(of: count) { buffers.step($0) }
                }
            }
        }
    }
}

/// One parameter's Adam buffers and constants, stepped over a range of elements.
///
/// Unchecked `Sendable` because the compiler cannot see why sharing the pointers is safe:
/// `adamStep` hands each share of `WorkerThreads.runSlices` a disjoint range and it returns after
/// every share has finished, within the scope where the pointers are valid.
private struct AdamBuffers<Scalar: BLASScalar>: @unchecked Sendable {
    let parameter: UnsafeMutablePointer<Scalar>, gradient: UnsafePointer<Scalar>
    let first: UnsafeMutablePointer<Scalar>, second: UnsafeMutablePointer<Scalar>
    let constants: AdamConstants<Scalar>

    /// The update of elements `range`.
    func step(_ range: Range<Int>) {
        let c = constants
        let (p, g, m, v) = (parameter + range.lowerBound, gradient + range.lowerBound, first + range.lowerBound, second + range.lowerBound)
        if Scalar.self == Float.self {
            var constants = PolynetAdamConstants_f(
                beta1: Float(c.beta1), beta2: Float(c.beta2), epsilon: Float(c.epsilon), stepSize: Float(c.stepSize),
                inverseRootCorrection2: Float(c.inverseRootCorrection2), l2: Float(c.l2), shrink: Float(c.shrink))
            polynet_adam_step_f(kernelPointer(p), kernelPointer(g), kernelPointer(m), kernelPointer(v), range.count, &constants)
        } else {
            var constants = PolynetAdamConstants_d(
                beta1: Double(c.beta1), beta2: Double(c.beta2), epsilon: Double(c.epsilon), stepSize: Double(c.stepSize),
                inverseRootCorrection2: Double(c.inverseRootCorrection2), l2: Double(c.l2), shrink: Double(c.shrink))
            polynet_adam_step_d(kernelPointer(p), kernelPointer(g), kernelPointer(m), kernelPointer(v), range.count, &constants)
        }
    }
}
