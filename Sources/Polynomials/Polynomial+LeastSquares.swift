// Continuous least squares on [a, b] with the uniform weight is the Legendre projection
//     c_k = (2k + 1)/2 · ∫_{-1}^{1} f(x(t))·P_k(t) dt,
// so no normal equations are formed. The integrals use composite Gauss–Legendre rules with
// panel edges at the breakpoints (kinks) of f; panels are halved until two successive rules agree.

extension Polynomial {
    /// The polynomial of degree n minimizing ∫_a^b (f − p)² dx, in the Legendre basis on [a, b].
    ///
    /// - Parameter breakpoints: points where f is not smooth; quadrature panels end there.
    /// - Throws: ``PolynomialError`` for a bad degree or interval, non-finite f, or quadrature
    ///   that does not settle to 1e-13 relative.
    /// - Complexity: O(panels·n²) arithmetic.
    public static func leastSquares(of f: (Double) -> Double, degree n: Int, on interval: ClosedRange<Double>,
                                    breakpoints: [Double] = []) throws -> Polynomial {
        try validate(degree: n, maximum: maximumFitDegree, interval: interval)
        let basis = Basis.legendre(on: interval)
        let rule = try GaussLegendreQuadrature(nodeCount: n / 2 + 24)
        let cuts = breakpoints.map(basis.standardized).filter { $0 > -1 && $0 < 1 }.sorted()
        let edges = [-1.0] + cuts + [1.0]
        var previous: [Double]?
        var panelsPerSegment = 2
        while panelsPerSegment <= 1024 {
            var c = [Double](repeating: 0, count: n + 1)
            for segment in 0 ..< edges.count - 1 {
                let width = (edges[segment + 1] - edges[segment]) / Double(panelsPerSegment)
                for panel in 0 ..< panelsPerSegment {
                    let low = edges[segment] + Double(panel) * width
                    for i in rule.nodes.indices {
                        let t = low + width * (rule.nodes[i] + 1) / 2
                        let y = try finiteValue(f, (t - basis.offset) / basis.scale)
                        let weight = rule.weights[i] * width / 2 * y
                        var (p0, p1) = (0.0, 1.0)
                        for k in 0 ... n {
                            c[k] += weight * p1
                            let next = (Double(2 * k + 1) * t * p1 - Double(k) * p0) / Double(k + 1)
                            (p0, p1) = (p1, next)
                        }
                    }
                }
            }
            for k in c.indices { c[k] *= Double(2 * k + 1) / 2 }
            if let previous {
                let size = c.reduce(0) { Swift.max($0, Swift.abs($1)) }
                let change = zip(previous, c).reduce(0) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
                if change <= 1e-13 * Swift.max(size, .leastNormalMagnitude) {
                    return Polynomial(coefficients: c, basis: basis)
                }
            }
            previous = c
            panelsPerSegment *= 2
        }
        throw PolynomialError.unsupported("least-squares quadrature did not converge on \(interval); is f continuous?")
    }
}
