import Foundation
import LinearAlgebra
import PolynomialConversion

/// What `polynet convert` prints: a summary table or one JSON object.
struct ConvertReport {
    var degree: Int
    var blockDescription: String
    var distributionDescription: String
    var constant: [Double]?
    var linear: Matrix<Double>?
    var quadratic: [Matrix<Double>]?
    /// The degree of each row of `gaussianByDegree`: 1...k, or just 0 for the constant fit.
    var rowDegrees: [Int]
    /// Exact R² per output for each degree in `rowDegrees` (cumulative).
    var gaussianByDegree: [[Double]]
    var gaussianPooledByDegree: [Double]
    var varianceErrorBound: [Double]
    var truncation: Int?
    var data: EmpiricalComparison?
    var dataset: String?

    init(approximant: PolynomialApproximant, variance: GaussianVarianceDecomposition, explicit: ExplicitPolynomial?,
         distributionName: String) {
        let block = approximant.block
        degree = approximant.degree
        blockDescription = Self.describe(block)
        let regularization = approximant.distribution.regularization
        distributionDescription = distributionName
            + (regularization > 0 ? " (singular covariance regularized: +\(regularization)·mean(diag)·I)" : "")
        constant = explicit?.constant
        linear = explicit?.linear
        quadratic = explicit.flatMap { $0.quadratic.isEmpty ? nil : $0.quadratic }
        let k = approximant.degree
        rowDegrees = k == 0 ? [0] : Array(1 ... k)
        gaussianByDegree = rowDegrees.map { variance.rSquared(degree: $0) }
        gaussianPooledByDegree = rowDegrees.map { variance.pooledRSquared(degree: $0) }
        varianceErrorBound = zip(variance.totalErrorBound, variance.total).map { $1 > 0 ? $0 / $1 : 0 }
        truncation = variance.truncation
    }

    init(block: FeedforwardBlock, fit: MixtureLinearFit, classCount: Int) {
        degree = 1
        blockDescription = Self.describe(block)
        distributionDescription = "mixture of \(classCount) class Gaussians (linear least squares)"
        constant = fit.constant
        linear = fit.linear
        rowDegrees = [1]
        gaussianByDegree = [fit.rSquared]
        gaussianPooledByDegree = [fit.pooledRSquared]
        varianceErrorBound = zip(fit.totalErrorBound, fit.totalVariance).map { $1 > 0 ? $0 / $1 : 0 }
    }

    static func describe(_ block: FeedforwardBlock) -> String {
        let kind = block.isGated ? "GLU \(block.activation.name)(W₁x+b₁)⊙(Vx+c)" : "MLP \(block.activation.name)"
        return "\(kind): \(block.inputDimension) → \(block.hiddenCount) → \(block.outputCount)"
    }

    var summary: String {
        var lines = ["block: \(blockDescription)", "distribution: \(distributionDescription)", "degree: \(degree)"]
        let outputs = gaussianByDegree[0].count
        let header = "R² (exact, Gaussian)  " + (0 ..< outputs).map { String(format: "%7d", $0) }.joined() + "   pooled"
        lines.append(header)
        for (k, row) in gaussianByDegree.enumerated() {
            lines.append(String(format: "  degree ≤ %-10d ", rowDegrees[k]) + row.map { String(format: "%7.4f", $0) }.joined()
                         + String(format: "  %7.4f", gaussianPooledByDegree[k]))
        }
        if let worst = varianceErrorBound.max(), worst > 1e-6 {
            lines.append(String(format: "  (total variance known to ±%.2g relative; truncation %d)", worst, truncation ?? 0))
        }
        if let data {
            lines.append(String(format: "R² on %@ test data (%d)", dataset ?? "data", data.sampleCount))
            lines.append("  per output           " + data.rSquared.map { String(format: "%7.4f", $0) }.joined()
                         + String(format: "  %7.4f", data.pooledRSquared))
            if let model = data.modelAccuracy, let approximant = data.approximantAccuracy {
                lines.append(String(format: "accuracy: model %.2f%%, approximant %.2f%%", 100 * model, 100 * approximant))
            }
            lines.append(String(format: "KL(softmax model ‖ softmax approximant): %.4g nats per sample", data.klDivergence))
        }
        return lines.joined(separator: "\n")
    }

    func jsonText() throws -> String {
        var object: [String: Any] = ["degree": degree]
        if let constant { object["constant"] = constant }
        if let linear { object["linear"] = (0 ..< linear.rows).map { linear.row($0) } }
        if let quadratic { object["quadratic"] = quadratic.map { q in (0 ..< q.rows).map { q.row($0) } } }
        var r2: [String: Any] = ["gaussian": gaussianByDegree.last ?? []]
        if let data { r2["data"] = data.rSquared }
        object["r2"] = r2
        var pooled: [String: Any] = ["gaussian": gaussianPooledByDegree.last ?? 0]
        if let data { pooled["data"] = data.pooledRSquared }
        object["r2_pooled"] = pooled
        object["r2_gaussian_by_degree"] = gaussianByDegree
        object["variance_relative_error_bound"] = varianceErrorBound
        object["distribution"] = distributionDescription
        if let data {
            object["kl"] = data.klDivergence
            if let model = data.modelAccuracy, let approximant = data.approximantAccuracy {
                object["accuracy"] = ["model": model, "approximant": approximant]
            }
        }
        let bytes = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: bytes, as: UTF8.self)
    }
}
