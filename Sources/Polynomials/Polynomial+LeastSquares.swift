// Continuous least squares on [a, b] with the uniform weight is the Legendre projection
//     c_k = (2k + 1)/2 · ∫_{-1}^{1} f(x(t))·P_k(t) dt,
// so no normal equations are formed. The integrals use composite Gauss–Legendre rules with
// panel edges at the breakpoints (kinks) of f; panels are halved until two successive rules agree
// to 1e-13 relative or to their rounding error, whichever is larger: the forward recurrence gives
// P_k(t) with an absolute error up to about k·ε (|t| ≤ 1), so c_k carries
// (2k + 1)/2 · k·ε · Σ_i w_i·|f(x(t_i))| of rounding, which two rules on different nodes do not
// share (at degree 1000 that exceeds 1e-13·max|c|, and the halving would run to its cap).

extension Polynomial {
    /// The polynomial of degree n minimizing ∫_a^b (f − p)² dx, in the Legendre basis on [a, b].
    ///
    /// - Parameters:
    ///   - f: the function approximated.
    ///   - n: the degree.
    ///   - interval: [a, b].
    ///   - breakpoints: points where f is not smooth; quadrature panels end there.
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
            var absoluteIntegral = 0.0   // Σ_i w_i·|f(x(t_i))|
            for segment in 0 ..< edges.count - 1 {
                let width = (edges[segment + 1] - edges[segment]) / Double(panelsPerSegment)
                for panel in 0 ..< panelsPerSegment {
                    let low = edges[segment] + Double(panel) * width
                    for i in rule.nodes.indices {
                        let t = low + width * (rule.nodes[i] + 1) / 2
                        let y = try finiteValue(f, (t - basis.offset) / basis.scale)
                        let weight = rule.weights[i] * width / 2 * y
                        absoluteIntegral += Swift.abs(weight)
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
                let agree = c.indices.allSatisfy { k in
                    let rounding = 4 * Double.ulpOfOne * Double(k + 1) * Double(2 * k + 1) / 2 * absoluteIntegral
                    return Swift.abs(previous[k] - c[k]) <= 1e-13 * Swift.max(size, .leastNormalMagnitude) + rounding
                }
                if agree {
                    return Polynomial(coefficients: c, basis: basis)
                }
            }
            previous = c
            panelsPerSegment *= 2
        }
        throw PolynomialError.unsupported("least-squares quadrature did not converge on \(interval); is f continuous?")
    }
}
