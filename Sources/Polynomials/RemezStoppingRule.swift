// When a Remez exchange stops (shared by the one-interval and the union exchanges).
//
// Each iteration brackets the best error: L = min |e| at the new alternating reference ≤ E* ≤
// U = max |e| (de la Vallée-Poussin). The exchange converges quadratically, so the gap U − L
// shrinks by orders of magnitude per step until it reaches the rounding of the computed e.
//
// Stop when
//  1. U − L ≤ tolerance·U (converged relative to the levelled error itself), or
//  2. U − L ≤ ceiling and U − L is not below half the smallest gap within the ceiling so far:
//     the gap is rounding noise and further exchanges only reshuffle it (the smaller of the
//     two is returned).
// The ceiling, 64ε·max|w·f|, is a generous bound on that noise: e = w·(f − p) is a difference
// of two Doubles of size up to max|w·f|, each within a few ulps (f from libm or a short
// expression, p from a backward-stable Clenshaw sum), so below it the gap cannot be told from
// rounding. It is a ceiling, not a target: for exp on [−8, 0] (E* ≈ 1.5e-10, max|f| = 1) it
// is 1e-4 of E*, and a rule stopping at the ceiling alone could return a fit 1e-4 from
// optimal; rule 2 instead runs on until the gap stops shrinking, at ~2e-6 of E* there (the
// resolution of f − p near f = 1: 2^-53/E* ≈ 7.6e-7 per unit in the last place).
// Noise can also make things worse: an iteration whose reference came from rounding may find
// fewer alternation points than it needs, or a gap above the ceiling again. The rule keeps the
// iterate with the smallest gap within the ceiling and returns it then (and at the iteration
// cap) instead of failing.

/// The stopping test of a Remez exchange: relative convergence, or rounding-level stagnation.
struct RemezStoppingRule {
    /// Relative gap (U − L)/U at which the exchange has converged.
    let tolerance: Double
    /// The largest gap that may be rounding noise: 64ε·max|w·f|.
    let ceiling: Double
    /// The iterate with the smallest gap within the ceiling, and that gap.
    private(set) var levelled: (result: MinimaxApproximation, gap: Double)?

    /// A rule for f with max|w·f| = `functionScale` on the domain.
    init(tolerance: Double, functionScale: Double) {
        self.tolerance = tolerance
        ceiling = 64 * Double.ulpOfOne * functionScale
    }

    /// The fit to return after an iteration with a full alternation set, its upper bound U =
    /// `result.maxError` and its own lower bound L = `minError`; nil to go on.
    mutating func outcome(of result: MinimaxApproximation, minError: Double) -> MinimaxApproximation? {
        let gap = result.maxError - minError
        if gap <= tolerance * result.maxError { return result }
        guard let (best, bestGap) = levelled else {
            if gap <= ceiling { levelled = (result, gap) }
            return nil
        }
        if gap > ceiling { return best }                  // noise made it worse
        if gap > bestGap / 2 { return gap < bestGap ? result : best }   // no longer shrinking
        levelled = (result, gap)
        return nil
    }
}
