import Foundation
import LinearAlgebra
import PolynomialConversion

/// How well polynomials of degree 1, 2, … explain a network at each checkpoint of a run: the
/// seed's "networks learn simple functions first, then more complex ones".
public enum ComplexityCurve {
    /// R² of the approximants of degree 1 … K at one training step.
    public struct Point: Sendable, Equatable {
        /// The optimizer step of the checkpoint.
        public var step: Int
        /// Empirical R² (pooled over outputs) on the given inputs; element k − 1 for degree k.
        public var onData: [Double]
        /// Exact R² under the Gaussian (pooled over outputs); element k − 1 for degree k.
        public var underGaussian: [Double]
    }

    private static let degreeNames = ["linear", "quadratic", "cubic", "quartic"]

    /// "linear", "quadratic", "cubic", "quartic", then "degree k": for tables and legends.
    public static func degreeName(_ degree: Int) -> String {
        degreeNames.indices.contains(degree - 1) ? degreeNames[degree - 1] : "degree \(degree)"
    }

    /// The point for one network: `block` converted under `distribution` at every degree
    /// 1 … `maxDegree`, with exact Gaussian R² (from the top degree's variance decomposition)
    /// and empirical R² on `inputs`.
    public static func point(step: Int, block: FeedforwardBlock, distribution: GaussianDistribution,
                             inputs: Matrix<Double>, maxDegree: Int = 2) throws -> Point {
        precondition(maxDegree >= 1, "A complexity curve needs degree ≥ 1, got \(maxDegree)")
        let outputs = block(inputs)
        let approximants = try (1 ... maxDegree).map { try PolynomialApproximant(of: block, degree: $0, under: distribution) }
        let variance = try approximants[maxDegree - 1].gaussianVariance()
        return Point(step: step,
                     onData: approximants.map { EmpiricalRSquared(model: outputs, approximation: $0(inputs)).pooled },
                     underGaussian: (1 ... maxDegree).map { variance.pooledRSquared(degree: $0) })
    }
}
