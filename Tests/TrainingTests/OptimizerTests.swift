import LinearAlgebra
import NeuralNetworks
import Testing
import TestSupport
@testable import Training

/// A one-parameter "model" whose gradient the test sets directly.
struct Probe: Layer {
    typealias Scalar = Double
    var value: Matrix<Double>
    var gradient: Matrix<Double>
    var specification: String { "probe" }
    var parameterInfo: [ParameterInfo] { [ParameterInfo(name: "value", shape: [value.columns])] }
    mutating func forward(_ input: Matrix<Double>, into output: inout Matrix<Double>, training: Bool) { output = input }
    mutating func backward(_ outputGradient: Matrix<Double>, input: Matrix<Double>, output: Matrix<Double>,
                           inputGradient: inout Matrix<Double>, needsInputGradient: Bool) {}
    mutating func visitParameters(_ body: (inout Matrix<Double>, inout Matrix<Double>) -> Void) {
        body(&value, &gradient)
    }
}

struct OptimizerTests {
    static func probe(_ values: [Double], gradient: [Double]) -> Probe {
        Probe(value: Matrix([values]), gradient: Matrix([gradient]))
    }

    /// Adam's first step moves each parameter by −η·sign(g) (bias correction makes
    /// m̂ = g and v̂ = g², so the step is η·g/(|g| + ε)); 1e-7 covers ε = 1e-8 relative to |g| ≥ 0.1.
    @Test func adamFirstStepIsLearningRateTimesSign() throws {
        var model = Self.probe([1, 2, 3], gradient: [0.5, -2, 0.1])
        var adam = try Adam<Double>()
        adam.update(&model, learningRate: 0.01)
        expectClose(model.value, Matrix([[0.99, 2.01, 2.99]]), absolute: 1e-7)
    }

    /// Two steps of Adam against the recurrences written out by hand.
    @Test func adamSecondStepMatchesRecurrence() throws {
        var model = Self.probe([1], gradient: [0.5])
        var adam = try Adam<Double>(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        adam.update(&model, learningRate: 0.1)
        model.gradient = Matrix([[-1.0]])
        adam.update(&model, learningRate: 0.1)
        let m = 0.9 * (0.1 * 0.5) + 0.1 * -1, v = 0.999 * (0.001 * 0.25) + 0.001 * 1
        let first = 0.1 * 0.5 / (0.5 + 1e-8)  // step 1: m̂ = g, √v̂ = |g|
        let expected = 1 - first - 0.1 * (m / (1 - 0.81)) / ((v / (1 - 0.999 * 0.999)).squareRoot() + 1e-8)
        #expect(abs(model.value[0, 0] - expected) < 1e-12)
    }

    /// The update split across two and three threads (`WorkerThreads.runSlices`: the probe's
    /// 3·4096 + 5 elements give every share a slice) gives the bits of the unsplit update, two
    /// steps in a row: the update is elementwise, so every element sees the same operations.
    @Test(arguments: [2, 3])
    func adamSplitAcrossThreadsGivesTheSameBits(threadCount: Int) throws {
        let count = 3 * WorkerThreads.minimumElementsPerShare + 5
        var generator = SeededGenerator(seed: 11)
        let values = (0 ..< count).map { _ in Double.random(in: -1 ... 1, using: &generator) }
        let gradients = (0 ..< 2).map { _ in (0 ..< count).map { _ in Double.random(in: -1 ... 1, using: &generator) } }
        var (alone, split) = (Self.probe(values, gradient: gradients[0]), Self.probe(values, gradient: gradients[0]))
        var (adamAlone, adamSplit) = (try Adam<Double>.adamW(), try Adam<Double>.adamW())
        let threads = WorkerThreads(count: threadCount)
        for step in 0 ..< 2 {
            (alone.gradient, split.gradient) = (Matrix([gradients[step]]), Matrix([gradients[step]]))
            adamAlone.update(&alone, learningRate: 0.01, threads: nil)
            adamSplit.update(&split, learningRate: 0.01, threads: threads)
            #expect(alone.value.elements.map(\.bitPattern) == split.value.elements.map(\.bitPattern), "step \(step + 1)")
        }
    }

    /// AdamW shrinks by (1 − ηλ) before the Adam step; Adam adds λp to the gradient. The
    /// expected values leave out ε = 1e-8: the first step is η·|g|/(|g| + ε), which differs from η
    /// by η·ε/|g| ≤ 0.01·1e-8/0.5 = 2e-10 (|g + λp| = 1.9 in the second case: 5e-11); rounding is
    /// a few ulps of 2 (1e-15). Hence 1e-9.
    @Test func weightDecayVariants() throws {
        var decoupled = Self.probe([2], gradient: [0.5])
        var adamW = try Adam<Double>.adamW(weightDecay: 0.1)
        adamW.update(&decoupled, learningRate: 0.01)
        #expect(abs(decoupled.value[0, 0] - (2 * (1 - 0.001) - 0.01)) < 1e-9)

        var coupled = Self.probe([2], gradient: [-0.1])
        var adam = try Adam<Double>(weightDecay: 1)  // g + λp = 1.9 > 0: the step flips sign
        adam.update(&coupled, learningRate: 0.01)
        #expect(abs(coupled.value[0, 0] - 1.99) < 1e-9)
    }

    /// SGD with momentum μ: v₁ = g, v₂ = μ·g + g, so p₂ = p₀ − η·(2 + μ)·g for a constant g.
    /// Six Double operations on values ≤ 1 on each side: ≤ 12 ulps apart (3e-15), checked to 1e-12.
    @Test func sgdMomentum() throws {
        var model = Self.probe([1], gradient: [0.5])
        var sgd = try SGD<Double>(momentum: 0.9)
        sgd.update(&model, learningRate: 0.1)
        sgd.update(&model, learningRate: 0.1)
        #expect(abs(model.value[0, 0] - (1 - 0.1 * 2.9 * 0.5)) < 1e-12)
    }

    @Test func badHyperparametersThrow() {
        #expect(throws: OptimizerError.self) { try Adam<Float>(beta1: 1) }
        #expect(throws: OptimizerError.self) { try Adam<Float>(epsilon: 0) }
        #expect(throws: OptimizerError.self) { try SGD<Float>(momentum: -0.1) }
        #expect(throws: OptimizerError.self) { try SGD<Float>(weightDecay: -1) }
    }

    /// Clipping rescales to the target norm and reports the norm before: gradient (3, 4) has norm 5
    /// (√25 is exact; 1e-12 only guards the sum of squares' rounding). The clipped gradient is
    /// g·1/(5 + 1e-6), as PyTorch's clip_grad_norm_ adds 1e-6: it differs from (0.6, 0.8) by
    /// 0.8·1e-6/5 = 1.6e-7, within the 1e-6 checked.
    @Test func clippingScalesToTheNorm() {
        var model = Self.probe([0, 0], gradient: [3, 4])
        #expect(abs(model.clipGradientNorm(to: 1) - 5) < 1e-12)
        expectClose(model.gradient, Matrix([[0.6, 0.8]]), absolute: 1e-6)
        var small = Self.probe([0, 0], gradient: [0.3, 0.4])
        small.clipGradientNorm(to: 1)
        #expect(small.gradient == Matrix([[0.3, 0.4]]))
    }

    /// Cosine goes 1 → ½ at mid-run → 0; step halves every 2 epochs. cos(π/2) and cos(π) of the
    /// rounded π are within 1.3e-16 of 0 and −1 (π's rounding 1.2e-16, libm within 2 ulps), so 1e-12
    /// is generous.
    @Test func schedules() {
        #expect(LearningRateSchedule.cosine.factor(step: 0, stepsPerEpoch: 10, totalSteps: 100) == 1)
        #expect(abs(LearningRateSchedule.cosine.factor(step: 50, stepsPerEpoch: 10, totalSteps: 100) - 0.5) < 1e-12)
        #expect(abs(LearningRateSchedule.cosine.factor(step: 100, stepsPerEpoch: 10, totalSteps: 100)) < 1e-12)
        let step = LearningRateSchedule(parsing: "step:2:0.5")
        #expect(step == .step(epochs: 2, factor: 0.5))
        #expect(step?.factor(step: 19, stepsPerEpoch: 10, totalSteps: 100) == 1)
        #expect(step?.factor(step: 40, stepsPerEpoch: 10, totalSteps: 100) == 0.25)
        #expect(LearningRateSchedule(parsing: "step:0:0.5") == nil)
        #expect(LearningRateSchedule(parsing: "linear") == nil)
    }
}
