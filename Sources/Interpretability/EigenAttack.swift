import LinearAlgebra
import PolynomialConversion

/// Pushes every input along one direction built to excite a target class's top eigenvectors
/// and no other class's, then sweeps the step size.
///
/// Stack the top-k eigenvectors (largest positive eigenvalues) of every class as the rows of
/// E (classes·k × d). The direction is δ = E⁺e normalized to unit length, where e is 1 on the
/// target's rows and 0 elsewhere: the minimum-norm input whose projections on the target's
/// features are equal and on every other class's features are zero (pseudo-inverse through
/// LAPACK's least squares).
///
/// Eigenvectors have no intrinsic sign, so neither has δ, and the quadratic terms δᵀQ_oδ are the
/// same for ±δ: the sign decides only through the linear part of the approximant p. It is chosen
/// so that the target's margin rises to first order where the inputs are: at their mean x̄,
/// ∇p_t(x̄)·δ − mean_{o≠t} ∇p_o(x̄)·δ > 0, with ∇p_o(x̄) = B_o + 2·Q_o·x̄.
public struct EigenAttack: Sendable {
    /// One row of the sweep.
    public struct Row: Sendable, Equatable {
        /// The L2 norm of the added direction.
        public var magnitude: Double
        /// The network's accuracy on the perturbed inputs.
        public var networkAccuracy: Double
        /// The share of perturbed inputs the network assigns to the target class.
        public var fractionClassifiedAsTarget: Double
    }

    /// The target class.
    public let target: Int
    /// The unit-norm attack direction (length d).
    public let direction: [Double]
    /// The first-order change of the target's margin over the mean other score per unit of
    /// magnitude at the inputs' mean (positive by the choice of sign, or 0 when p is flat there).
    public let targetMarginSlope: Double

    /// Builds the direction from every class's eigen-features (those of `polynomial`'s quadratic
    /// terms) and orients it by `polynomial`'s gradient at `center`, the mean of the inputs to
    /// be attacked.
    public init(target: Int, features: [EigenFeatures], topCount: Int,
                orientedBy polynomial: ExplicitPolynomial, at center: [Double]) throws {
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
        let unit = norm > 0 ? solution.elements.map { $0 / norm } : Array(solution.elements)
        let slopes = Self.scoreSlopes(of: polynomial, at: center, along: unit)
        let others = slopes.indices.filter { $0 != target }.map { slopes[$0] }
        let marginSlope = slopes[target] - others.reduce(0, +) / Double(Swift.max(others.count, 1))
        self.target = target
        direction = marginSlope < 0 ? unit.map { -$0 } : unit
        targetMarginSlope = abs(marginSlope)
    }

    /// ∇p_o(x)·δ = B_o·δ + 2·xᵀQ_oδ for every output o.
    static func scoreSlopes(of polynomial: ExplicitPolynomial, at x: [Double], along delta: [Double]) -> [Double] {
        precondition(x.count == delta.count && polynomial.linear.columns == delta.count,
                     "A direction of \(delta.count), a center of \(x.count) and \(polynomial.linear.columns) inputs")
        let linear = polynomial.linear.multiplied(by: delta)
        return linear.indices.map { o in
            guard polynomial.quadratic.indices.contains(o) else { return linear[o] }
            let qDelta = polynomial.quadratic[o].multiplied(by: delta)
            return linear[o] + 2 * zip(x, qDelta).reduce(0) { $0 + $1.0 * $1.1 }
        }
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
