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

    /// The fitted mean and covariance equal the textbook formulas (computed here by plain loops,
    /// 1e-12 relative); a constant column makes Σ singular, and the reported ridge is the
    /// smallest ε in the ladder, added as ε·mean(diag)·I.
    @Test func dataFitMatchesDefinitionAndReportsRegularization() throws {
        var generator = SeededGenerator(seed: 21)
        var data = Matrix<Double>.randomNormal(rows: 300, columns: 4, using: &generator)
        for i in 0 ..< 300 { data[i, 1] = 2 }  // A constant pixel.
        let fitted = try GaussianDistribution(fitting: data)
        #expect(fitted.regularization == 1e-8)
        let mean = (0 ..< 4).map { j in (0 ..< 300).reduce(0.0) { $0 + data[$1, j] } / 300 }
        expectClose(fitted.mean, mean, absolute: 1e-14)
        var covariance = Matrix<Double>(rows: 4, columns: 4)
        for i in 0 ..< 4 { for j in 0 ..< 4 {
            covariance[i, j] = (0 ..< 300).reduce(0.0) { $0 + (data[$1, i] - mean[i]) * (data[$1, j] - mean[j]) } / 299
        } }
        let ridge = 1e-8 * (0 ..< 4).reduce(0.0) { $0 + covariance[$1, $1] } / 4
        for i in 0 ..< 4 { covariance[i, i] += ridge }
        expectClose(fitted.covariance, covariance, absolute: 1e-14, relative: 1e-12)
        #expect(throws: DistributionError.tooFewSamples(1, needed: 2)) { try GaussianDistribution(fitting: data.rows(0 ..< 1)) }
        var poisoned = data
        poisoned[17, 2] = .nan
        #expect(throws: DistributionError.nonFinite("data")) { try GaussianDistribution(fitting: poisoned) }
        poisoned[17, 2] = -.infinity
        #expect(throws: DistributionError.nonFinite("data")) { try GaussianDistribution(fitting: poisoned) }
    }

    /// The chunked scatter (Float syrk over the varying columns, several chunks, a ragged last
    /// chunk) equals the plain-loop scatter in Double. Entries are sums of 50 products of
    /// values ≲ 3 in Float: rounding stays below 50·6e-8·9 ≈ 3e-5; 1e-4 leaves a margin.
    @Test func chunkedScatterSkipsConstantColumnsAndMatchesPlainLoop() {
        var generator = SeededGenerator(seed: 23)
        var data = Matrix<Float>.randomNormal(rows: 50, columns: 5, using: &generator)
        for i in 0 ..< 50 { data[i, 1] = 0.25 }  // A constant column in the middle.
        let (mean, varying) = GaussianDistribution.columnStatistics(data)
        #expect(varying == [0, 2, 3, 4])
        #expect(mean[1] == 0.25)
        let scatter = GaussianDistribution.scatter(data, around: mean, varyingColumns: varying, chunkSize: 7)
        var expected = Matrix<Double>(rows: 5, columns: 5)
        for i in 0 ..< 5 { for j in 0 ..< 5 {
            expected[i, j] = (0 ..< 50).reduce(0.0) {
                $0 + (Double(data[$1, i]) - mean[i]) * (Double(data[$1, j]) - mean[j])
            }
        } }
        expectClose(scatter, expected, absolute: 1e-4)
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
    @Test func empiricalComparisonMatchesDefinitions() throws {
        var generator = SeededGenerator(seed: 23)
        let block = try RandomBlocks.block(inputs: 3, hidden: 5, outputs: 3, activation: .tanh, using: &generator)
        let approximant = try PolynomialApproximant(of: block, degree: 1, under: .standard(3))
        let x = Matrix<Double>.randomNormal(rows: 64, columns: 3, using: &generator)
        let labels = (0 ..< 64).map { $0 % 3 }
        let comparison = approximant.compare(on: x, labels: labels)
        let (f, p) = (block(x), approximant(x))
        for o in 0 ..< 3 {
            let column = f.column(o), mean = column.reduce(0, +) / 64
            let total = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            let error = (0 ..< 64).reduce(0.0) { $0 + (f[$1, o] - p[$1, o]) * (f[$1, o] - p[$1, o]) }
            #expect(abs(comparison.rSquared[o] - (1 - error / total)) <= 1e-12)
        }
        var kl = 0.0
        for i in 0 ..< 64 {
            let q = f.row(i).map { Foundation.exp($0) }, r = p.row(i).map { Foundation.exp($0) }
            let (sq, sr) = (q.reduce(0, +), r.reduce(0, +))
            for c in 0 ..< 3 { kl += q[c] / sq * Foundation.log((q[c] / sq) / (r[c] / sr)) }
        }
        #expect(abs(comparison.klDivergence - kl / 64) <= 1e-12)
        let accuracy = Double(zip(p.argmaxOfRows(), labels).filter { $0 == $1 }.count) / 64
        #expect(comparison.approximantAccuracy == accuracy)
        let perfect = try PolynomialApproximant(of: try RandomBlocks.block(inputs: 3, hidden: 5, outputs: 3, activation: .identity, using: &generator),
                                                degree: 1, under: .standard(3)).compare(on: x)
        #expect(abs(perfect.klDivergence) <= 1e-12 && abs(perfect.pooledRSquared - 1) <= 1e-12)
    }
}
