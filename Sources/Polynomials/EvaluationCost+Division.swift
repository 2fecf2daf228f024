// The cost of evaluating r = p/q homomorphically, where only + and × exist.
//
// HE has no division: 1/q is computed by Newton's iteration y ← y·(2 − q·y), which doubles the
// number of correct digits per step. Started at the constant y_0 = 2/(q_min + q_max) (q > 0 on
// the interval with known bounds), the relative error e_k = 1 − q·y_k satisfies
// |e_0| ≤ (κ − 1)/(κ + 1), κ = q_max/q_min, and e_{k+1} = e_k², so e_k ≤ e_0^{2^k}.
// Counting, with d_q the depth of q:
// • step 1 with the constant y_0: y_1 = 2·y_0 − y_0²·q is one scalar product and one addition,
//   depth d_q + 1;
// • every further step: q·y (non-scalar), 2 − q·y (addition), y·(…) (non-scalar): two
//   non-scalar products, one addition and two levels;
// • the quotient p·y: one non-scalar product and one level after the deeper of p and 1/q.
// The map of [a, b] onto [-1, 1] is shared by p and q and counted once in the total.

extension EvaluationCost {
    /// The most Newton steps ``newtonInverseSteps(denominatorRange:relativeError:)`` returns
    /// (depth 1 + 2·63 = 127 for the inverse alone).
    public static let maximumNewtonInverseSteps = 64

    /// Newton steps y ← y·(2 − q·y) from y_0 = 2/(q_min + q_max) until |1 − q·y| ≤
    /// `relativeError` for every q in `denominatorRange` (q_min > 0): the least k with
    /// ((κ − 1)/(κ + 1))^{2^k} ≤ relativeError, κ = q_max/q_min, at least 1.
    ///
    /// ```swift
    /// try EvaluationCost.newtonInverseSteps(denominatorRange: 1 ... 3, relativeError: 1e-6) // 5
    /// ```
    /// - Throws: ``PolynomialError/newtonInverseTooSlow(denominatorRange:maximumSteps:)`` when
    ///   more than ``maximumNewtonInverseSteps`` steps would be needed (κ ≳ 2⁵⁸, or not finite).
    public static func newtonInverseSteps(denominatorRange: ClosedRange<Double>, relativeError: Double) throws -> Int {
        precondition(denominatorRange.lowerBound > 0 && relativeError > 0 && relativeError < 1,
                     "Newton inverse needs q > 0 (got \(denominatorRange)) and a relative error in (0, 1) (got \(relativeError))")
        let ratio = denominatorRange.upperBound / denominatorRange.lowerBound
        guard ratio.isFinite else {
            throw PolynomialError.newtonInverseTooSlow(denominatorRange: denominatorRange, maximumSteps: maximumNewtonInverseSteps)
        }
        var error = (ratio - 1) / (ratio + 1), steps = 1
        while error * error > relativeError {
            guard steps < maximumNewtonInverseSteps else {
                throw PolynomialError.newtonInverseTooSlow(denominatorRange: denominatorRange, maximumSteps: maximumNewtonInverseSteps)
            }
            error *= error
            steps += 1
        }
        return steps
    }

    /// Costs of p/q with p and q evaluated by ``chebyshevPatersonStockmeyer(degree:needsAffineMap:)``
    /// and 1/q by `newtonSteps` Newton steps (see the file header): the records
    /// `numerator-…`, `denominator-…`, `newton-inverse` (its own operations; depth counted
    /// from q's), and `rational-total` (everything, the range map once; depth of the quotient).
    public static func rational(numeratorDegree n: Int, denominatorDegree m: Int, newtonSteps: Int,
                                needsAffineMap: Bool) -> [EvaluationCost] {
        precondition(newtonSteps >= 1, "Newton inverse with \(newtonSteps) steps")
        var numerator = chebyshevPatersonStockmeyer(degree: n, needsAffineMap: needsAffineMap)
        numerator.scheme = "numerator-" + numerator.scheme
        var denominator = chebyshevPatersonStockmeyer(degree: m, needsAffineMap: needsAffineMap)
        denominator.scheme = "denominator-" + denominator.scheme
        let inverse = EvaluationCost(scheme: "newton-inverse-\(newtonSteps)-steps",
                                     nonScalarMultiplications: 2 * (newtonSteps - 1), scalarMultiplications: 1,
                                     additions: newtonSteps, depth: 1 + 2 * (newtonSteps - 1))
        let sharedMap = needsAffineMap && n > 0 && m > 0 ? 1 : 0
        let total = EvaluationCost(
            scheme: "rational-total",
            nonScalarMultiplications: numerator.nonScalarMultiplications + denominator.nonScalarMultiplications
                + inverse.nonScalarMultiplications + 1,
            scalarMultiplications: numerator.scalarMultiplications + denominator.scalarMultiplications
                + inverse.scalarMultiplications - sharedMap,
            additions: numerator.additions + denominator.additions + inverse.additions - sharedMap,
            depth: Swift.max(numerator.depth, denominator.depth + inverse.depth) + 1)
        return [numerator, denominator, inverse, total]
    }
}
