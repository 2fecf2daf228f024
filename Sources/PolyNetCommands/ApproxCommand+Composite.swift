import Activations
import ArgumentParser
import Foundation
import Polynomials

extension ApproxCommand {
    /// Option checks for `--method composite`, and the composite-only options elsewhere.
    func validateComposite() throws {
        guard method == .composite else {
            if let activation, CompositeApproximation.Kind(activation: activation) == .max {
                throw ValidationError("max(a, b) is a function of two inputs: approximate it with --method composite")
            }
            if degrees != nil, table == nil { throw ValidationError("--degrees applies to --table and --method composite") }
            for (flag, given) in [("--epsilon", epsilon != nil), ("--alpha", alpha != nil), ("--minimize", minimize != nil),
                                  ("--check", check != nil)] where given {
                throw ValidationError("\(flag) applies to --method composite")
            }
            return
        }
        guard let activation, table == nil else { throw ValidationError("--method composite approximates one activation; it does not apply to --table") }
        guard let kind = CompositeApproximation.Kind(activation: activation) else {
            throw ValidationError("--method composite approximates relu, abs, sign and max(a, b) (through sign(x/R)); got '\(activation)'")
        }
        for (flag, given) in [("--degree", degree != nil), ("--max-depth", maxDepth != nil), ("--basis", basis != nil),
                              ("--nodes", nodes != nil), ("--relative", relative), ("--mean", mean != nil), ("--std", std != nil),
                              ("--center", center != nil), ("--denominator-degree", denominatorDegree != nil), ("--plot", plot != nil)] where given {
            throw ValidationError("\(flag) does not apply to --method composite (its degrees come from the search)")
        }
        if let epsilon, !(epsilon > 0 && epsilon < 1) { throw ValidationError("--epsilon must be in (0, 1), got \(epsilon)") }
        if let alpha, !(alpha > 0 && alpha <= 40) { throw ValidationError("--alpha must be in (0, 40], got \(alpha)") }
        if let check, !(2 ... 1_000_000_000).contains(check) { throw ValidationError("--check must be in 2...1000000000, got \(check)") }
        if let degrees {
            _ = try Self.compositeDegrees(degrees)
            guard epsilon != nil, alpha == nil, maxError == nil, minimize == nil else {
                throw ValidationError("--degrees fixes the stages: give --epsilon, and no --alpha, --max-error or --minimize")
            }
            return try validateSymmetricRange()
        }
        switch (maxError != nil, epsilon != nil, alpha != nil) {
        case (true, false, false):
            if kind == .sign { throw ValidationError("sign jumps at 0, so --max-error cannot choose the band: give --epsilon and --alpha") }
        case (false, true, true): break
        case (true, _, _): throw ValidationError("--max-error chooses epsilon and alpha: drop --epsilon/--alpha or --max-error")
        default: throw ValidationError("--method composite needs --max-error, or both --epsilon and --alpha")
        }
        try validateSymmetricRange()
    }

    private func validateSymmetricRange() throws {
        if let range {
            let interval = try Self.parseRange(range)
            guard interval.lowerBound == -interval.upperBound else {
                throw ValidationError("--method composite needs a range symmetric about 0 (-R...R), got \(range)")
            }
        }
    }

    /// Parses --degrees for a composite: comma-separated odd integers in 3...63.
    static func compositeDegrees(_ text: String) throws -> [Int] {
        let values = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0.map { $0 % 2 == 1 && (3 ... 63).contains($0) } == true }) else {
            throw ValidationError("--degrees for --method composite must be odd integers in 3...63 separated by commas, got '\(text)'")
        }
        return values.compactMap { $0 }
    }

    /// Builds, reports and optionally samples the composite.
    func runComposite(_ activation: String) throws { print(try compositeReport(activation)) }

    /// The composite's report in the output format.
    func compositeReport(_ activation: String) throws -> String {
        guard let kind = CompositeApproximation.Kind(activation: activation) else {
            throw ValidationError("--method composite approximates relu, abs, sign and max(a, b); got '\(activation)'")
        }
        let radius = try range.map { try Self.parseRange($0).upperBound } ?? (kind == .sign ? 1 : 6)
        let objective = minimize ?? .depth
        let composite: CompositeApproximation
        do {
            if let degrees {
                composite = try CompositeApproximation(kind: kind, radius: radius,
                                                       sign: try CompositeSignApproximation(epsilon: epsilon ?? 0, degrees: try Self.compositeDegrees(degrees)))
            } else if let maxError {
                composite = try CompositeApproximation(meeting: maxError, kind: kind, radius: radius, minimizing: objective)
            } else {
                composite = try CompositeApproximation(kind: kind, radius: radius, epsilon: epsilon ?? 0, alpha: alpha ?? 0,
                                                       minimizing: objective)
            }
        } catch let error as CompositeSignError {
            switch error {
            case .invalidEpsilon: throw ValidationError("--epsilon: \(error)")
            case .invalidAlpha: throw ValidationError("--alpha: \(error)")
            default: throw error
            }
        } catch let error as CompositeApproximationError {
            switch error {
            case .invalidTarget, .targetTooSmall, .targetTooLarge: throw ValidationError("--max-error: \(error)")
            case .invalidRadius: throw ValidationError("--range: \(error)")
            default: throw error
            }
        }
        let output = {
            CompositeOutput(composite: composite, objective: degrees == nil ? objective : nil, comparison: try composite.equalDepthPolynomial(),
                            sampled: check.map { (count: $0, errors: composite.sampledErrors(count: $0)) })
        }
        switch outputFormat {
        case .text: return try output().text()
        case .json: return try output().json()
        case .openfhe, .lattigo, .numpy, .c:
            guard let snippet = ChebyshevSeriesExport.Format(rawValue: outputFormat.rawValue) else {
                preconditionFailure("--format \(outputFormat.rawValue) has no export")
            }
            return CompositeExport(composite).text(snippet)
        }
    }
}

/// A composite approximation rendered for `polynet approx --method composite`.
struct CompositeOutput {
    let composite: CompositeApproximation
    /// What the degree search minimized; nil for --degrees.
    let objective: CompositeSignApproximation.Objective?
    let comparison: EqualDepthPolynomial
    let sampled: (count: Int, errors: (outside: Double, band: Double?))?

    private var formula: String {
        switch composite.kind {
        case .relu: return "x·(1 + P(x/R))/2"
        case .abs: return "x·P(x/R)"
        case .sign: return "P(x/R)"
        case .max: return "b + d·(1 + P(d/2R))/2, d = a − b,"
        }
    }

    /// The band's variable as the report writes it: |x|, or |a − b| for max.
    private var bandVariable: String { composite.kind == .max ? "|a − b|" : "|x|" }

    func text() -> String {
        let c = composite, sign = c.sign
        var lines = [String]()
        let range = "[\(g(-c.radius)), \(g(c.radius))]"
        lines.append("\(c.kind == .max ? "max(a, b)" : c.kind.rawValue) ≈ \(formula) \(c.kind == .max ? "for a, b in \(range)" : "on \(range)"), P = p_k∘…∘p_1 ≈ sign on [-1, -ε] ∪ [ε, 1] (composite minimax, \(objective.map { "degrees minimizing \($0.rawValue)" } ?? "degrees given"))")
        lines.append("  ε = \(e(sign.epsilon)) (band \(bandVariable) < \(c.kind == .max ? "2εR" : "εR") = \(e(c.band))), α = \(g(c.alpha)): |P − sign| ≤ 2^-α = \(e(Double.exp2(-c.alpha))) for |y| ≥ ε")
        for (i, stage) in sign.stages.enumerated() {
            lines.append("  stage \(i + 1): degree \(stage.degree) on [-1, -\(e(stage.input.lowerBound))] ∪ [\(e(stage.input.lowerBound)), 1], error \(e(stage.error)) (best ≥ \(e(stage.lowerBound))), depth \(stage.cost.depth), \(stage.cost.nonScalarMultiplications) non-scalar mults")
        }
        lines.append("  certified |P − sign| ≤ \(e(sign.errorBound)) for ε ≤ |y| ≤ 1; |P| ≤ \(String(format: "%.9f", sign.outputBound)) on [-1, 1]")
        if let band = c.bandError {
            lines.append("  certified max error: \(e(c.outsideBandError)) for \(bandVariable) ≥ \(e(c.band)), \(e(band)) inside the band; max \(e(c.maxError))")
        } else {
            lines.append("  certified max error: \(e(c.outsideBandError)) for |x| ≥ \(e(c.band)) (sign jumps inside the band)")
        }
        let map = c.kind == .max ? "1 for d/2R" : "1 for x/R", product = c.kind == .max ? "1 for d·P" : "1 for x·P"
        let parts = [c.inputRadius == 1 ? nil : map, "\(sign.depth) for the stages", c.kind == .sign ? nil : product].compactMap { $0 }
        lines.append("  evaluation cost (homomorphic, odd baby-step giant-step per stage): depth \(c.depth) (\(parts.joined(separator: " + "))), \(c.multiplications) non-scalar mults")
        let capped = comparison.uncappedDegree > comparison.degree
            ? " (depth \(c.depth) would allow degree \(comparison.uncappedDegree)\(comparison.uncappedDegree >= Polynomial.maximumFitDegree ? " or more" : ""); minimax stops at \(Polynomial.maximumMinimaxDegree))" : ""
        let comparisonDomain = c.kind == .sign ? " for |x| ≥ εR" : (c.kind == .max ? " (ReLU of a − b on [\(g(-c.inputRadius)), \(g(c.inputRadius))])" : "")
        lines.append("  single polynomial of the same depth: minimax degree \(comparison.degree)\(capped), depth \(comparison.depth), max error \(e(comparison.maxError)) (best ∈ [\(e(comparison.lowerBound)), \(e(comparison.maxError))])\(comparisonDomain)")
        if let sampled {
            var line = "  sampled at \(sampled.count) \(c.kind == .max ? "pairs (a, b)" : "points"): max error \(e(sampled.errors.outside)) for \(bandVariable) ≥ \(e(c.band)) (certified \(e(c.outsideBandError)))"
            if let band = sampled.errors.band, let bound = c.bandError { line += ", \(e(band)) inside the band (certified \(e(bound)))" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    func json() throws -> String {
        let c = composite
        var object: [String: Any] = [
            "activation": c.kind.rawValue, "method": "composite", "objective": objective?.rawValue ?? "given degrees",
            "interval": [-c.radius, c.radius], "inputRadius": c.inputRadius, "epsilon": c.sign.epsilon, "alpha": c.alpha, "band": c.band,
            "signErrorBound": c.sign.errorBound, "signOutputBound": c.sign.outputBound,
            "outsideBandError": c.outsideBandError, "maxError": c.maxError,
            "depth": c.depth, "nonScalarMultiplications": c.multiplications,
            "stages": c.sign.stages.map { stage in
                ["degree": stage.degree, "input": [stage.input.lowerBound, 1.0], "error": stage.error,
                 "lowerBound": stage.lowerBound, "depth": stage.cost.depth,
                 "nonScalarMultiplications": stage.cost.nonScalarMultiplications,
                 "basis": "chebyshev", "basisInterval": [-1.0, 1.0], "coefficients": stage.polynomial.coefficients] as [String: Any]
            },
            "equalDepthPolynomial": ["degree": comparison.degree, "depth": comparison.depth, "uncappedDegree": comparison.uncappedDegree,
                                     "maxError": comparison.maxError, "lowerBound": comparison.lowerBound],
        ]
        if let band = c.bandError { object["bandError"] = band }
        if let sampled {
            var entry: [String: Any] = ["count": sampled.count, "outsideBand": sampled.errors.outside]
            if let band = sampled.errors.band { entry["band"] = band }
            object["sampled"] = entry
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    private func e(_ value: Double) -> String { String(format: "%.4e", value) }
    private func g(_ value: Double) -> String { String(format: "%g", value) }
}
