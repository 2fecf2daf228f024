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
    /// Instead of `quadratic`: the approximant whose quadratic forms the JSON output writes one
    /// output at a time (o·d² numbers need not be held together).
    var streamedQuadratic: PolynomialApproximant?
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

    /// Writes the report as one JSON object (keys sorted) to `output`, number by number.
    func writeJSON(to output: inout JSONStreamWriter) throws {
        output.beginObject()
        if let data, let model = data.modelAccuracy, let approximant = data.approximantAccuracy {
            output.key("accuracy")
            output.beginObject()
            output.key("approximant")
            output.value(approximant)
            output.key("model")
            output.value(model)
            output.endObject()
        }
        if let constant {
            output.key("constant")
            output.value(constant)
        }
        output.key("degree")
        output.value(degree)
        output.key("distribution")
        output.value(distributionDescription)
        if let data {
            output.key("kl")
            output.value(data.klDivergence)
        }
        if let linear {
            output.key("linear")
            output.rows(linear.elements, columns: linear.columns)
        }
        if let quadratic {
            output.key("quadratic")
            output.beginArray()
            for q in quadratic { output.rows(q.elements, columns: q.columns) }
            output.endArray()
        } else if let streamedQuadratic {
            output.key("quadratic")
            output.beginArray()
            for o in 0 ..< streamedQuadratic.block.outputCount {
                let q = try streamedQuadratic.quadraticCoefficients(output: o)
                output.rows(q.elements, columns: q.columns)
            }
            output.endArray()
        }
        output.key("r2")
        output.beginObject()
        if let data {
            output.key("data")
            output.value(data.rSquared)
        }
        output.key("gaussian")
        output.value(gaussianByDegree.last ?? [])
        output.endObject()
        output.key("r2_gaussian_by_degree")
        output.beginArray()
        for row in gaussianByDegree { output.value(row) }
        output.endArray()
        output.key("r2_pooled")
        output.beginObject()
        if let data {
            output.key("data")
            output.value(data.pooledRSquared)
        }
        output.key("gaussian")
        output.value(gaussianPooledByDegree.last ?? 0)
        output.endObject()
        output.key("variance_relative_error_bound")
        output.value(varianceErrorBound)
        output.endObject()
    }
}
