import LinearAlgebra

/// A multivariate normal distribution N(μ, Σ): the input distribution under which a block is
/// approximated.
///
/// The covariance may be singular (a degenerate Gaussian on an affine subspace): the
/// conversion only needs Σ through quadratic forms wᵀΣw′. It must be symmetric, finite and
/// positive semidefinite; `init(mean:covariance:)` checks all three.
///
/// ```swift
/// let standard = GaussianDistribution.standard(784)
/// let fitted = try GaussianDistribution(fitting: images)   // mean and covariance of data
/// print(fitted.regularization)                             // how much ridge was added, if any
/// ```
public struct GaussianDistribution: Sendable, Equatable {
    /// The mean μ (d entries).
    public let mean: [Double]
    /// The covariance Σ (d×d, symmetric positive semidefinite).
    public let covariance: Matrix<Double>
    /// The ridge λ added to the diagonal of an estimated covariance to make it positive
    /// definite, as a multiple of the mean diagonal (0 when none was needed).
    public let regularization: Double

    /// The relative asymmetry tolerated in Σ: |Σᵢⱼ − Σⱼᵢ| ≤ 1e-10·max|Σ| (rounding in files
    /// written with ~16 significant digits, after products of d ≤ 10⁴ terms, stays below it).
    public static let symmetryTolerance = 1e-10

    /// The dimension d.
    public var dimension: Int { mean.count }

    /// The standard normal N(0, I) in d dimensions.
    public static func standard(_ dimension: Int) -> GaussianDistribution {
        precondition(dimension > 0, "A standard normal needs a positive dimension, got \(dimension)")
        return GaussianDistribution(unchecked: [Double](repeating: 0, count: dimension),
                                    covariance: .identity(dimension), regularization: 0)
    }

    /// N(mean, covariance) after validation.
    ///
    /// - Throws: `DistributionError` when the sizes disagree, an entry is not finite, Σ is not
    ///   symmetric within `symmetryTolerance`, or Σ has an eigenvalue below
    ///   −1e-10·d·max|λ| (rounding of a PSD matrix stays above it).
    /// - Complexity: one Cholesky factorization, O(d³/3); an eigendecomposition only when
    ///   Σ is singular or indefinite.
    public init(mean: [Double], covariance: Matrix<Double>) throws {
        try self.init(mean: mean, covariance: covariance, regularization: 0)
    }

    init(mean: [Double], covariance: Matrix<Double>, regularization: Double) throws {
        guard !mean.isEmpty else { throw DistributionError.empty }
        guard covariance.rows == mean.count, covariance.columns == mean.count else {
            throw DistributionError.shapeMismatch(mean: mean.count, covarianceRows: covariance.rows,
                                                  covarianceColumns: covariance.columns)
        }
        guard mean.allSatisfy(\.isFinite) else { throw DistributionError.nonFinite("mean") }
        guard covariance.isFinite else { throw DistributionError.nonFinite("covariance") }
        try Self.checkSymmetric(covariance)
        if (try? covariance.choleskyFactor()) == nil {
            let values = try covariance.symmetricEigendecomposition().values
            let largest = values.map(abs).max() ?? 0
            if values[0] < -1e-10 * Double(mean.count) * largest {
                throw DistributionError.notPositiveSemidefinite(smallestEigenvalue: values[0],
                                                                largestEigenvalue: values.last ?? 0)
            }
        }
        self.init(unchecked: mean, covariance: covariance, regularization: regularization)
    }

    init(unchecked mean: [Double], covariance: Matrix<Double>, regularization: Double) {
        self.mean = mean
        self.covariance = covariance
        self.regularization = regularization
    }

    private static func checkSymmetric(_ covariance: Matrix<Double>) throws {
        let scale = covariance.elements.reduce(0) { Swift.max($0, abs($1)) }
        let tolerance = symmetryTolerance * scale
        for i in 0 ..< covariance.rows {
            for j in 0 ..< i where abs(covariance[i, j] - covariance[j, i]) > tolerance {
                throw DistributionError.notSymmetric(row: i, column: j, value: covariance[i, j],
                                                     transposed: covariance[j, i])
            }
        }
    }
}
