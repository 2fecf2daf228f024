import Activations
import ArgumentParser
import Foundation
import Plotting
import Polynomials

/// A failure of `polynet approx` worded for the command line (exit code 1).
struct ApproxFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A fit rendered for `polynet approx`: in the requested basis, as text, JSON or a chart.
struct ApproxOutput {
    let fit: ActivationApproximation
    /// The polynomial in the output basis.
    let polynomial: Polynomial
    /// Conditioning of the conversion, when the basis changed.
    let conversion: Polynomial.ConversionReport?
    let notes: [String]

    init(fit: ActivationApproximation, basis family: Polynomial.Basis.Family?) throws {
        self.fit = fit
        let conversion: BasisConversion
        do { conversion = try fit.inBasis(family) } catch let error as ActivationError {
            guard case .basisNotAvailable = error else { throw error }
            throw ValidationError("\(error)")
        } catch let error as PolynomialError {
            guard case .conversionOverflow = error, let family else { throw error }
            throw ApproxFailure("--basis \(family.rawValue): \(error); keep the \(fit.polynomial.basis.family.rawValue) basis (drop --basis) or lower the degree")
        }
        polynomial = conversion.polynomial
        self.conversion = conversion.report
        var notes = fit.notes
        if let report = conversion.report, family == .monomial, report.digitsLost >= 2 {
            // Double carries about 15.95 decimal digits (log₁₀ 2⁵³).
            let lost = report.digitsLost >= 15.95 ? "all 16 digits" : String(format: "about %.0f of 16 digits", report.digitsLost)
            notes.append(String(format: "monomial terms c_k·x^k reach %.1e× the largest %@ term on the range (largest coefficient %.1e, evaluation condition %.1e); evaluating them in Double loses %@ — prefer the Chebyshev basis",
                                report.coefficientGrowth, fit.polynomial.basis.family.rawValue, report.largestCoefficient,
                                report.evaluationConditionNumber, lost))
        }
        self.notes = notes
    }

    private var a: Double { fit.interval.lowerBound }
    private var b: Double { fit.interval.upperBound }

    /// The human-readable report.
    func text() -> String {
        var lines = [String]()
        let what: String
        switch fit.method {
        case .pade: what = "Padé [\(fit.degree)/\(fit.denominator?.degree ?? 0)]"
        case .rationalMinimax: what = "rational minimax p/q of type (\(fit.degree), \(fit.denominator?.degree ?? 0))"
        default: what = "\(fit.method.rawValue) polynomial of degree \(fit.degree)"
        }
        lines.append("\(fit.activation) ≈ \(what) on [\(g(a)), \(g(b))]")
        if fit.method == .gaussian, let gaussian = fit.gaussian {
            lines.append("  fitted under N(\(g(gaussian.mean)), \(g(gaussian.standardDeviation))²)")
        }
        lines.append("  basis: \(polynomial.basis)")
        lines.append("  coefficients (ascending): " + polynomial.coefficients.map { e($0) }.joined(separator: ", "))
        if let denominator = fit.denominator {
            lines.append("  denominator (ascending): " + denominator.coefficients.map { e($0) }.joined(separator: ", "))
        }
        let errors = fit.errors
        var maxLine = "  max |f − p| on the range: \(e(errors.maxError)) at x = \(g(errors.maxErrorLocation))"
        if let relative = fit.relativeError {
            lines.append(maxLine)
            maxLine = "  max |f − p|/|f| on the range (relative-error minimax, weight 1/|f|): \(e(relative))"
        }
        if let lowerBound = fit.lowerBound {
            maxLine += "  (best possible ∈ [\(e(lowerBound)), \(e(fit.targetedError))], de la Vallée-Poussin; \(fit.iterations ?? 0) Remez iterations)"
        }
        lines.append(maxLine)
        lines.append("  RMS error, uniform on the range: \(e(errors.rmsUniform))")
        if let rms = errors.rmsGaussian, let gaussian = fit.gaussian {
            lines.append("  RMS error under N(\(g(gaussian.mean)), \(g(gaussian.standardDeviation))²): \(e(rms))")
        }
        lines.append("  outside the range: " + errors.outside.map { "\(g($0.factor))× half-width → \($0.isUndefined ? "f undefined" : e($0.error))" }.joined(separator: ", "))
        if errors.outside.contains(where: \.overflows) || errors.rmsGaussian?.isFinite == false {
            lines.append("  (\"overflows\": the value exceeds the largest Double, about 1.8e308)")
        }
        if let conversion {
            lines.append("  conversion: coefficient growth ×\(e(conversion.coefficientGrowth)), evaluation condition \(e(conversion.evaluationConditionNumber))")
        }
        lines.append("  evaluation cost (homomorphic):")
        for cost in fit.costs {
            lines.append("    \(cost.scheme): \(cost.nonScalarMultiplications) non-scalar mults, \(cost.scalarMultiplications) scalar mults, \(cost.additions) additions, depth \(cost.depth)")
        }
        let affine = fit.needsAffineMap ? 1 : 0
        lines.append("    optimal depth for \(fit.denominator == nil ? "" : "the numerator alone, ")degree \(fit.degree): \(EvaluationCost.optimalDepth(degree: fit.degree) + affine)"
                     + (affine == 1 ? " (includes 1 level to map the range onto [-1, 1])" : ""))
        for note in notes { lines.append("  note: \(note)") }
        return lines.joined(separator: "\n")
    }

    /// One JSON object. Figures that overflow Double (errors outside the range, the Gaussian
    /// RMS error with polynomial tails) are written as null, and a note names them.
    func json() throws -> String {
        var object: [String: Any] = [
            "activation": fit.activation,
            "method": fit.method.rawValue,
            "degree": fit.degree,
            "basis": polynomial.basis.family.rawValue,
            "interval": [a, b],
            "coefficients": polynomial.coefficients,
            "maxError": fit.errors.maxError,
            "maxErrorLocation": fit.errors.maxErrorLocation,
            "rmsUniform": fit.errors.rmsUniform,
            "outside": fit.errors.outside.map { $0.isUndefined ? ["factor": $0.factor, "error": NSNull(), "undefined": true] as [String: Any]
                                                               : ["factor": $0.factor, "error": $0.error] },
            "costs": fit.costs.map { cost in
                ["scheme": cost.scheme, "nonScalarMultiplications": cost.nonScalarMultiplications,
                 "scalarMultiplications": cost.scalarMultiplications, "additions": cost.additions, "depth": cost.depth]
            },
            "optimalDepth": EvaluationCost.optimalDepth(degree: fit.degree) + (fit.needsAffineMap ? 1 : 0),
            "notes": notes,
        ]
        switch polynomial.basis.family {
        case .probabilistsHermite, .normalizedHermite:
            object["mean"] = polynomial.basis.mean
            object["std"] = polynomial.basis.standardDeviation
        case .monomial:
            object["center"] = polynomial.basis.mean * polynomial.basis.scale == 0 ? 0 : polynomial.basis.mean
        case .chebyshev, .legendre:
            object["basisInterval"] = [polynomial.basis.interval.lowerBound, polynomial.basis.interval.upperBound]
        }
        if let gaussian = fit.gaussian {
            object["mean"] = gaussian.mean
            object["std"] = gaussian.standardDeviation
            object["rmsGaussian"] = fit.errors.rmsGaussian
        }
        if let lowerBound = fit.lowerBound {
            object["lowerBound"] = lowerBound
            object["iterations"] = fit.iterations
        }
        if let relative = fit.relativeError {
            // lowerBound then bounds the best relative error.
            object["relativeError"] = relative
            object["weight"] = "relative"
        }
        if let denominator = fit.denominator {
            object["denominator"] = denominator.coefficients
            object["denominatorDegree"] = denominator.degree
        }
        if let newtonSteps = fit.newtonSteps { object["newtonSteps"] = newtonSteps }
        if let conversion {
            object["coefficientGrowth"] = conversion.coefficientGrowth
            object["evaluationConditionNumber"] = conversion.evaluationConditionNumber
        }
        var overflowing = [String]()
        var safe = Self.replacingNonFinite(object, path: "", found: &overflowing) as? [String: Any] ?? [:]
        if !overflowing.isEmpty {
            safe["notes"] = notes + ["null marks values that overflow Double: " + overflowing.joined(separator: ", ")]
        }
        let data = try JSONSerialization.data(withJSONObject: safe, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// `value` with every non-finite Double replaced by NSNull; the dotted paths of the
    /// replaced values are appended to `found`.
    static func replacingNonFinite(_ value: Any, path: String, found: inout [String]) -> Any {
        switch value {
        case let number as Double:
            if number.isFinite { return number }
            found.append(path)
            return NSNull()
        case let dictionary as [String: Any]:
            var result = [String: Any]()
            for (key, element) in dictionary.sorted(by: { $0.key < $1.key }) {
                result[key] = replacingNonFinite(element, path: path.isEmpty ? key : path + "." + key, found: &found)
            }
            return result
        case let array as [Any]:
            return array.enumerated().map { replacingNonFinite($1, path: "\(path)[\($0)]", found: &found) }
        default:
            return value
        }
    }

    /// f and p on the range (top) and the error f − p (bottom).
    func chart(_ function: Activation) -> LineChart {
        let xs = (0 ... 1200).map { a + (b - a) * Double($0) / 1200 }
        let f = xs.map(function.value)
        let p = xs.map { fit($0) }
        let (low, high) = (f.min() ?? 0, f.max() ?? 0)
        // Padding of at least 1e-6 of the values' magnitude keeps the axis many ulps wide.
        let pad = Swift.max(0.1 * (high - low), 1e-6 * Swift.max(1, Swift.abs(low), Swift.abs(high)))
        var chart = LineChart(title: "\(fit.activation): \(fit.method.rawValue), degree \(fit.degree) on [\(g(a)), \(g(b))]",
                              xLabel: "x")
        chart.panels.append(.init(yLabel: "value", series: [
            .init(name: fit.activation, x: xs, y: f, color: "#1f77b4"),
            .init(name: "approximation", x: xs, y: p, color: "#d62728", dashed: true),
        ], yRange: low - pad ... high + pad))
        let maxError = fit.errors.maxError
        chart.panels.append(.init(yLabel: "error f − p", series: [
            .init(name: "f − p", x: xs, y: zip(f, p).map { $0 - $1 }, color: "#9467bd"),
        ], referenceLines: [.init(y: maxError, label: "± max error \(e(maxError))"),
                            .init(y: -maxError, label: "± max error \(e(maxError))")]))
        return chart
    }

    /// A figure in scientific notation; "overflows" for +∞ (the only non-finite figure the
    /// library reports, see ``ApproximationErrorReport/OutsideError/overflows``).
    private func e(_ value: Double) -> String { value.isFinite ? String(format: "%.4e", value) : "overflows" }
    private func g(_ value: Double) -> String { String(format: "%g", value) }
}
