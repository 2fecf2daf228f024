import Datasets
import LinearAlgebra
import PolynomialConversion

/// The input distribution a model is converted under.
public enum DistributionChoice: String, Sendable, CaseIterable {
    /// N(0, I).
    case standard
    /// N(mean, covariance) of the training images (regularized where singular).
    case data
}

/// A trained Dense–activation–Dense block with its degree-1 and degree-2 polynomial
/// approximants: what every `polynet explain` analysis studies.
public struct StudiedModel: Sendable {
    /// The network.
    public let block: FeedforwardBlock
    /// The Gaussian the approximants are least-squares optimal under.
    public let distribution: GaussianDistribution
    /// The degree-1 approximant (its linear term is the average Jacobian).
    public let linear: PolynomialApproximant
    /// The degree-2 approximant.
    public let quadratic: PolynomialApproximant

    /// Converts `block` under `distribution` at degrees 1 and 2.
    public init(block: FeedforwardBlock, distribution: GaussianDistribution) throws {
        self.block = block
        self.distribution = distribution
        linear = try PolynomialApproximant(of: block, degree: 1, under: distribution)
        quadratic = try PolynomialApproximant(of: block, degree: 2, under: distribution)
    }

    /// The Gaussian for `choice`: N(0, I) or fitted to `training` images.
    public static func distribution(_ choice: DistributionChoice, dimension: Int,
                                    training: LabeledImages?) throws -> GaussianDistribution {
        switch choice {
        case .standard: return .standard(dimension)
        case .data:
            precondition(training != nil, "The data distribution needs training images")
            return try GaussianDistribution(fitting: training!.images)
        }
    }

    /// The network's outputs for a batch.
    public func network(_ inputs: Matrix<Double>) -> Matrix<Double> { block(inputs) }
}

/// R² of an approximation of a model's outputs on real data: 1 − Σ(f − p)² / Σ(f − f̄)², per
/// output and pooled over outputs (each output's variance weighted by its size).
public func empiricalRSquared(model: Matrix<Double>, approximation: Matrix<Double>) -> (perOutput: [Double], pooled: Double) {
    precondition(model.rows == approximation.rows && model.columns == approximation.columns,
                 "Model outputs \(model.rows)×\(model.columns) vs approximation \(approximation.rows)×\(approximation.columns)")
    let means = model.mean(over: .rows)
    var residual = [Double](repeating: 0, count: model.columns)
    var total = [Double](repeating: 0, count: model.columns)
    for i in 0 ..< model.rows {
        for o in 0 ..< model.columns {
            let (f, p) = (model[i, o], approximation[i, o])
            residual[o] += (f - p) * (f - p)
            total[o] += (f - means[o]) * (f - means[o])
        }
    }
    let perOutput = zip(residual, total).map { $1 > 0 ? 1 - $0 / $1 : .nan }
    let pooledTotal = total.reduce(0, +)
    return (perOutput, pooledTotal > 0 ? 1 - residual.reduce(0, +) / pooledTotal : .nan)
}
