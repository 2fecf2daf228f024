import Activations
import LinearAlgebra
import Testing
import TestSupport
@testable import PolynomialConversion

/// The mixture's linear fit against ordinary least squares on 4·10⁵ samples from the mixture.
///
/// Tolerance: the OLS coefficients have sandwich standard errors
/// √diag((XᵀX)⁻¹(Σrᵢ²xᵢxᵢᵀ)(XᵀX)⁻¹) with r the residual of our fit; we allow 6 of them. R² is
/// compared within 6 delta-method standard errors of R̂ = 1 − mean(r²)/mean((y − ȳ)²), from the
/// per-sample terms a = r² and b = (y − ȳ)²: SE² = Var(a/B − A·b/B²)/N.
@Suite("Gaussian-mixture linear fit")
struct MixtureTests {
    @Test func linearFitUnderMixtureMatchesLeastSquares() throws {
        var generator = SeededGenerator(seed: 31)
        let (d, o) = (3, 2)
        let block = try RandomBlocks.block(inputs: d, hidden: 5, outputs: o, activation: .relu, using: &generator)
        let components = try (0 ..< 3).map { _ in try RandomBlocks.gaussian(dimension: d, using: &generator) }
        let mixture = try GaussianMixture(components: components, weights: [0.5, 0.3, 0.2])
        let fit = try block.linearFit(under: mixture)

        let count = 400_000
        var design = Matrix<Double>(rows: count, columns: d + 1)
        let factors = try components.map { try $0.covariance.choleskyFactor() }
        for i in 0 ..< count {
            let u = Double.random(in: 0 ..< 1, using: &generator)
            let k = u < 0.5 ? 0 : (u < 0.8 ? 1 : 2)
            let z = (0 ..< d).map { _ in Double.standardNormal(using: &generator) }
            design[i, 0] = 1
            for a in 0 ..< d {
                var value = components[k].mean[a]
                for b in 0 ... a { value += factors[k][a, b] * z[b] }
                design[i, a + 1] = value
            }
        }
        let x = Matrix(rows: count, columns: d, elements: (0 ..< count).flatMap { i in (1 ... d).map { design[i, $0] } })
        let y = block(x)
        let ols = try design.leastSquaresSolution(y).solution  // (d+1) × o
        // Sandwich standard errors with residuals of our fit.
        var predicted = x.multiplied(by: fit.linear, transposingOther: true)
        predicted.addToEachRow(fit.constant)
        let gramInverse = try design.multiplied(by: design, transposingSelf: true).solve(.identity(d + 1))
        for output in 0 ..< o {
            var weighted = design
            for i in 0 ..< count {
                let r = y[i, output] - predicted[i, output]
                for a in 0 ... d { weighted[i, a] *= abs(r) }
            }
            let meat = weighted.multiplied(by: weighted, transposingSelf: true)
            let covariance = gramInverse.multiplied(by: meat).multiplied(by: gramInverse)
            let ours = [fit.constant[output]] + fit.linear.row(output)
            for a in 0 ... d {
                let error = covariance[a, a].squareRoot()
                #expect(abs(ols[a, output] - ours[a]) <= 6 * error, "output \(output), coefficient \(a): OLS \(ols[a, output]) vs ours \(ours[a]) ± \(error)")
            }
            let column = y.column(output), n = Double(count)
            let mean = column.reduce(0, +) / n
            let a = (0 ..< count).map { (y[$0, output] - predicted[$0, output]) * (y[$0, output] - predicted[$0, output]) }
            let b = column.map { ($0 - mean) * ($0 - mean) }
            let (meanA, meanB) = (a.reduce(0, +) / n, b.reduce(0, +) / n)
            let terms = zip(a, b).map { $0 / meanB - meanA * $1 / (meanB * meanB) }
            let termMean = terms.reduce(0, +) / n
            let error = (terms.reduce(0) { $0 + ($1 - termMean) * ($1 - termMean) } / n / n).squareRoot()
            #expect(abs((1 - meanA / meanB) - fit.rSquared[output]) <= 6 * error + fit.totalErrorBound[output] / meanB,
                    "R² of output \(output): sampled \(1 - meanA / meanB) ± \(error) vs exact \(fit.rSquared[output])")
        }
    }
}
