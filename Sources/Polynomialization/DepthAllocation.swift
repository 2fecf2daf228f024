import LinearAlgebra
import Activations
import NeuralNetworks
import Polynomials

/// Distributes a multiplicative-depth budget over a network's nonlinearities.
///
/// The rule. The budget D pays one level per dense layer, the fixed depth of layers that are
/// already polynomial and the depth of each LayerNorm with its division replaced (its
/// ``InverseSquareRoot`` is chosen beforehand, from its own error target); what is left, B, is
/// shared by the replaced nonlinearities. At depth
/// d a nonlinearity gets the highest degree whose Paterson–Stockmeyer depth (affine map
/// included) is at most d, and its minimax error E_ℓ(d) on its interval. A uniform error E in
/// layer ℓ's outputs moves the next layer's pre-activations by at most s_ℓ·E, with s_ℓ the
/// largest absolute row sum of the next dense weight (1 when none follows). Dynamic
/// programming over the layers picks the depths d_ℓ with Σ d_ℓ ≤ B that minimize Σ s_ℓ·E_ℓ(d_ℓ),
/// the first-order bound on the perturbation the replacements cause.
public enum DepthAllocation {
    /// The smallest depth of a replaced nonlinearity: degree 1 after the affine map.
    public static let minimumActivationDepth = EvaluationCost.chebyshevPatersonStockmeyer(degree: 1, needsAffineMap: true).depth

    /// The least total depth `model` can have: its fixed layers (LayerNorms replaced by
    /// `inverseSquareRoots`) plus the minimum per nonlinearity.
    public static func minimumDepth(of model: Sequential<Float>, activationCount: Int,
                                    inverseSquareRoots: [Int: InverseSquareRoot] = [:]) throws -> Int {
        try fixedDepth(of: model, inverseSquareRoots: inverseSquareRoots) + activationCount * minimumActivationDepth
    }

    /// Fits by `method` for every range in `ranges` whose depths fit `budget` in total (see the
    /// type's discussion), on the intervals `rule` chooses, with each LayerNorm's division
    /// replaced by `inverseSquareRoots[index]`.
    /// - Throws: ``PolynomializationError/invalidSetting(_:)`` naming the minimum when the
    ///   budget is below it; ``PolynomializationError/unsupportedLayer(index:specification:reason:)``
    ///   for a LayerNorm without its replacement.
    public static func fits(for ranges: [LayerRange], in model: Sequential<Float>, interval rule: IntervalRule,
                            budget: Int, method: ApproximationMethod = .minimax,
                            inverseSquareRoots: [Int: InverseSquareRoot] = [:]) throws -> [ActivationFit] {
        let minimum = try minimumDepth(of: model, activationCount: ranges.count, inverseSquareRoots: inverseSquareRoots)
        guard budget >= minimum else {
            throw PolynomializationError.invalidSetting(
                "a depth budget of \(budget) is below this network's minimum of \(minimum) (one level per dense layer, \(minimumActivationDepth) per nonlinearity at degree 1, LayerNorms as replaced)")
        }
        let shared = budget - (try fixedDepth(of: model, inverseSquareRoots: inverseSquareRoots))
        // Candidate (depth, fit) pairs per layer, one per depth that raises the degree.
        var candidates = [[(depth: Int, fit: ActivationFit)]]()
        for range in ranges {
            var options = [(depth: Int, fit: ActivationFit)]()
            var lastDegree = 0
            for depth in minimumActivationDepth ... Swift.max(minimumActivationDepth, shared - (ranges.count - 1) * minimumActivationDepth) {
                guard let degree = EvaluationCost.largestDegree(forDepth: depth, needsAffineMap: true,
                                                                limit: ActivationFit.maximumDegree),
                      degree > lastDegree else { continue }
                lastDegree = degree
                options.append((depth, try ActivationFit.fit(range, interval: rule, degree: .degree(degree), method: method)))
                if degree == ActivationFit.maximumDegree { break }
            }
            candidates.append(options)
        }
        let weights = try ranges.map { try sensitivity(after: $0.layerIndex, in: model) }
        // best[b] = (cost, choices) using the layers so far and total depth ≤ b.
        var best: [(cost: Double, choice: [Int])?] = Array(repeating: (0, []), count: shared + 1)
        for (layer, options) in candidates.enumerated() {
            var next: [(cost: Double, choice: [Int])?] = Array(repeating: nil, count: shared + 1)
            for total in 0 ... shared {
                for (index, option) in options.enumerated() where option.depth <= total {
                    guard let previous = best[total - option.depth] else { continue }
                    let cost = previous.cost + weights[layer] * option.fit.maxError
                    if next[total].map({ cost < $0.cost }) ?? true { next[total] = (cost, previous.choice + [index]) }
                }
            }
            best = next
        }
        guard let chosen = best[shared] else {
            throw PolynomializationError.invalidSetting("no allocation of depth \(budget) exists")
        }
        return chosen.choice.enumerated().map { candidates[$0.offset][$0.element].fit }
    }

    /// The depth of the layers that are not nonlinearities: one per dense layer, ⌈log₂ d⌉ + 1
    /// for a layer already polynomial of degree d, ``PolynomialNetwork/layerNormDepth(_:)`` for a
    /// LayerNorm.
    static func fixedDepth(of model: Sequential<Float>, inverseSquareRoots: [Int: InverseSquareRoot]) throws -> Int {
        try PolynomialNetwork.check(model)
        return try model.layers.enumerated().reduce(0) { total, element in
            guard element.element is LayerNorm<Float> else { return total + PolynomialNetwork.keptDepth(element.element) }
            guard let inverse = inverseSquareRoots[element.offset] else {
                throw PolynomializationError.unsupportedLayer(index: element.offset, specification: element.element.specification,
                                                              reason: "its division has no polynomial replacement")
            }
            return total + PolynomialNetwork.layerNormDepth(inverse)
        }
    }

    /// The largest absolute row sum of the first dense weight after layer `index` (1 if none);
    /// for a gated linear unit's gate, that of its output projection (the value the gate
    /// multiplies is left out of the weight).
    static func sensitivity(after index: Int, in model: Sequential<Float>) throws -> Double {
        if let unit = model.layers[index] as? GatedLinearUnit<Float> { return largestRowSum(unit.downProjection.weight) }
        guard let dense = model.layers[(index + 1)...].lazy.compactMap({ $0 as? Dense<Float> }).first else { return 1 }
        return largestRowSum(dense.weight)
    }

    /// max over rows of Σ|wᵢⱼ| (1 for an empty matrix).
    static func largestRowSum(_ weight: Matrix<Float>) -> Double {
        (0 ..< weight.rows).map { row in
            (0 ..< weight.columns).reduce(0.0) { $0 + Swift.abs(Double(weight[row, $1])) }
        }.max() ?? 1
    }
}
