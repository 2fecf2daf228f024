import Activations
import ArgumentParser
import FileSystem
import Foundation
import Polynomials

/// `polynet approx`: fit a polynomial to an activation, report its error and evaluation cost.
struct ApproxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approx",
        abstract: "Approximate an activation by a polynomial: error on/under/outside the range and evaluation cost.",
        discussion: """
        Examples:
          polynet approx gelu --method minimax --degree 8 --range -6...6 --basis chebyshev --plot gelu.svg
          polynet approx relu --method gaussian --degree 4 --mean 0 --std 1
          polynet approx sigmoid --max-error 1e-3 --range -8...8
          polynet approx gelu --method rational-minimax --degree 8 --denominator-degree 8 --range -8...8
          polynet approx --table relu,gelu,tanh --degrees 3,7,15 --range -8...8
          polynet approx 'exp(x)' --range -8...0 --degree 15 --format openfhe
          polynet approx '1/sqrt(x)' --range 0.01...10 --degree 15 --format c
          polynet approx '1/sqrt(x)' --range 0.01...10 --degree 15 --relative
          polynet approx relu --method composite --range -100...100 --max-error 1e-2
          polynet approx max --method composite --range -4...4 --max-error 1e-2
          polynet approx sign --method composite --epsilon 0.0001220703125 --alpha 13 --minimize multiplications
        Activations: \(Activation.knownNames.joined(separator: ", ")) (leaky-relu:SLOPE for another slope).
        Expressions in x: + - * / ^, numbers (1e-3), pi, and \(FunctionExpression.Function.allCases.map(\.rawValue).joined(separator: ", ")).
        """)

    @Argument(help: "The activation to approximate: a name, or an expression in x such as 'x*sigmoid(1.702*x)'.")
    var activation: String?

    @Option(help: "minimax, chebyshev, least-squares, gaussian, hermite, taylor, pade, rational-minimax, or composite (relu, abs, sign, max(a, b) over wide ranges).")
    var method: ApproximationMethod?

    @Option(parsing: .unconditional, help: "Polynomial degree (numerator degree for pade and rational-minimax); default 8 unless --max-error/--max-depth pick it.")
    var degree: Int?

    @Option(parsing: .unconditional, help: "The interval LOW...HIGH, e.g. -6...6 (default -6...6; mean ± 3 std for gaussian).")
    var range: String?

    @Option(help: "Coefficient basis: chebyshev, monomial, legendre, hermite or hermite-normalized (default: the method's own).")
    var basis: Polynomial.Basis.Family?

    @Option(parsing: .unconditional, help: "Mean μ of the Gaussian N(μ, σ²) (gaussian method, Gaussian RMS error, hermite basis).")
    var mean: Double?

    @Option(parsing: .unconditional, help: "Standard deviation σ > 0 of the Gaussian.")
    var std: Double?

    @Option(parsing: .unconditional, help: "Expansion point for taylor and pade (default: the interval's center).")
    var center: Double?

    @Option(parsing: .unconditional, help: "Comma-separated nodes for hermite interpolation (degree = 2·count − 1).")
    var nodes: String?

    @Option(help: "Denominator degree for pade and rational-minimax (default 2).")
    var denominatorDegree: Int?

    @Option(help: "Pick the smallest degree whose max error on the range is at most this.")
    var maxError: Double?

    @Option(help: "Pick the largest degree whose Paterson–Stockmeyer depth (with the range map) fits this budget.")
    var maxDepth: Int?

    @Flag(help: "Print one JSON object instead of the table (the same as --format json).")
    var json = false

    @Option(help: "Output: text (default), json, openfhe, lattigo, numpy or c (the last four print Chebyshev coefficients as a code snippet in that library's convention).")
    var format: ApproxFormat?

    @Option(help: "Write an SVG chart of f, p and the error to this file.")
    var plot: String?

    @Flag(help: "minimax: minimize the relative error |f − p|/|f| (weighted Remez with w = 1/|f|; f must not vanish on the range).")
    var relative = false

    @Option(help: "composite: minimize depth (default) or multiplications first in the degree search.")
    var minimize: CompositeSignApproximation.Objective?

    @Option(parsing: .unconditional, help: "composite: the band ε in (0, 1): sign(x/R) is approximated for |x| ≥ εR (with --alpha, instead of --max-error).")
    var epsilon: Double?

    @Option(parsing: .unconditional, help: "composite: the sign error bound 2^-alpha, alpha in (0, 40].")
    var alpha: Double?

    @Option(help: "composite: sample N points of the range and print the largest errors beside the certified bounds (e.g. 10000000).")
    var check: Int?

    @Option(help: "Compare methods: comma-separated activations (with --degrees).")
    var table: String?

    @Option(help: "Comma-separated degrees for --table (default 3,7,15); with --method composite, the odd stage degrees in order (skips the search; needs --epsilon).")
    var degrees: String?

    /// Checks what needs no fit: option combinations, number formats, finite values. The
    /// library checks ranges and sizes (``ApproximationRequest/validate()``) and
    /// ``usage(_:)`` words its errors with the flags.
    func validate() throws {
        if let table {
            if activation != nil {
                throw ValidationError("give either an activation or --table, not both")
            }
            _ = try Self.parseNames(table)
            _ = try Self.parseDegrees(degrees ?? Self.defaultTableDegrees)
        } else if activation == nil {
            throw ValidationError("name an activation (e.g. polynet approx gelu) or use --table; known: \(Activation.knownNames.joined(separator: ", "))")
        }
        if let degree, degree < 0 { throw ValidationError("--degree must be at least 0, got \(degree)") }
        if let std, !(std > 0 && std.isFinite) { throw ValidationError("--std must be positive and finite, got \(std)") }
        if let mean, !mean.isFinite { throw ValidationError("--mean must be finite, got \(mean)") }
        if let center, !center.isFinite { throw ValidationError("--center must be finite, got \(center)") }
        if let maxError {
            guard maxError > 0 && maxError.isFinite else {
                throw ValidationError("--max-error must be positive and finite, got \(maxError)")
            }
            if degree != nil { throw ValidationError("--max-error picks the degree: drop --degree or --max-error") }
            if nodes != nil { throw ValidationError("--nodes fix the degree (2·count − 1): drop --nodes or --max-error") }
        }
        if let maxDepth {
            guard maxDepth >= 1 else { throw ValidationError("--max-depth must be at least 1, got \(maxDepth)") }
            if degree != nil { throw ValidationError("--max-depth picks the degree: drop --degree or --max-depth") }
            if nodes != nil { throw ValidationError("--nodes fix the degree (2·count − 1): drop --nodes or --max-depth") }
        }
        if let denominatorDegree, denominatorDegree < 0 {
            throw ValidationError("--denominator-degree must be at least 0, got \(denominatorDegree)")
        }
        if table != nil {
            for (flag, given) in [("--method", method != nil), ("--degree", degree != nil), ("--max-error", maxError != nil),
                                  ("--max-depth", maxDepth != nil), ("--plot", plot != nil), ("--basis", basis != nil)] where given {
                throw ValidationError("\(flag) does not apply to --table (it compares taylor, chebyshev, least-squares and minimax at --degrees)")
            }
        }
        if let range { _ = try Self.parseRange(range) }
        try validateComposite()
        if relative {
            if let method, method != .minimax {
                throw ValidationError("--relative fits the relative error by minimax (the weighted Remez); drop --relative or use --method minimax")
            }
            if table != nil { throw ValidationError("--relative does not apply to --table") }
        }
        if json, let format, format != .json {
            throw ValidationError("--json is --format json: drop --json or --format \(format.rawValue)")
        }
        if let format, format.isSnippet {
            if table != nil { throw ValidationError("--format \(format.rawValue) exports one fit; it does not apply to --table") }
            if let basis, basis != .chebyshev {
                throw ValidationError("--format \(format.rawValue) writes Chebyshev coefficients on the range; drop --basis \(basis.rawValue)")
            }
            if let method, method.hasDenominator {
                throw ValidationError("--format \(format.rawValue) exports one polynomial; \(method.rawValue) gives a quotient p/q: use a polynomial method")
            }
        }
    }

    /// The output format: --format, or json for --json.
    var outputFormat: ApproxFormat { format ?? (json ? .json : .text) }

    func run() throws {
        if let table {
            try printTable(activations: try Self.parseNames(table), degrees: try Self.parseDegrees(degrees ?? Self.defaultTableDegrees))
            return
        }
        guard let activation else { throw ValidationError("name an activation (e.g. polynet approx gelu) or use --table") }
        if method == .composite {
            try runComposite(activation)
            return
        }
        let request = try makeRequest()
        do { try request.validate() } catch { throw usage(error) }
        let function = try Activation.named(orExpression: activation, kinksOn: request.interval)
        let fit = try fitChoosingDegree(function, request)
        let output = try ApproxOutput(fit: fit, basis: basis)
        let report: String
        switch outputFormat {
        case .text: report = output.text()
        case .json: report = try output.json()
        case .openfhe, .lattigo, .numpy, .c:
            guard let snippet = ChebyshevSeriesExport.Format(rawValue: outputFormat.rawValue) else {
                preconditionFailure("--format \(outputFormat.rawValue) has no export")
            }
            report = try ChebyshevSeriesExport(fit).text(snippet)
        }
        // The chart is written before anything is printed, so a failed write leaves no report.
        if let plot {
            try RegularFile.write(output.chart(function).svg(), to: plot)
        }
        print(report)
        if let plot, outputFormat == .text { print("wrote \(plot)") }
    }

    /// The method, interval, Gaussian and options from the flags (degree resolved later).
    func makeRequest() throws -> ApproximationRequest {
        let method = self.method ?? .minimax
        let gaussian: (mean: Double, standardDeviation: Double)?
        if method == .gaussian || mean != nil || std != nil {
            gaussian = (mean ?? 0, std ?? 1)
        } else {
            gaussian = nil
        }
        let interval: ClosedRange<Double>
        if let range {
            interval = try Self.parseRange(range)
        } else {
            do { interval = try ApproximationRequest.defaultInterval(for: method, gaussian: gaussian) } catch {
                throw ValidationError("--mean ± 3·--std: \(error); give --range or smaller values")
            }
        }
        let nodeList = try nodes.map { try Self.parseList($0, name: "--nodes") }
        var degree = self.degree ?? 8
        if let nodeList, self.degree == nil { degree = 2 * nodeList.count - 1 }
        var request = ApproximationRequest(method: method, degree: degree, interval: interval, gaussian: gaussian,
                                           center: center, nodes: nodeList, denominatorDegree: denominatorDegree ?? 2)
        request.relativeError = relative
        return request
    }


    /// Applies --max-depth and --max-error to choose the degree, then fits.
    func fitChoosingDegree(_ function: Activation, _ request: ApproximationRequest) throws -> ActivationApproximation {
        var request = request
        var limit = request.method.maximumDegree
        if let maxDepth {
            do { limit = try request.largestDegree(forDepth: maxDepth) } catch { throw usage(error) }
            request.degree = limit
        }
        guard let maxError else { return try function.approximation(request) }
        do { return try function.approximation(request, meeting: maxError, upToDegree: limit) } catch { throw usage(error) }
    }

    /// A library error about the request, worded with the flag that caused it (exit code 64);
    /// other errors pass through unchanged.
    func usage(_ error: any Error) -> any Error {
        switch error {
        case let error as PolynomialError:
            switch error {
            case let .invalidDegree(degree, maximum):
                if self.degree == nil, let nodes {
                    return ValidationError("--nodes \(nodes) give degree \(degree) (2·count − 1); \((method ?? .minimax).rawValue) accepts 0...\(maximum)")
                }
                return ValidationError("--degree must be in 0...\(maximum) for \((method ?? .minimax).rawValue), got \(degree)")
            case .invalidInterval, .intervalTooWide, .intervalNotResolvable:
                // Without --range the gaussian method's range is mean ± 3·std.
                let source = range != nil || method != .gaussian ? "--range" : "the range --mean ± 3·--std"
                return ValidationError("\(source): \(error)")
            case .invalidGaussian:
                return ValidationError("--mean/--std: \(error)")
            default: return error
            }
        case let error as ActivationError:
            switch error {
            case .invalidDenominatorDegree: return ValidationError("--denominator-degree: \(error)")
            case .invalidCenter: return ValidationError("--center: \(error)")
            case .invalidMean, .invalidStandardDeviation: return ValidationError("--mean/--std: \(error)")
            case .depthBudgetNeedsPolynomial, .noDegreeFitsDepth: return ValidationError("--max-depth: \(error)")
            case .relativeErrorNeedsMinimax: return ValidationError("--relative: \(error)")
            case .boundBelowResolution: return ValidationError("--max-error \(error)")
            case .invalidErrorBound: return ValidationError("--max-error: \(error)")
            default: return error
            }
        default:
            return error
        }
    }

    /// Parses LOW...HIGH (negative bounds as written, e.g. -6...6 or -8...-2).
    static func parseRange(_ text: String) throws -> ClosedRange<Double> {
        let parts = text.components(separatedBy: "...")
        guard parts.count == 2, let low = Double(parts[0].trimmingCharacters(in: .whitespaces)),
              let high = Double(parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("--range must look like LOW...HIGH, e.g. -6...6; got '\(text)'")
        }
        guard low.isFinite, high.isFinite else { throw ValidationError("--range bounds must be finite numbers, got '\(text)'") }
        guard low < high else {
            throw ValidationError("--range \(text) is \(low == high ? "empty" : "reversed"); write LOW...HIGH with LOW < HIGH")
        }
        return low ... high
    }

    /// Parses --table's comma-separated activations (at least one, none empty); commas inside
    /// parentheses belong to an expression (`min(x, 0),gelu` is two entries).
    static func parseNames(_ text: String) throws -> [String] {
        var names = [String](), current = "", depth = 0
        for character in text {
            if character == "," && depth == 0 {
                names.append(current)
                current = ""
                continue
            }
            if character == "(" { depth += 1 } else if character == ")" { depth = Swift.max(depth - 1, 0) }
            current.append(character)
        }
        names.append(current)
        names = names.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else {
            throw ValidationError("--table must list activations separated by commas, e.g. relu,gelu; got '\(text)'")
        }
        return names
    }

    /// The degrees --table compares unless --degrees says otherwise.
    static let defaultTableDegrees = "3,7,15"

    /// Parses --degrees: comma-separated integers in 0...200 (the minimax limit; the table fits minimax).
    static func parseDegrees(_ text: String) throws -> [Int] {
        let limit = ApproximationMethod.minimax.maximumDegree
        let fields = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let degrees = fields.map { Int($0) }
        guard !fields.isEmpty, degrees.allSatisfy({ $0.map { (0 ... limit).contains($0) } == true }) else {
            throw ValidationError("--degrees must be comma-separated integers in 0...\(limit), got '\(text)'")
        }
        return degrees.compactMap { $0 }
    }

    /// Parses a comma-separated list of finite numbers.
    static func parseList(_ text: String, name: String) throws -> [Double] {
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0?.isFinite == true }) else {
            throw ValidationError("\(name) must be comma-separated finite numbers, got '\(text)'")
        }
        return values.compactMap { $0 }
    }
}

/// What `polynet approx` prints.
enum ApproxFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json, openfhe, lattigo, numpy, c

    /// Whether the format is a code snippet (``ChebyshevSeriesExport``) rather than a report.
    var isSnippet: Bool { self != .text && self != .json }
}

extension ApproximationMethod: ExpressibleByArgument {}
extension CompositeSignApproximation.Objective: ExpressibleByArgument {}
extension Polynomial.Basis.Family: ExpressibleByArgument {}
