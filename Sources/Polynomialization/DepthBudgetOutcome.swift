import Activations
import LinearAlgebra
import NeuralNetworks

/// What one total-depth budget buys: the degrees ``DepthAllocation`` chooses and the polynomial
/// network's accuracy, or nothing when the budget is below the network's minimum.
public struct DepthBudgetOutcome: Sendable {
    /// The budget asked for.
    public var budget: Int
    /// The degree per nonlinearity, the depth used and the test accuracy (nil below the minimum).
    public var degrees: [Int]?
    /// The total depth used (nil below the minimum).
    public var depth: Int?
    /// The polynomial network's test accuracy (nil below the minimum).
    public var accuracy: Double?
    /// The original network's accuracy on the same data.
    public var originalAccuracy: Double
    /// The network's minimum depth (every budget below it has no outcome).
    public var minimumDepth: Int

    /// Allocates each budget over `ranges` (see ``DepthAllocation``), fitting by `method` with
    /// each LayerNorm's division replaced by `inverseSquareRoots[index]`, and evaluates the
    /// resulting polynomial network against `model` on `inputs` and `labels`.
    /// - Throws: ``PolynomializationError`` as
    ///   ``DepthAllocation/fits(for:in:interval:budget:method:inverseSquareRoots:)`` and
    ///   ``NetworkComparison`` do (a budget below the minimum is an outcome, not an error).
    public static func sweep(_ budgets: [Int], model: Sequential<Float>, ranges: [LayerRange], interval rule: IntervalRule,
                             method: ApproximationMethod = .minimax, inverseSquareRoots: [Int: InverseSquareRoot] = [:],
                             inputs: Matrix<Float>, labels: [Int]) throws -> [DepthBudgetOutcome] {
        let minimum = try DepthAllocation.minimumDepth(of: model, activationCount: ranges.count,
                                                       inverseSquareRoots: inverseSquareRoots)
        var reference = model
        let logits = reference(inputs)
        let original = Double((0 ..< inputs.rows).filter { NetworkComparison.argmax(logits.row($0).map(Double.init)) == labels[$0] }.count)
            / Double(Swift.max(inputs.rows, 1))
        return try budgets.map { budget in
            guard budget >= minimum else {
                return DepthBudgetOutcome(budget: budget, originalAccuracy: original, minimumDepth: minimum)
            }
            let fits = try DepthAllocation.fits(for: ranges, in: model, interval: rule, budget: budget, method: method,
                                                inverseSquareRoots: inverseSquareRoots)
            let network = try PolynomialNetwork(replacingIn: model, with: fits, inverseSquareRoots: inverseSquareRoots)
            let comparison = try NetworkComparison(original: model, polynomial: network, inputs: inputs, labels: labels)
            return DepthBudgetOutcome(budget: budget, degrees: fits.map(\.polynomial.degree), depth: network.totalDepth,
                                      accuracy: comparison.polynomialAccuracy, originalAccuracy: comparison.originalAccuracy,
                                      minimumDepth: minimum)
        }
    }
}
