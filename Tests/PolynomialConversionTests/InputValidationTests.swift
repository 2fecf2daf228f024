import Activations
import Foundation
import Interop
import LinearAlgebra
import Testing
import TestSupport
@testable import PolynomialConversion

/// Bad distributions, blocks and files give typed errors; data fitting reports its ridge.
@Suite("Input validation and loading")
struct InputValidationTests {
    @Test func covarianceMustBeSymmetricPSDAndFinite() {
        #expect(throws: DistributionError.notSymmetric(row: 1, column: 0, value: 0.5, transposed: 0.1)) {
            try GaussianDistribution(mean: [0, 0], covariance: Matrix([[1, 0.1], [0.5, 1]]))
        }
        #expect {
            try GaussianDistribution(mean: [0, 0], covariance: Matrix([[1, 2], [2, 1]]))  // Eigenvalues 3 and −1.
        } throws: { ($0 as? DistributionError).map { if case .notPositiveSemidefinite = $0 { true } else { false } } ?? false }
        #expect(throws: DistributionError.nonFinite("covariance")) {
            try GaussianDistribution(mean: [0, 0], covariance: Matrix([[1, .nan], [.nan, 1]]))
        }
        #expect(throws: DistributionError.shapeMismatch(mean: 3, covarianceRows: 2, covarianceColumns: 2)) {
            try GaussianDistribution(mean: [0, 0, 0], covariance: .identity(2))
        }
        // Singular but PSD (a degenerate Gaussian) is accepted.
        #expect(throws: Never.self) { try GaussianDistribution(mean: [0, 0], covariance: Matrix([[1, 1], [1, 1]])) }
    }

    /// The fitted mean and covariance equal the textbook formulas (computed here by plain loops);
    /// a constant column makes Σ singular, and the reported ridge is the smallest ε in the
    /// ladder, added as ε·mean(diag)·I.
    ///
    /// Rounding (u = 2⁻⁵³, N = 300 rows, any summation order): a column mean is within
    /// γ_{N+1}·mean|x| on each side. A covariance entry Σᵢ(xᵢ − mₐ)(yᵢ − m_b)/(N − 1) is within
    /// γ_{N+4}·S/(N − 1) on each side, S = Σᵢ|xᵢ − mₐ||yᵢ − m_b| (centring, product, sum, the
    /// chunk accumulation, the division), and the two sides' means differ by δₐ, δ_b, moving
    /// it by at most (δₐΣ|yᵢ − m_b| + δ_bΣ|xᵢ − mₐ| + N·δₐδ_b)/(N − 1); adding the ridge is one
    /// more rounding of the result on each side.
    @Test func dataFitMatchesDefinitionAndReportsRegularization() throws {
        var generator = SeededGenerator(seed: 21)
        var data = Matrix<Double>.randomNormal(rows: 300, columns: 4, using: &generator)
        for i in 0 ..< 300 { data[i, 1] = 2 }  // A constant pixel.
        let fitted = try GaussianDistribution(fitting: data)
        #expect(fitted.regularization == 1e-8)
        let (count, u) = (300, unitRoundoff(Double.self))
        let mean = (0 ..< 4).map { j in (0 ..< count).reduce(0.0) { $0 + data[$1, j] } / 300 }
        let meanBounds = (0 ..< 4).map { j in 2 * gamma(count + 1, Double.self) * (0 ..< count).reduce(0.0) { $0 + abs(data[$1, j]) } / 300 }
        expectClose(fitted.mean, mean, within: meanBounds)
        var covariance = Matrix<Double>(rows: 4, columns: 4)
        var covarianceBounds = Matrix<Double>(rows: 4, columns: 4)
        for i in 0 ..< 4 { for j in 0 ..< 4 {
            covariance[i, j] = (0 ..< count).reduce(0.0) { $0 + (data[$1, i] - mean[i]) * (data[$1, j] - mean[j]) } / 299
            let spread = (0 ..< count).reduce(0.0) { $0 + abs(data[$1, i] - mean[i]) * abs(data[$1, j] - mean[j]) }
            let (spreadI, spreadJ) = ((0 ..< count).reduce(0.0) { $0 + abs(data[$1, i] - mean[i]) },
                                      (0 ..< count).reduce(0.0) { $0 + abs(data[$1, j] - mean[j]) })
            let shift = meanBounds[i] * spreadJ + meanBounds[j] * spreadI + Double(count) * meanBounds[i] * meanBounds[j]
            covarianceBounds[i, j] = (2 * gamma(count + 4, Double.self) * spread + shift) / 299
        } }
        let ridge = 1e-8 * (0 ..< 4).reduce(0.0) { $0 + covariance[$1, $1] } / 4
        // The ridges differ by 1e-8 times the diagonal's bounds: included with a factor 1 + 1e-8.
        for i in 0 ..< 4 { covariance[i, i] += ridge }
        expectClose(fitted.covariance, covariance,
                    within: Matrix(rows: 4, columns: 4, elements: ContiguousArray((0 ..< 16).map { index in
                        (1 + 1e-8) * covarianceBounds.elements[index] + 2 * u * abs(covariance.elements[index])
                    })))
        #expect(throws: DistributionError.tooFewSamples(1, needed: 2)) { try GaussianDistribution(fitting: data.rows(0 ..< 1)) }
        var poisoned = data
        poisoned[17, 2] = .nan
        #expect(throws: DistributionError.nonFinite("data")) { try GaussianDistribution(fitting: poisoned) }
        poisoned[17, 2] = -.infinity
        #expect(throws: DistributionError.nonFinite("data")) { try GaussianDistribution(fitting: poisoned) }
    }

    /// The chunked scatter (Float syrk over the varying columns, several chunks, a ragged last
    /// chunk) equals the plain-loop scatter in Double. With z = x − c in exact arithmetic,
    /// each Float centred value is within u_F(|z| + |c|) (c rounded to Float, then one
    /// subtraction), a product of two within u_F(|zₐ| + |cₐ|)(|z_b| + |c_b|)·3 to first order,
    /// syrk sums 7 of them (γ₇ in Float, any order) and Double accumulates 8 chunks (γ₈); the
    /// reference's 50-term sum in Double is within γ₅₀. So the difference is at most
    /// (γ₇(Float) + 3u_F)·Σᵢ(|zₐ| + |cₐ|)(|z_b| + |c_b|) + (γ₈ + γ₅₀)(Double)·Σᵢ|zₐ||z_b|.
    /// The constant column is left out of the products, so its row and column are exactly 0.
    @Test func chunkedScatterSkipsConstantColumnsAndMatchesPlainLoop() {
        var generator = SeededGenerator(seed: 23)
        var data = Matrix<Float>.randomNormal(rows: 50, columns: 5, using: &generator)
        for i in 0 ..< 50 { data[i, 1] = 0.25 }  // A constant column in the middle.
        let (mean, varying) = GaussianDistribution.columnStatistics(data)
        #expect(varying == [0, 2, 3, 4])
        #expect(mean[1] == 0.25)  // 50 × 0.25 sums exactly in any order.
        let scatter = GaussianDistribution.scatter(data, around: mean, varyingColumns: varying, chunkSize: 7)
        var expected = Matrix<Double>(rows: 5, columns: 5)
        var bounds = Matrix<Double>(rows: 5, columns: 5)
        for i in 0 ..< 5 { for j in 0 ..< 5 {
            expected[i, j] = (0 ..< 50).reduce(0.0) {
                $0 + (Double(data[$1, i]) - mean[i]) * (Double(data[$1, j]) - mean[j])
            }
            let (floatPart, doublePart) = (0 ..< 50).reduce((0.0, 0.0)) { sums, row in
                let (a, b) = (abs(Double(data[row, i]) - mean[i]), abs(Double(data[row, j]) - mean[j]))
                return (sums.0 + (a + abs(mean[i])) * (b + abs(mean[j])), sums.1 + a * b)
            }
            bounds[i, j] = (gamma(7, Float.self) + 3 * unitRoundoff(Float.self)) * floatPart
                + (gamma(8, Double.self) + gamma(50, Double.self)) * doublePart
        } }
        expectClose(scatter, expected, within: bounds)
        #expect(scatter == scatter.transposed())
        #expect((0 ..< 5).allSatisfy { scatter[1, $0] == 0 && scatter[$0, 1] == 0 })
    }

    @Test func jsonDistributionRoundTripsAndRejectsMalformedFiles() throws {
        let original = try GaussianDistribution(mean: [1, -2], covariance: Matrix([[2, 0.5], [0.5, 1]]))
        let back = try GaussianDistribution(json: try original.jsonData())
        #expect(back == original)
        for bad in ["{\"mean\": [0, 0]}", "{\"mean\": [0], \"covariance\": [[1, 0]]}", "not json", "{\"mean\": [0, 0], \"covariance\": [[1, 0], [0]]}"] {
            #expect(throws: DistributionError.self) { try GaussianDistribution(json: Data(bad.utf8)) }
        }
    }

    @Test func blocksRejectMismatchedShapesAndNaN() {
        let w1 = Matrix<Double>(rows: 3, columns: 2, repeating: 0.1)
        #expect(throws: ConversionError.self) {
            try FeedforwardBlock(inputWeight: w1, inputBias: [0, 0], activation: .relu,
                                 outputWeight: Matrix(rows: 1, columns: 3), outputBias: [0])
        }
        #expect(throws: ConversionError.self) {
            try FeedforwardBlock(inputWeight: w1, inputBias: [0, 0, 0], activation: .relu,
                                 outputWeight: Matrix(rows: 1, columns: 2), outputBias: [0])
        }
        var poisoned = w1
        poisoned[1, 1] = .nan
        #expect(throws: ConversionError.nonFiniteWeights("the input weight")) {
            try FeedforwardBlock(inputWeight: poisoned, inputBias: [0, 0, 0], activation: .relu,
                                 outputWeight: Matrix(rows: 1, columns: 3), outputBias: [0])
        }
    }

    /// Sequential keys load; a missing tensor, a wrong key mapping or a checkpoint of another
    /// architecture throw.
    @Test func safetensorsLoadingAndKeyMapping() throws {
        var generator = SeededGenerator(seed: 22)
        let block = try RandomBlocks.block(inputs: 3, hidden: 4, outputs: 2, activation: .gelu, using: &generator)
        var file = SafeTensors(metadata: ["polynet.arch": "dense(3,4) gelu dense(4,2)"])
        file.insert(block.inputWeight.converted(to: Float.self), named: "0.weight")
        file.insert(block.inputBias.map(Float.init), named: "0.bias", shape: [4])
        file.insert(block.outputWeight.converted(to: Float.self), named: "2.weight")
        file.insert(block.outputBias.map(Float.init), named: "2.bias", shape: [2])
        let loaded = try FeedforwardBlock(checkpoint: file)
        #expect(loaded.activation.name == "gelu")
        expectClose(loaded.inputWeight, block.inputWeight.converted(to: Float.self).converted(to: Double.self), absolute: 0)

        var renamed = SafeTensors()
        renamed.insert(block.inputWeight, named: "fc1.weight")
        renamed.insert(block.outputWeight, named: "fc2.weight")
        let keys = try BlockKeys(mapping: ["input.weight=fc1.weight,output.weight=fc2.weight", "input.bias=none", "output.bias=none"])
        let glueless = try FeedforwardBlock(safeTensors: renamed, keys: keys, activation: .relu)
        #expect(glueless.inputBias == [0, 0, 0, 0])
        #expect(throws: SafeTensorsError.self) { try FeedforwardBlock(safeTensors: renamed, activation: .relu) }
        #expect(throws: ConversionError.self) { try BlockKeys(mapping: ["hidden.weight=x"]) }
        #expect(throws: ConversionError.self) { try BlockKeys(mapping: ["input.weight=none"]) }
        #expect(throws: ConversionError.self) { try BlockKeys(mapping: ["input.weight"]) }

        var deeper = file
        deeper.metadata["polynet.arch"] = "dense(3,4) relu dense(4,4) relu dense(4,2)"
        #expect(throws: ConversionError.self) { try FeedforwardBlock(checkpoint: deeper) }
        #expect(throws: ConversionError.self) { try FeedforwardBlock(checkpoint: SafeTensors()) }
        #expect(throws: ConversionError.dimensionMismatch(block: 3, distribution: 2)) {
            try PolynomialApproximant(of: block, degree: 2, under: .standard(2))
        }
        #expect(throws: ConversionError.self) {
            try PolynomialApproximant(of: block, degree: 3, under: .standard(3)).explicitCoefficients()
        }
        #expect(throws: ConversionError.explicitTooLarge(numbers: 2 * (1 + 3 + 9), limit: 10)) {
            try PolynomialApproximant(of: block, degree: 2, under: .standard(3)).explicitCoefficients(limit: 10)
        }
    }

    /// Empirical R², accuracy and KL against direct formulas on a tiny set.
    ///
    /// Both sides evaluate f and p with the same functions, each within γ_K of its magnitude
    /// (`RoundingBounds`), so they see values at most δ = 2γ_K·magnitude apart, and then
    /// differ in their formulas:
    /// - R² = 1 − E/T: E = Σ(f − p)² and T (shifted sums against two passes) are each within
    ///   γ_{N+4} of E and of T (1 + tiny), and the evaluations move E by at most
    ///   2√E·‖δ_f + δ_p‖ + ‖δ_f + δ_p‖² and T by 2√T·‖δ_f‖ + ‖δ_f‖² (Minkowski), so
    ///   |ΔR²| ≤ (ΔE + (E/T)·ΔT)/(T − ΔT) + 4γ_{N+4}·E/T.
    /// - KL per sample: log-softmax values are within E_s = u·(8F + 10) (F the largest |logit|
    ///   in the row: the shift by the max, exp within 1 ulp, the sum of 3, log within 1 ulp),
    ///   and the direct formula (exp, sums, divisions, one log of a ratio) within the same; the
    ///   sum Σq(a − b) with |a − b| ≤ D = 4F + 2.2 is then within (E_s + 6u)·D + 2E_s on each
    ///   side, and moving the logits by δ moves it by at most D·max δ_f + max δ_p.
    /// - accuracy counts argmaxes of the same p values: equal.
    ///
    /// In one chunk and in chunks of 7 rows (the statistics then accumulate across 10 chunks,
    /// the last one short); the bounds hold for any order of the sums.
    @Test(arguments: [EmpiricalComparison.defaultChunkSize, 7])
    func empiricalComparisonMatchesDefinitions(chunkSize: Int) throws {
        var generator = SeededGenerator(seed: 23)
        let block = try RandomBlocks.block(inputs: 3, hidden: 5, outputs: 3, activation: .tanh, using: &generator)
        let approximant = try PolynomialApproximant(of: block, degree: 1, under: .standard(3))
        let x = Matrix<Double>.randomNormal(rows: 64, columns: 3, using: &generator)
        let labels = (0 ..< 64).map { $0 % 3 }
        let comparison = approximant.compare(on: x, labels: labels, chunkSize: chunkSize)
        let (f, p) = (block(x), approximant(x))
        let (deltaF, deltaP) = Self.evaluationDifferences(approximant, at: x)
        for o in 0 ..< 3 {
            let column = f.column(o), mean = column.reduce(0, +) / 64
            let total = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            let error = (0 ..< 64).reduce(0.0) { $0 + (f[$1, o] - p[$1, o]) * (f[$1, o] - p[$1, o]) }
            let bound = Self.rSquaredBound(error: error, total: total, deltaF: deltaF.column(o),
                                           deltaP: deltaP.column(o), count: 64)
            #expect(abs(comparison.rSquared[o] - (1 - error / total)) <= bound)
        }
        var kl = 0.0
        for i in 0 ..< 64 {
            let q = f.row(i).map { Foundation.exp($0) }, r = p.row(i).map { Foundation.exp($0) }
            let (sq, sr) = (q.reduce(0, +), r.reduce(0, +))
            for c in 0 ..< 3 { kl += q[c] / sq * Foundation.log((q[c] / sq) / (r[c] / sr)) }
        }
        #expect(abs(comparison.klDivergence - kl / 64) <= Self.divergenceBound(f, p, deltaF: deltaF, deltaP: deltaP))
        let accuracy = Double(zip(p.argmaxOfRows(), labels).filter { $0 == $1 }.count) / 64
        #expect(comparison.approximantAccuracy == accuracy)
        // An affine block is its own approximant: KL ≥ 0 is 0 and R² is 1 up to the rounding
        // above (the exact f − p is 0, so E ≤ ‖δ‖²).
        let affine = try RandomBlocks.block(inputs: 3, hidden: 5, outputs: 3, activation: .identity, using: &generator)
        let exact = try PolynomialApproximant(of: affine, degree: 1, under: .standard(3))
        let perfect = exact.compare(on: x, labels: nil, chunkSize: chunkSize)
        let (affineF, affineP) = (affine(x), exact(x))
        let (affineDeltaF, affineDeltaP) = Self.evaluationDifferences(exact, at: x)
        let squares = zip(affineDeltaF.elements, affineDeltaP.elements).reduce(0.0) { $0 + ($1.0 + $1.1) * ($1.0 + $1.1) }
        let totals = (0 ..< 3).reduce(0.0) { sum, o in
            let column = affineF.column(o), mean = column.reduce(0, +) / 64
            return sum + column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        }
        #expect(abs(perfect.klDivergence) <= Self.divergenceBound(affineF, affineP, deltaF: affineDeltaF, deltaP: affineDeltaP))
        #expect(abs(perfect.pooledRSquared - 1) <= 2 * squares / totals)
    }

    /// δ_f = 2γ_{K_f}·|f|-magnitude and δ_p = 2γ_{K_p}·|p|-magnitude per sample and output:
    /// how far two evaluations of the block and of the approximant at the same rows can differ.
    static func evaluationDifferences(_ approximant: PolynomialApproximant, at x: Matrix<Double>) -> (Matrix<Double>, Matrix<Double>) {
        let (d, n) = (approximant.block.inputDimension, approximant.block.hiddenCount)
        let blockRounding = 2 * gamma(RoundingBounds.blockOperationCount(inputs: d, hidden: n), Double.self)
        let ourRounding = 2 * gamma(RoundingBounds.approximantOperationCount(inputs: d, hidden: n, degree: approximant.degree), Double.self)
        return (RoundingBounds.blockMagnitude(approximant.block, at: x).map { blockRounding * $0 },
                RoundingBounds.approximantMagnitude(approximant, at: x).map { ourRounding * $0 })
    }

    static func rSquaredBound(error: Double, total: Double, deltaF: [Double], deltaP: [Double], count: Int) -> Double {
        let norm = { (v: [Double]) in v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let both = norm(zip(deltaF, deltaP).map { $0 + $1 }), onlyF = norm(deltaF)
        let errorChange = 2 * error.squareRoot() * both + both * both
        let totalChange = 2 * total.squareRoot() * onlyF + onlyF * onlyF
        return (errorChange + error / total * totalChange) / (total - totalChange) + 4 * gamma(count + 4, Double.self) * error / total
    }

    static func divergenceBound(_ f: Matrix<Double>, _ p: Matrix<Double>, deltaF: Matrix<Double>, deltaP: Matrix<Double>) -> Double {
        let u = unitRoundoff(Double.self)
        let perSample = (0 ..< f.rows).map { i -> Double in
            let largest = (f.row(i) + p.row(i)).reduce(0) { max($0, abs($1)) }
            let (logSoftmax, spread) = (u * (8 * largest + 10), 4 * largest + 2.2)
            let rounding = 2 * ((logSoftmax + 6 * u) * spread + 2 * logSoftmax)
            return rounding + spread * deltaF.row(i).max()! + deltaP.row(i).max()!
        }
        return perSample.reduce(0, +) / Double(f.rows) * (1 + 2 * u)
    }
}
