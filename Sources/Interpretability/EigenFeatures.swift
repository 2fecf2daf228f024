import LinearAlgebra
import PolynomialConversion

/// The eigen-features of one output's quadratic form: Q_o = Σ λᵢ vᵢvᵢᵀ.
///
/// Following [Converting MLPs into Polynomials in Closed Form][seed], the eigenvectors of the
/// quadratic coefficients of class o are the input patterns whose presence (λ > 0) or
/// absence (λ < 0) the class's score responds to quadratically; on MNIST they are images.
///
/// [seed]: https://arxiv.org/abs/2502.01032
public struct EigenFeatures: Sendable {
    /// The output (class) index.
    public let output: Int
    /// Eigenvalues in descending order.
    public let values: [Double]
    /// Eigenvector i is column i, unit norm, signed so that its positive entries outweigh
    /// its negative ones (an eigenvector's sign is arbitrary; this makes pictures comparable).
    public let vectors: Matrix<Double>

    /// Eigendecomposes the symmetric matrix `quadratic` (LAPACK `syevd`).
    public init(output: Int, quadratic: Matrix<Double>) throws {
        let (ascending, ascendingVectors) = try quadratic.symmetricEigendecomposition()
        // Work on rows (one eigenvector each), largest eigenvalue first, then transpose back.
        let byRow = ascendingVectors.transposed()
        let (n, width) = (ascending.count, quadratic.rows)
        var signed = Matrix<Double>(rows: n, columns: width)
        byRow.elements.withUnsafeBufferPointer { source in
            signed.elements.withUnsafeMutableBufferPointer { target in
                for (row, sourceRow) in (0 ..< n).reversed().enumerated() {
                    var balance = 0.0  // positive mass minus negative mass
                    for i in 0 ..< width { balance += source[sourceRow * width + i] }
                    let sign: Double = balance >= 0 ? 1 : -1
                    for i in 0 ..< width { target[row * width + i] = sign * source[sourceRow * width + i] }
                }
            }
        }
        let vectors = signed.transposed()
        self.output = output
        values = ascending.reversed()
        self.vectors = vectors
    }

    /// The indices of the `count` largest positive eigenvalues, largest first.
    public func topPositive(_ count: Int) -> [Int] {
        Array(values.indices.filter { values[$0] > 0 }.prefix(count))
    }

    /// The indices of the `count` most negative eigenvalues, most negative first.
    public func topNegative(_ count: Int) -> [Int] {
        Array(values.indices.reversed().filter { values[$0] < 0 }.prefix(count))
    }

    /// The eigenvectors of every output of an explicit degree-2 approximant.
    public static func all(of polynomial: ExplicitPolynomial) throws -> [EigenFeatures] {
        precondition(!polynomial.quadratic.isEmpty, "Eigen-features need a degree-2 approximant")
        return try polynomial.quadratic.enumerated().map { try EigenFeatures(output: $0.offset, quadratic: $0.element) }
    }
}
