import LinearAlgebra
import NeuralNetworks
import Testing
import TestSupport
@testable import Training

/// The batch split of a training step (`GradientWorkers`) against central differences and
/// against an exact reference, and the rule that chooses it.
struct GradientWorkersTests {
    /// `rows` random inputs in [−1, 1] and labels in 0 ..< `classes`.
    static func batch<Scalar: BLASScalar>(rows: Int, columns: Int, classes: Int, seed: UInt64) -> (Matrix<Scalar>, [Int]) {
        var generator = SeededGenerator(seed: seed)
        let images = Matrix<Scalar>.randomUniform(rows: rows, columns: columns, in: -1 ... 1, using: &generator)
        return (images, (0 ..< rows).map { _ in Int.random(in: 0 ..< classes, using: &generator) })
    }

    /// The parameter gradients of `model`, in visiting order.
    static func gradients<Scalar: BLASScalar>(of model: inout Sequential<Scalar>) -> [Matrix<Scalar>] {
        var result = [Matrix<Scalar>]()
        model.visitParameters { _, gradient in result.append(gradient) }
        return result
    }

    @Test func slicesCoverTheBatchInOrderWithSizesWithinOne() {
        for (rows, workers) in [(10, 3), (7, 2), (64, 2), (5, 5)] {
            let slices = (0 ..< workers).map { WorkerThreads.slice($0, of: rows, among: workers) }
            #expect(slices.first?.lowerBound == 0 && slices.last?.upperBound == rows)
            #expect(zip(slices, slices.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(slices.map(\.count).max()! - slices.map(\.count).min()! <= 1)
        }
    }

    /// Three workers on a batch of 7 (slices of 2, 2 and 3 rows), and one or two workers passing
    /// chunks of at most 2 rows (1, 2, 2, 2 rows; 1 + 2 and 2 + 2), give the gradient of the
    /// whole batch's mean cross-entropy, checked by central differences in Double, on two steps
    /// in a row with the parameters moved in between (so replicas that kept stale parameters
    /// fail, and so do chunks that replace rather than add to the gradient).
    ///
    /// Tolerance as in the layers' gradient checks: with h = 1e-5 the truncation error is
    /// O(h²·|L‴|) ≈ 1e-10 and the rounding error O(ε·|L|/h) ≈ 1e-11 for a loss near 1, so
    /// 1e-6 absolute + 1e-6 relative leaves four orders of margin, while a slice weighted by
    /// its own size instead of the batch's errs by a factor 7/2 or more.
    @Test(arguments: [(3, GradientWorkers<Double>.defaultChunkRows), (1, 2), (2, 2)])
    func splitGradientMatchesCentralDifferences(workerCount: Int, chunkRows: Int) throws {
        var generator = SeededGenerator(seed: 3)
        var model: Sequential<Double> = try Architecture(parsing: "poly(4,3,deg=3) layernorm(3) dense(3,3)").makeModel(using: &generator)
        let (images, labels): (Matrix<Double>, [Int]) = Self.batch(rows: 7, columns: 4, classes: 3, seed: 4)
        var workers = GradientWorkers(model: model, count: workerCount, chunkRows: chunkRows)

        func loss(_ candidate: Sequential<Double>) -> Double {
            var copy = candidate
            var scratch = Matrix<Double>(rows: 0, columns: 0)
            return Loss.crossEntropy.evaluate(copy.forward(images, training: true), labels: labels, gradient: &scratch).loss
        }

        for _ in 0 ..< 2 {
            let evaluation = workers.computeGradients(of: &model, rows: Array(0 ..< 7), of: BatchSource(images: images), labels: labels, loss: .crossEntropy)
            // The slices' losses are shares of the batch mean: they add up to it, up to the order
            // of a sum of 7 non-negative terms and the rounding of the rows' forward passes, each
            // a few units of 1e-16 relative in Double; 1e-12 leaves three orders of margin.
            #expect(abs(evaluation.loss - loss(model)) <= 1e-12 * loss(model))
            let analytic = Self.gradients(of: &model)
            let h = 1e-5
            for (parameter, gradient) in analytic.enumerated() {
                var numeric = gradient
                for element in gradient.elements.indices {
                    numeric.elements[element] = (loss(perturbed(model, parameter, element, by: h))
                        - loss(perturbed(model, parameter, element, by: -h))) / (2 * h)
                }
                expectClose(gradient, numeric, absolute: 1e-6, relative: 1e-6, "parameter \(parameter)")
            }
            model.visitParameters { value, gradient in value.add(gradient, scaledBy: -0.5) }
        }
    }

    /// One worker and three, whole or in chunks of 3 or 2 rows, give the gradient of a dense
    /// layer under the mean squared error within the same rounding bound of the exact gradient
    /// (computed in Double from the same Float inputs), so they differ from each other by at
    /// most twice that bound.
    ///
    /// The bound, elementwise, for Y = X·Wᵀ + b (n inputs, B rows, C outputs, one-hot T) and
    /// D = 2(Y − T)/(B·C): the forward product and bias errs by E = γ_{n+1}(|X|·|W|ᵀ + |b|); D is
    /// three more roundings (2/(B·C), Y − T, the product), |ΔD| ≤ 2/(B·C)·((1 + γ₃)E + γ₃|Y − T|);
    /// the weight gradient Dᵀ·X sums B products in whatever order the slices give,
    /// |ΔG| ≤ |ΔD|ᵀ·|X| + γ_B(|D| + |ΔD|)ᵀ·|X|, and the bias gradient (column sums of D) likewise
    /// with |X| = 1. The Double reference obeys the same bound with Double's γ, added on. These
    /// are Higham's worst-case bounds (see TestSupport/ErrorBounds.swift), valid for any
    /// summation order and any IEEE-754 machine.
    ///
    /// The weight has 1400·9 elements, enough for the replicas' gradients to be added across two
    /// and three threads (`WorkerThreads.runSlices`), so a share that skipped its slice fails.
    @Test func workerCountChangesGradientsWithinRoundingBound() {
        let (n, rows, classes) = (1400, 10, 9)
        #expect(n * classes >= 3 * WorkerThreads.minimumElementsPerShare)
        var generator = SeededGenerator(seed: 5)
        let dense = Dense<Float>(inputWidth: n, outputWidth: classes, using: &generator)
        let (images, labels): (Matrix<Float>, [Int]) = Self.batch(rows: rows, columns: n, classes: classes, seed: 6)

        // The exact gradient, to Double rounding, from the Float values.
        let (x, w, b) = (images.converted(to: Double.self), dense.weight.converted(to: Double.self), dense.bias.converted(to: Double.self))
        var y = x.multiplied(by: w, transposingOther: true)
        y.addToEachRow(b.elements.map { $0 })
        var targets = Matrix<Double>(rows: rows, columns: classes)
        for (row, label) in labels.enumerated() { targets[row, label] = 1 }
        let scale = 2 / Double(rows * classes)
        let d = (y - targets).map { scale * $0 }
        let exactWeight = d.multiplied(by: x, transposingSelf: true)
        let exactBias = Matrix([(0 ..< classes).map { j in (0 ..< rows).reduce(0.0) { $0 + d[$1, j] } }])

        // The bound, for roundings of relative size γ(k). |Y − T| is taken from the Double Y,
        // whose own error (below E) the extra γ₃·E covers.
        var forwardMagnitude = magnitudeProduct(images, dense.weight, transposingB: true)
        forwardMagnitude.addToEachRow(b.elements.map(abs))
        let residual = (y - targets).map(abs)
        let ones = Matrix<Double>(rows: rows, columns: 1, repeating: 1)
        func bound(_ gamma: (Int) -> Double) -> (weight: Matrix<Double>, bias: Matrix<Double>) {
            let e = forwardMagnitude.map { gamma(n + 1) * $0 }
            let dError = (e.map { (1 + 2 * gamma(3)) * $0 } + residual.map { gamma(3) * $0 }).map { scale * $0 }
            let dMagnitude = d.map(abs) + dError
            func summed(against magnitudes: Matrix<Double>) -> Matrix<Double> {
                dError.multiplied(by: magnitudes, transposingSelf: true)
                    + dMagnitude.multiplied(by: magnitudes, transposingSelf: true).map { gamma(rows) * $0 }
            }
            return (summed(against: x.map(abs)), summed(against: ones).transposed())
        }
        let float = bound { gamma($0, Float.self) }, double = bound { gamma($0, Double.self) }

        for (count, chunkRows) in [(1, rows), (3, rows), (1, 3), (2, 2)] {
            var model = Sequential<Float>([dense])
            var workers = GradientWorkers(model: model, count: count, chunkRows: chunkRows)
            _ = workers.computeGradients(of: &model, rows: Array(0 ..< rows), of: BatchSource(images: images), labels: labels, loss: .meanSquaredError)
            let gradients = Self.gradients(of: &model)
            let what = "\(count) workers, chunks of \(chunkRows)"
            expectClose(gradients[0].converted(to: Double.self), exactWeight, within: float.weight + double.weight, "weight, \(what)")
            expectClose(gradients[1].converted(to: Double.self), exactBias, within: float.bias + double.bias, "bias, \(what)")
        }
    }

    /// The rule: split when every worker gets at least `minimumRowsPerWorker` rows, else one
    /// pass with multithreaded BLAS for heavy steps and one thread for light ones.
    @Test func suitedParallelism() {
        let rows = StepParallelism.minimumRowsPerWorker
        #expect(StepParallelism.suited(threads: 1, batchSize: 1024, stepFlops: 1e9) == .blas(threads: 1))
        #expect(StepParallelism.suited(threads: 2, batchSize: 2 * rows, stepFlops: 1) == .batchSplit(workers: 2))
        #expect(StepParallelism.suited(threads: 4, batchSize: 3 * rows, stepFlops: 1) == .batchSplit(workers: 3))
        #expect(StepParallelism.suited(threads: 2, batchSize: 2 * rows - 1, stepFlops: 1e9) == .blas(threads: 2))
        #expect(StepParallelism.suited(threads: 2, batchSize: 2 * rows - 1, stepFlops: 1) == .blas(threads: 1))
    }
}
