import LinearAlgebra

/// Pushes every input along one direction built to excite a target class's top eigenvectors
/// and no other class's, then sweeps the step size.
///
/// Stack the top-k eigenvectors (largest positive eigenvalues) of every class as the rows of
/// E (classes·k × d). The direction is δ = E⁺e normalized to unit length, where e is 1 on the
/// target's rows and 0 elsewhere: the minimum-norm input whose projections on the target's
/// features are equal and on every other class's features are zero (pseudo-inverse through
/// LAPACK's least squares).
public struct EigenAttack: Sendable {
    /// One row of the sweep.
    public struct Row: Sendable, Equatable {
        public var magnitude: Double
        public var networkAccuracy: Double
        public var fractionClassifiedAsTarget: Double
    }

    /// The target class.
    public let target: Int
    /// The unit-norm attack direction (length d).
    public let direction: [Double]

    /// Builds the direction from every class's eigen-features.
    public init(target: Int, features: [EigenFeatures], topCount: Int) throws {
        precondition(features.indices.contains(target), "Target \(target) outside 0..<\(features.count)")
        let dimension = features[0].vectors.rows
        var rows = [[Double]](), goal = [Double]()
        for feature in features {
            for index in feature.topPositive(topCount) {
                rows.append(feature.vectors.column(index))
                goal.append(feature.output == target ? 1 : 0)
            }
        }
        let stacked = Matrix(rows)
        let solution = try stacked.leastSquaresSolution(Matrix(rows: goal.count, columns: 1, elements: goal)).solution
        let norm = solution.frobeniusNorm()
        precondition(dimension == solution.rows, "Eigenvectors of length \(dimension) gave a solution of \(solution.rows)")
        self.target = target
        direction = norm > 0 ? solution.elements.map { $0 / norm } : Array(solution.elements)
    }

    /// The inputs moved by `magnitude` along the direction.
    public func perturbed(_ inputs: Matrix<Double>, magnitude: Double) -> Matrix<Double> {
        var result = inputs
        result.addToEachRow(direction.map { $0 * magnitude })
        return result
    }

    /// The sweep over `magnitudes`.
    public func sweep(inputs: Matrix<Double>, labels: [Int], magnitudes: [Double],
                      network: (Matrix<Double>) -> Matrix<Double>) -> [Row] {
        magnitudes.map { magnitude in
            let scores = network(perturbed(inputs, magnitude: magnitude))
            return Row(magnitude: magnitude, networkAccuracy: classificationAccuracy(scores: scores, labels: labels),
                       fractionClassifiedAsTarget: fractionClassified(as: target, scores: scores))
        }
    }
}
