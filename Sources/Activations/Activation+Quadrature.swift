import Polynomials
import RealModule

/// A quadrature rule for E[g(Z)], Z ~ N(0, 1), as nodes and square roots of weights.
struct NormalQuadratureRule {
    var nodes: [Double]
    var squareRootWeights: [Double]
}

extension Activation {
    /// Relative agreement two successive rules must reach.
    static let projectionTolerance = 1e-12

    /// Normalized Hermite coefficients (basis He_j/√j!) by quadrature: Gauss–Hermite with doubling (smooth f), else
    /// composite Gauss–Legendre split at kinks with halving panels; see
    /// `Activation+HermiteCoefficients.swift`.
    func quadratureCoefficients(mean: Double, standardDeviation: Double, degree: Int) throws -> [Double] {
        var previous: [Double]?
        var lastChange = Double.infinity
        var lastNodes = 0
        if kinks.isEmpty {
            var count = 64
            while count < degree + 32 { count *= 2 }
            while count <= 512 {
                let rule = try GaussHermiteQuadrature.cached(nodeCount: count)
                let current = try normalizedCoefficients(
                    NormalQuadratureRule(nodes: rule.nodes, squareRootWeights: rule.squareRootWeights),
                    mean: mean, standardDeviation: standardDeviation, degree: degree)
                if let previous {
                    lastChange = Self.relativeChange(previous, current)
                    lastNodes = count
                    if lastChange <= Self.projectionTolerance { return current }
                }
                previous = current
                count *= 2
            }
        }
        // Composite Gauss–Legendre in z over [−L, L], split at the kinks.
        let legendre = try GaussLegendreQuadrature(nodeCount: 20)
        let halfWidth = 10 + 2 * Double(degree).squareRoot()
        let breaks = kinks.map { ($0 - mean) / standardDeviation }.filter { Swift.abs($0) < halfWidth }
        previous = nil
        var panelWidth = 1.0
        while panelWidth >= 1.0 / 128 {
            let rule = Self.compositeRule(legendre, halfWidth: halfWidth, breaks: breaks, panelWidth: panelWidth)
            let current = try normalizedCoefficients(rule, mean: mean, standardDeviation: standardDeviation,
                                                     degree: degree)
            if let previous {
                lastChange = Self.relativeChange(previous, current)
                lastNodes = rule.nodes.count
                if lastChange <= Self.projectionTolerance { return current }
            }
            previous = current
            panelWidth /= 2
        }
        throw ActivationError.quadratureNotConverged(activation: name, nodes: lastNodes, change: lastChange)
    }

    /// Normalized Hermite coefficients of a polynomial f of degree `polynomialDegree`, exact up
    /// to rounding: Gauss–Hermite with D + 1 nodes is exact for f(μ + σz)·h_j(z), of degree
    /// ≤ 2D ≤ 2(D + 1) − 1, for j ≤ D; above D, h_j is orthogonal to f and a_j = 0.
    func exactPolynomialCoefficients(mean: Double, standardDeviation: Double, degree: Int,
                                     polynomialDegree: Int) throws -> [Double] {
        let kept = Swift.min(degree, polynomialDegree)
        let rule = try GaussHermiteQuadrature.cached(nodeCount: polynomialDegree + 1)
        let exact = try normalizedCoefficients(NormalQuadratureRule(nodes: rule.nodes, squareRootWeights: rule.squareRootWeights),
                                               mean: mean, standardDeviation: standardDeviation, degree: kept)
        return exact + [Double](repeating: 0, count: degree - kept)
    }

    /// a_j = E[f(μ + σZ)·h_j(Z)] with h_j = He_j/√j! orthonormal, by `rule`.
    private func normalizedCoefficients(_ rule: NormalQuadratureRule, mean: Double, standardDeviation: Double,
                                        degree: Int) throws -> [Double] {
        var a = [Double](repeating: 0, count: degree + 1)
        for i in rule.nodes.indices {
            let root = rule.squareRootWeights[i]
            if root == 0 { continue }
            let z = rule.nodes[i]
            let fz = value(mean + standardDeviation * z)
            guard fz.isFinite else { throw ActivationError.nonFiniteValue(activation: name, at: mean + standardDeviation * z) }
            // g_j = √w·h_j(z) by h_{j+1} = (z·h_j − √j·h_{j−1})/√(j+1).
            var previous = 0.0, current = root
            let weighted = fz * root
            for j in 0 ... degree {
                a[j] += weighted * current
                let next = (z * current - Double(j).squareRoot() * previous) / Double(j + 1).squareRoot()
                previous = current
                current = next
            }
        }
        return a
    }

    /// max_j |a_j − b_j| relative to max(1e-300, max_j |b_j|).
    private static func relativeChange(_ a: [Double], _ b: [Double]) -> Double {
        let size = b.reduce(0) { Swift.max($0, Swift.abs($1)) }
        let change = zip(a, b).reduce(0) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
        return change / Swift.max(size, 1e-300)
    }

    /// Panels of width ≤ `panelWidth` covering [−L, L] with edges at `breaks`, each with the
    /// Gauss–Legendre rule; weights include the normal density.
    private static func compositeRule(_ legendre: GaussLegendreQuadrature, halfWidth: Double, breaks: [Double],
                                      panelWidth: Double) -> NormalQuadratureRule {
        let edges = [-halfWidth] + breaks.sorted() + [halfWidth]
        var rule = NormalQuadratureRule(nodes: [], squareRootWeights: [])
        for segment in 0 ..< edges.count - 1 {
            let (low, high) = (edges[segment], edges[segment + 1])
            let panels = Swift.max(1, Int(((high - low) / panelWidth).rounded(.up)))
            let width = (high - low) / Double(panels)
            for panel in 0 ..< panels {
                let middle = low + (Double(panel) + 0.5) * width
                for k in legendre.nodes.indices {
                    let z = middle + width / 2 * legendre.nodes[k]
                    rule.nodes.append(z)
                    rule.squareRootWeights.append((width / 2 * legendre.weights[k] * normalDensity(z)).squareRoot())
                }
            }
        }
        return rule
    }
}
