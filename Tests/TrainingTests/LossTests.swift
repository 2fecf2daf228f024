import LinearAlgebra
import Testing
import TestSupport
@testable import Training

struct LossTests {
    static let labels = [2, 0, 1, 2]

    static func logits() -> Matrix<Double> {
        var generator = SeededGenerator(seed: 11)
        return .randomNormal(rows: 4, columns: 3, standardDeviation: 2, using: &generator)
    }

    /// Central differences of the batch-mean loss. With h = 1e-5 the truncation error is
    /// h²·|ℓ‴|/6 ≲ 1e-10·0.25/6 ≈ 4e-12 (ℓ‴ of softmax cross-entropy is at most 1/4 per row,
    /// divided by the batch of 4; zero for the quadratic MSE) and the rounding error is
    /// 2u·|ℓ|/h ≈ 2·1.1e-16·4/1e-5 ≈ 9e-11 for |ℓ| ≲ 4 (logits of standard deviation 2; exp and
    /// log within 1–2 ulps in any libm only scale u), so 1e-8 absolute + 1e-6 relative has a
    /// margin of 100 while a wrong gradient term is off by 1e-2 or more.
    @Test(arguments: Loss.allCases)
    func gradientMatchesFiniteDifferences(_ loss: Loss) {
        let z = Self.logits()
        var gradient = Matrix<Double>(rows: 0, columns: 0), scratch = gradient
        _ = loss.evaluate(z, labels: Self.labels, gradient: &gradient)
        var numeric = z
        let h = 1e-5
        for index in z.elements.indices {
            var plus = z, minus = z
            plus.elements[index] += h
            minus.elements[index] -= h
            numeric.elements[index] = (loss.evaluate(plus, labels: Self.labels, gradient: &scratch).loss
                - loss.evaluate(minus, labels: Self.labels, gradient: &scratch).loss) / (2 * h)
        }
        expectClose(gradient, numeric, absolute: 1e-8, relative: 1e-6)
    }

    /// Against the textbook formula −log(e^{z_y} / Σ e^{z_j}), evaluated directly (fine for
    /// these moderate logits, |z| ≲ 6). Each side rounds about 8 times per row with relative
    /// errors ≤ 2u (exp and log within 2 ulps in any libm, u = 2⁻⁵³), and log turns a relative
    /// error of its argument into the same absolute error, so each row's loss is within
    /// ≈ 16u·max(1, |ℓ|) ≈ 2e-15·4 of exact: 1e-12 leaves a factor 100.
    @Test func crossEntropyMatchesDefinition() {
        let z = Self.logits()
        var gradient = Matrix<Double>(rows: 0, columns: 0)
        let evaluation = Loss.crossEntropy.evaluate(z, labels: Self.labels, gradient: &gradient)
        let direct = (0 ..< 4).map { i in
            -Double.log(Double.exp(z[i, Self.labels[i]]) / (0 ..< 3).map { Double.exp(z[i, $0]) }.reduce(0, +))
        }.reduce(0, +) / 4
        #expect(abs(evaluation.loss - direct) < 1e-12)
        let predicted = z.argmaxOfRows()
        #expect(evaluation.correct == zip(predicted, Self.labels).filter { $0 == $1 }.count)
    }

    /// Logits of 1e4 overflow a naive softmax; the fused form must stay finite and exact:
    /// loss = log(1 + e^{−1}) for logits (1e4, 1e4 − 1) with label 0. In Float, z − max = −1
    /// exactly, then exp, one addition and log each round by at most 2 Float ulps (u = 2⁻²⁴)
    /// of values ≤ 1.4: |error| ≤ 3·2·2u·1.4 ≈ 5e-7 < 1e-6.
    @Test func crossEntropyIsStableForHugeLogits() {
        let z = Matrix<Float>([[1e4, 1e4 - 1]])
        var gradient = Matrix<Float>(rows: 0, columns: 0)
        let evaluation = Loss.crossEntropy.evaluate(z, labels: [0], gradient: &gradient)
        #expect(abs(evaluation.loss - Double.log(1 + Double.exp(-1))) < 1e-6)
        #expect(gradient.isFinite)
    }

    @Test func nonFiniteLogitsGiveANonFiniteLoss() {
        var gradient = Matrix<Float>(rows: 0, columns: 0)
        #expect(!Loss.crossEntropy.evaluate(Matrix<Float>([[.nan, 0]]), labels: [0], gradient: &gradient).loss.isFinite)
    }
}
