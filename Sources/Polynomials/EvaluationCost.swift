// Operation counts for evaluating a polynomial the way homomorphic-encryption libraries do.
//
// Paterson–Stockmeyer in the Chebyshev basis follows OpenFHE's EvalChebyshevSeriesPS
// (ckksrns-advancedshe.cpp): choose m (giant steps) and k = ⌊n/(2^m − 1)⌋ + 1 (baby steps) with
// k·(2^m − 1) > n; compute T_1…T_k (k − 1 products), T_{2k}…T_{2^{m−1}k} (m − 1 squarings),
// T_{k(2^m−1)} (m − 1 products), then recursively divide by T_{2^{i}k}: 2^{m−1} − 1 products.
// Total non-scalar products k + 2m + 2^{m−1} − 4 and depth ⌈log₂ k⌉ + m. OpenFHE fixes m per
// degree with a hand-tuned table (PopulateParameterPS); we use the same breakpoints so that our
// counts match its (degree 15: 8 products at depth 5; 27: 10 at 5; 59: 16 at 6; 119: 20 at 7).
// Mapping [a, b] onto [-1, 1] costs one scalar product and one level.

/// Counts of homomorphic operations for one evaluation scheme.
public struct EvaluationCost: Sendable, Equatable {
    /// A short name: `horner-monomial`, `chebyshev-linear` or `paterson-stockmeyer-chebyshev`.
    public var scheme: String
    /// Ciphertext × ciphertext products (including squarings).
    public var nonScalarMultiplications: Int
    /// Plaintext-constant × ciphertext products (dense coefficients assumed).
    public var scalarMultiplications: Int
    /// Additions and subtractions, constants included.
    public var additions: Int
    /// Multiplicative depth, counting scalar products that need a rescale.
    public var depth: Int

    /// A cost of the given counts, e.g. a sum of schemes run one after another.
    public init(scheme: String, nonScalarMultiplications: Int, scalarMultiplications: Int, additions: Int, depth: Int) {
        self.scheme = scheme
        self.nonScalarMultiplications = nonScalarMultiplications
        self.scalarMultiplications = scalarMultiplications
        self.additions = additions
        self.depth = depth
    }

    /// Horner's rule on monomial coefficients of x: depth n, n − 1 non-scalar products.
    public static func horner(degree n: Int) -> EvaluationCost {
        EvaluationCost(scheme: "horner-monomial", nonScalarMultiplications: Swift.max(n - 1, 0),
                       scalarMultiplications: n >= 1 ? 1 : 0, additions: n, depth: n)
    }

    /// OpenFHE's Chebyshev-series evaluation: the linear scheme below degree 5, else
    /// Paterson–Stockmeyer; plus one scalar product, one addition and one level when the
    /// interval is not [-1, 1] (`needsAffineMap`).
    public static func chebyshevPatersonStockmeyer(degree n: Int, needsAffineMap: Bool) -> EvaluationCost {
        var cost: EvaluationCost
        if n < 5 {
            // T_2…T_n by products, one scalar product per coefficient, one rescale.
            cost = EvaluationCost(scheme: "chebyshev-linear", nonScalarMultiplications: Swift.max(n - 1, 0),
                                  scalarMultiplications: n, additions: n,
                                  depth: n == 0 ? 0 : ceilLog2(n) + 1)
        } else {
            let (k, m) = patersonStockmeyerDegrees(n)
            let giant = 1 << (m - 1)
            cost = EvaluationCost(
                scheme: "paterson-stockmeyer-chebyshev",
                nonScalarMultiplications: k + 2 * m + giant - 4,
                scalarMultiplications: (2 * giant - 1) * (k - 1),
                additions: 2 * (k - 1) + 4 * (m - 1) + giant * k + (giant - 1) * (k + 2) + 1,
                depth: ceilLog2(k) + m)
        }
        if needsAffineMap && n > 0 {
            cost.scalarMultiplications += 1
            cost.additions += 1
            cost.depth += 1
        }
        return cost
    }

    /// An odd polynomial of degree d ≤ ``maximumOddBabyStepGiantStepDegree`` on [-1, 1] by the
    /// odd baby-step giant-step algorithm of Lee, Lee, No and Kim ([TDSC 2022][lee]): depth
    /// ⌈log₂(d + 1)⌉ and the non-scalar product counts of their degree table (3: 2, 7: 5,
    /// 15: 8, 31: 12, 63: 17; the authors' published `mult` table); one scalar product and one
    /// addition per odd coefficient. This is the cost model of their degree search, used by
    /// ``CompositeSignApproximation``.
    ///
    /// [lee]: https://eprint.iacr.org/2020/834
    /// - Precondition: d odd in 1…63.
    public static func oddBabyStepGiantStep(degree d: Int) -> EvaluationCost {
        precondition(d % 2 == 1 && (1 ... maximumOddBabyStepGiantStepDegree).contains(d), "odd baby-step giant-step needs an odd degree in 1...63, got \(d)")
        let products = [0, 2, 3, 5, 5, 6, 7, 8, 8, 8, 9, 9, 10, 10, 11, 12,
                        11, 11, 11, 11, 12, 12, 13, 13, 14, 14, 14, 14, 15, 15, 16, 17][(d - 1) / 2]
        return EvaluationCost(scheme: "odd-baby-step-giant-step", nonScalarMultiplications: products,
                              scalarMultiplications: (d + 1) / 2, additions: (d + 1) / 2,
                              depth: optimalDepth(degree: d))
    }

    /// The largest degree ``oddBabyStepGiantStep(degree:)`` covers: 63.
    public static let maximumOddBabyStepGiantStepDegree = 63

    /// ⌈log₂(n + 1)⌉: the least depth any scheme can reach for degree n (one more with an
    /// affine map).
    public static func optimalDepth(degree n: Int) -> Int { ceilLog2(n + 1) }

    /// The largest degree ≤ `limit` whose ``chebyshevPatersonStockmeyer(degree:needsAffineMap:)``
    /// depth fits in `depth`, or nil when even degree 1 does not.
    public static func largestDegree(forDepth depth: Int, needsAffineMap: Bool, limit: Int = 1000) -> Int? {
        (1 ... limit).last { chebyshevPatersonStockmeyer(degree: $0, needsAffineMap: needsAffineMap).depth <= depth }
    }

    /// OpenFHE's (k, m) for degree n ≥ 5: m from its table, k = ⌊n/(2^m − 1)⌋ + 1 baby
    /// steps T_1…T_k and m giant steps T_k, T_2k, …, T_{2^{m−1}k}, so that k·(2^m − 1) > n.
    public static func patersonStockmeyerDegrees(_ n: Int) -> (k: Int, m: Int) {
        // (last degree, m) breakpoints of OpenFHE's PopulateParameterPS, in ascending order.
        let table: [(Int, Int)] = [(2, 1), (11, 2), (13, 3), (17, 2), (55, 3), (59, 4), (76, 3), (239, 4),
                                   (247, 5), (284, 4), (991, 5), (1007, 6), (1083, 5), (2015, 6), (2031, 7)]
        let m = table.first { n <= $0.0 }?.1 ?? 6
        return (n / ((1 << m) - 1) + 1, m)
    }
}

/// ⌈log₂ n⌉ for n ≥ 1.
private func ceilLog2(_ n: Int) -> Int {
    precondition(n >= 1, "log2 of \(n)")
    return Int.bitWidth - (n - 1).leadingZeroBitCount
}
