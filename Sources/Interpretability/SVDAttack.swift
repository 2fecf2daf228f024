import LinearAlgebra
import PolynomialConversion

/// Removes the top-k singular directions of the linear coefficients B from the inputs and
/// measures how the network and its approximants fare, against removing k random directions.
///
/// B = UΣVᵀ (outputs × inputs); its top right singular vectors are the input directions the
/// linear approximant reads most. If the network is mostly linear, deleting them should hurt
/// it much more than deleting random directions — the seed's SVD attack, with the random
/// control it does not report.
public struct SVDAttack: Sendable {
    /// One row of the table: accuracies after removing k directions.
    public struct Row: Sendable, Equatable {
        /// k, the number of directions removed.
        public var removed: Int
        /// The network's accuracy.
        public var networkAccuracy: Double
        /// The degree-1 approximant's accuracy.
        public var linearAccuracy: Double
        /// The degree-2 approximant's accuracy.
        public var quadraticAccuracy: Double
        /// The network's accuracy with k random directions removed (mean over the draws).
        public var randomDirectionsNetworkAccuracy: Double
    }

    /// The input directions, most important first (rows of Vᵀ).
    public let directions: Matrix<Double>
    /// The singular values of B, descending.
    public let singularValues: [Double]

    /// Prepares the attack from the linear coefficients (outputs × inputs) of an approximant.
    public init(linearCoefficients: Matrix<Double>) throws {
        let (_, singularValues, vt) = try linearCoefficients.singularValueDecomposition()
        directions = vt
        self.singularValues = singularValues
    }

    /// The projection removing the top `count` directions.
    public func projection(removing count: Int) -> DirectionProjection {
        precondition(count >= 0 && count <= directions.rows, "Can remove 0…\(directions.rows) directions, not \(count)")
        return DirectionProjection(orthonormalRows: directions.rows(0 ..< count))
    }

    /// The accuracy table for k = 0 … `maximumRemoved`.
    /// - Parameters:
    ///   - inputs: the inputs to attack, one per row.
    ///   - labels: their classes.
    ///   - maximumRemoved: the largest k.
    ///   - network: the model as a function of a batch.
    ///   - linear: the degree-1 approximant.
    ///   - quadratic: the degree-2 approximant.
    ///   - randomDraws: how many random direction sets to average for the control.
    ///   - generator: the source of the random control directions.
    public func table<G: RandomNumberGenerator>(
        inputs: Matrix<Double>, labels: [Int], maximumRemoved: Int,
        network: (Matrix<Double>) -> Matrix<Double>,
        linear: (Matrix<Double>) -> Matrix<Double>, quadratic: (Matrix<Double>) -> Matrix<Double>,
        randomDraws: Int = 3, using generator: inout G
    ) throws -> [Row] {
        try (0 ... min(maximumRemoved, directions.rows)).map { k in
            let attacked = projection(removing: k)(inputs)
            var randomAccuracy = 0.0
            for _ in 0 ..< randomDraws {
                let control = try DirectionProjection.random(count: k, dimension: inputs.columns, using: &generator)
                randomAccuracy += classificationAccuracy(scores: network(control(inputs)), labels: labels)
            }
            return Row(removed: k,
                       networkAccuracy: classificationAccuracy(scores: network(attacked), labels: labels),
                       linearAccuracy: classificationAccuracy(scores: linear(attacked), labels: labels),
                       quadraticAccuracy: classificationAccuracy(scores: quadratic(attacked), labels: labels),
                       randomDirectionsNetworkAccuracy: randomAccuracy / Double(max(randomDraws, 1)))
        }
    }
}
