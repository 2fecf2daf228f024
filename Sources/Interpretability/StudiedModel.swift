import LinearAlgebra
import PolynomialConversion

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

    /// The network's outputs for a batch.
    public func network(_ inputs: Matrix<Double>) -> Matrix<Double> { block(inputs) }
}
