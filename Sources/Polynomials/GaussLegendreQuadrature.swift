import RealModule

/// Gauss–Legendre quadrature on [-1, 1]: ∫ g(x) dx ≈ Σᵢ wᵢ·g(xᵢ), exact for polynomials of
/// degree ≤ 2n − 1.
///
/// ```swift
/// let rule = try GaussLegendreQuadrature(nodeCount: 20)
/// let area = rule.integral(of: { $0 * $0 }, over: 0 ... 1)   // 1/3
/// ```
public struct GaussLegendreQuadrature: Sendable {
    /// The nodes xᵢ in (-1, 1), ascending.
    public let nodes: [Double]
    /// The weights wᵢ (summing to 2).
    public let weights: [Double]

    /// Builds the n-point rule (Golub–Welsch plus Newton polishing).
    /// - Throws: `LinearAlgebraError.notConverged` if the eigensolver fails.
    public init(nodeCount: Int) throws {
        precondition(nodeCount >= 1, "Gauss–Legendre rule with \(nodeCount) nodes")
        // Orthonormal Legendre: b_k = k/√(4k² − 1).
        let recurrence = OrthonormalRecurrence(
            diagonal: { _ in 0 },
            offDiagonal: { k in Double(k) / Double.sqrt(Double(4 * k * k - 1)) },
            totalMass: 2)
        let (nodes, logWeights) = try recurrence.gaussRule(count: nodeCount)
        self.nodes = nodes
        self.weights = logWeights.map { Double.exp($0) }
    }

    /// ∫ g over `interval` by this rule, mapped affinely.
    public func integral(of g: (Double) -> Double, over interval: ClosedRange<Double>) -> Double {
        let half = (interval.upperBound - interval.lowerBound) / 2
        let middle = (interval.upperBound + interval.lowerBound) / 2
        var sum = 0.0
        for i in nodes.indices { sum += weights[i] * g(middle + half * nodes[i]) }
        return half * sum
    }
}
