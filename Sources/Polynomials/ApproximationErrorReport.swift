import RealModule

/// How well an approximation p matches f: on the interval, under a Gaussian, and just outside.
public struct ApproximationErrorReport: Sendable {
    /// The error just outside the interval, at center ± factor·half-width.
    public struct OutsideError: Sendable {
        /// 1.1, 1.5 or 2.
        public var factor: Double
        /// max(|f − p|) at the two points center ± factor·half-width; +∞ when p (or f)
        /// overflows Double there, which polynomials of high degree do (see ``overflows``).
        public var error: Double
        /// Whether ``error`` exceeds the largest Double (reported as "overflows", never as a number).
        public var overflows: Bool { !error.isFinite && !isUndefined }
        /// Whether f itself is not finite at both points (outside its domain, e.g. √x left of
        /// 0); ``error`` is then +∞ and means nothing. When only one side is undefined, ``error``
        /// is the other side's.
        public var isUndefined = false
    }

    /// max |f − p| on the interval (dense sampling refined by golden-section search).
    public var maxError: Double
    /// Where ``maxError`` occurs.
    public var maxErrorLocation: Double
    /// √((1/(b − a))·∫_a^b (f − p)² dx).
    public var rmsUniform: Double
    /// √E[(f − p)²(X)], X ~ N(μ, σ²), when a Gaussian was given (includes the tails beyond the
    /// interval, where polynomials blow up); +∞ when those tails overflow Double.
    public var rmsGaussian: Double?
    /// Errors at 1.1×, 1.5× and 2× the half-width from the center.
    public var outside: [OutsideError]

    /// Measures p against f.
    ///
    /// The RMS integrals run on (f − p)/s with s = ``maxError``, so squares neither overflow
    /// nor underflow for functions of any magnitude.
    ///
    /// - Parameters:
    ///   - p: the approximation.
    ///   - f: the function approximated.
    ///   - interval: [a, b], where the max and RMS errors are measured.
    ///   - breakpoints: kinks of f; sampled exactly and used as quadrature panel edges.
    ///   - gaussian: (μ, σ) for the Gaussian RMS error; μ ± 10σ must be finite.
    /// - Throws: ``PolynomialError`` for an interval that ``Polynomial/validateInterval(_:)``
    ///   refuses, a bad Gaussian, f − p not finite on the interval
    ///   (``PolynomialError/nonFiniteResult(quantity:)``), or a refinement that hits its cap.
    /// - Complexity: about 10⁴ evaluations of f and p.
    public init(of p: @escaping (Double) -> Double, against f: @escaping (Double) -> Double, on interval: ClosedRange<Double>,
                breakpoints: [Double] = [], gaussian: (mean: Double, standardDeviation: Double)? = nil) throws {
        try Polynomial.validateInterval(interval)
        if let (mu, sigma) = gaussian {
            guard mu.isFinite, sigma > 0, sigma.isFinite, (mu - 10 * sigma).isFinite, (mu + 10 * sigma).isFinite else {
                throw PolynomialError.invalidGaussian(mean: mu, standardDeviation: sigma)
            }
        }
        let (a, b) = (interval.lowerBound, interval.upperBound)
        let half = (b - a) / 2, center = a / 2 + b / 2
        let error: (Double) -> Double = { x in Swift.abs(f(x) - p(x)) }
        // Dense sampling: 4001 Chebyshev-spaced and 4001 uniform points plus the kinks.
        var grid = (0 ... 4000).map { center - half * Double.cos(Double.pi * Double($0) / 4000) }
        grid += (0 ... 4000).map { a + (b - a) * Double($0) / 4000 }
        grid += breakpoints.filter { interval.contains($0) }
        grid.sort()
        let values = try grid.map { x in
            let e = error(x)
            guard e.isFinite else { throw PolynomialError.nonFiniteResult(quantity: "f − p at x = \(x)") }
            return e
        }
        var best = (x: grid[0], e: values[0])
        // Refine the ten largest local maxima of the sampled error.
        let peaks = grid.indices.filter { i in
            (i == 0 || values[i] >= values[i - 1]) && (i == grid.count - 1 || values[i] >= values[i + 1])
        }.sorted { values[$0] > values[$1] }.prefix(10)
        for i in peaks {
            if values[i] > best.e { best = (grid[i], values[i]) }
            for j in [i - 1, i + 1] where j >= 0 && j < grid.count {
                var (low, high) = (Swift.min(grid[i], grid[j]), Swift.max(grid[i], grid[j]))
                for kink in breakpoints where kink > low && kink < high {
                    if grid[i] < kink { high = kink } else { low = kink }
                }
                let candidate = try goldenSectionMaximum(of: error, in: low, high, tolerance: 1e-13 * Swift.max(1, half))
                if candidate.value > best.e { best = (candidate.t, candidate.value) }
            }
        }
        guard best.e.isFinite else { throw PolynomialError.nonFiniteResult(quantity: "max |f − p| on [\(a), \(b)]") }
        maxError = best.e
        maxErrorLocation = best.x
        let scale = best.e > 0 ? best.e : 1
        let squared: (Double) -> Double = { x in let d = (f(x) - p(x)) / scale; return d * d }
        rmsUniform = scale * (try Self.integral(squared, over: interval, breakpoints: breakpoints) / (b - a)).squareRoot()
        guard rmsUniform.isFinite else { throw PolynomialError.nonFiniteResult(quantity: "the RMS error on [\(a), \(b)]") }
        if let gaussian {
            let (mu, sigma) = gaussian
            let weighted: (Double) -> Double = { z in
                squared(mu + sigma * z) * Double.exp(-z * z / 2) / (2 * Double.pi).squareRoot()
            }
            let cuts = breakpoints.map { ($0 - mu) / sigma }
            let rms = scale * (try Self.integral(weighted, over: -10 ... 10, breakpoints: cuts).squareRoot())
            // NaN here can only come from ∞ − ∞ inside an overflowing p in the tails.
            rmsGaussian = rms.isNaN ? .infinity : rms
        } else {
            rmsGaussian = nil
        }
        outside = [1.1, 1.5, 2].map { factor in
            // An overflowing p gives ±∞ or NaN (∞ − ∞ in Clenshaw): both mean "overflows".
            // A side where f itself is not finite is outside f's domain and is left out.
            let sides = [center - factor * half, center + factor * half].filter { f($0).isFinite }
            guard !sides.isEmpty else { return OutsideError(factor: factor, error: .infinity, isUndefined: true) }
            let errors = sides.map(error)
            return OutsideError(factor: factor, error: errors.allSatisfy(\.isFinite) ? errors.max() ?? 0 : .infinity)
        }
    }

    /// ∫ g over the interval by 20-point Gauss–Legendre on 128 panels per smooth piece.
    private static func integral(_ g: (Double) -> Double, over interval: ClosedRange<Double>,
                                 breakpoints: [Double]) throws -> Double {
        let rule = try GaussLegendreQuadrature(nodeCount: 20)
        let edges = [interval.lowerBound] + breakpoints.filter { $0 > interval.lowerBound && $0 < interval.upperBound }.sorted()
            + [interval.upperBound]
        var sum = 0.0
        for s in 0 ..< edges.count - 1 {
            let width = (edges[s + 1] - edges[s]) / 128
            for panel in 0 ..< 128 {
                let low = edges[s] + Double(panel) * width
                sum += rule.integral(of: g, over: low ... low + width)
            }
        }
        return sum
    }
}
