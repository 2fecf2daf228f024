import RealModule
import Synchronization

/// Gauss–Hermite quadrature for expectations under the standard normal distribution:
/// E[g(Z)] ≈ Σᵢ wᵢ·g(xᵢ), Z ~ N(0, 1), exact when g is a polynomial of degree ≤ 2n − 1.
///
/// Nodes are the zeros of the probabilists' Hermite polynomial He_n (Golub–Welsch eigenvalues
/// polished by Newton); weights are Christoffel numbers computed in the log domain, so they keep
/// full relative accuracy even where they are below 1e-300 (hundreds of nodes).
///
/// ```swift
/// let rule = try GaussHermiteQuadrature(nodeCount: 64)
/// let secondMoment = rule.expectation { $0 * $0 }   // 1
/// ```
/// - Complexity: O(n³) to build (one symmetric eigendecomposition); use
///   ``cached(nodeCount:)`` to build each size once per process.
public struct GaussHermiteQuadrature: Sendable {
    /// The nodes xᵢ, ascending.
    public let nodes: [Double]
    /// The weights wᵢ (summing to 1); the outermost underflow to 0 beyond about 37 standard deviations.
    public let weights: [Double]
    /// √wᵢ, representable down to 1e-300: multiply a polynomial recurrence started at √wᵢ by
    /// g(xᵢ)·√wᵢ to keep products of tiny weights and huge polynomial values accurate.
    public let squareRootWeights: [Double]

    /// The largest supported rule (√w of its outermost node is near the underflow limit).
    public static let maximumNodeCount = 1024

    /// Builds the n-point rule.
    /// - Precondition: 1 ≤ `nodeCount` ≤ ``maximumNodeCount``.
    /// - Throws: `LinearAlgebraError.notConverged` if the eigensolver fails.
    public init(nodeCount: Int) throws {
        precondition((1 ... Self.maximumNodeCount).contains(nodeCount),
                     "Gauss–Hermite rule with \(nodeCount) nodes; supported: 1...\(Self.maximumNodeCount)")
        // Orthonormal He_k/√k!: x·p_k = √(k+1)·p_{k+1} + √k·p_{k−1}.
        let recurrence = OrthonormalRecurrence(diagonal: { _ in 0 }, offDiagonal: { Double.sqrt(Double($0)) },
                                               totalMass: 1)
        let (nodes, logWeights) = try recurrence.gaussRule(count: nodeCount)
        self.nodes = nodes
        self.weights = logWeights.map { Double.exp($0) }
        self.squareRootWeights = logWeights.map { Double.exp($0 / 2) }
    }

    /// E[g(Z)] by this rule.
    public func expectation(_ g: (Double) -> Double) -> Double {
        var sum = 0.0
        for i in nodes.indices where weights[i] > 0 { sum += weights[i] * g(nodes[i]) }
        return sum
    }

    private static let cache = Mutex<[Int: GaussHermiteQuadrature]>([:])

    /// The n-point rule, built once per process and shared (thread-safe).
    public static func cached(nodeCount: Int) throws -> GaussHermiteQuadrature {
        if let rule = cache.withLock({ $0[nodeCount] }) { return rule }
        let rule = try GaussHermiteQuadrature(nodeCount: nodeCount)
        cache.withLock { $0[nodeCount] = rule }
        return rule
    }
}
