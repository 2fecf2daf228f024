import LinearAlgebra

/// A mixture Σₖ πₖ·N(μₖ, Σₖ), e.g. one Gaussian per class weighted by class frequency.
public struct GaussianMixture: Sendable {
    /// The components N(μₖ, Σₖ).
    public let components: [GaussianDistribution]
    /// The weights πₖ (non-negative, summing to 1).
    public let weights: [Double]

    /// A mixture after checking that the weights are a probability vector (within 1e-9) and
    /// the components share a dimension.
    public init(components: [GaussianDistribution], weights: [Double]) throws {
        guard !components.isEmpty, components.count == weights.count,
              weights.allSatisfy({ $0 >= 0 && $0.isFinite }), abs(weights.reduce(0, +) - 1) <= 1e-9 else {
            throw DistributionError.badWeights(weights)
        }
        let dimension = components[0].dimension
        if let other = components.first(where: { $0.dimension != dimension }) {
            throw DistributionError.shapeMismatch(mean: dimension, covarianceRows: other.dimension, covarianceColumns: other.dimension)
        }
        self.components = components
        self.weights = weights
    }

    /// One Gaussian per class (fitted as in `GaussianDistribution(fitting:)`, each regularized
    /// if singular), weighted by class frequency; classes with fewer than 2 samples are dropped.
    public init<Scalar: BLASScalar>(fittingClassesOf data: Matrix<Scalar>, labels: [Int],
                                    minimumRegularization: Double = 1e-8) throws {
        precondition(labels.count == data.rows, "\(labels.count) labels for \(data.rows) rows")
        let classes = Dictionary(grouping: labels.indices, by: { labels[$0] }).filter { $0.value.count >= 2 }
        let ordered = classes.keys.sorted()
        guard !ordered.isEmpty else { throw DistributionError.tooFewSamples(data.rows, needed: 2) }
        let kept = ordered.reduce(0) { $0 + classes[$1]!.count }
        try self.init(components: try ordered.map { label in
            try GaussianDistribution(fitting: data.rows(at: classes[label]!), minimumRegularization: minimumRegularization)
        }, weights: ordered.map { Double(classes[$0]!.count) / Double(kept) })
    }

    /// The dimension d.
    public var dimension: Int { components[0].dimension }

    /// The mixture's mean Σₖ πₖμₖ.
    public var mean: [Double] {
        (0 ..< dimension).map { i in zip(weights, components).reduce(0) { $0 + $1.0 * $1.1.mean[i] } }
    }

    /// The mixture's covariance Σₖ πₖ(Σₖ + μₖμₖᵀ) − μ̄μ̄ᵀ.
    public var covariance: Matrix<Double> {
        let center = mean
        var result = Matrix<Double>(rows: dimension, columns: dimension)
        for (weight, component) in zip(weights, components) {
            result.add(component.covariance, scaledBy: weight)
            let shift = Matrix(rows: dimension, columns: 1, elements: zip(component.mean, center).map { $0 - $1 })
            result.setProduct(shift, shift, transposingB: true, alpha: weight, beta: 1)
        }
        return result
    }
}
