import LinearAlgebra

/// Orthogonal projection of inputs off a set of directions: x ↦ x − VᵀVx for orthonormal
/// rows V (k × d), computed as two gemms. Idempotent, and its result is orthogonal to
/// every removed direction.
public struct DirectionProjection: Sendable {
    /// The removed directions, orthonormal rows (k × d).
    public let directions: Matrix<Double>

    /// Projects off the given directions, which must be orthonormal rows.
    public init(orthonormalRows directions: Matrix<Double>) {
        self.directions = directions
    }

    /// Projects off `count` random directions: the row space of a seeded Gaussian k × d
    /// matrix, orthonormalized by SVD (the control for attacks along chosen directions).
    public static func random<G: RandomNumberGenerator>(count: Int, dimension: Int, using generator: inout G) throws -> DirectionProjection {
        guard count > 0 else { return DirectionProjection(orthonormalRows: Matrix(rows: 0, columns: dimension)) }
        let gaussian = Matrix<Double>.randomNormal(rows: count, columns: dimension, using: &generator)
        return DirectionProjection(orthonormalRows: try gaussian.singularValueDecomposition().vt)
    }

    /// The inputs (one per row) with their components along the directions removed.
    public func callAsFunction(_ inputs: Matrix<Double>) -> Matrix<Double> {
        precondition(inputs.columns == directions.columns,
                     "Projecting \(inputs.rows)×\(inputs.columns) inputs off \(directions.rows)×\(directions.columns) directions")
        guard directions.rows > 0 else { return inputs }
        let components = inputs.multiplied(by: directions, transposingOther: true)  // N × k
        var result = inputs
        result.setProduct(components, directions, alpha: -1, beta: 1)
        return result
    }
}
