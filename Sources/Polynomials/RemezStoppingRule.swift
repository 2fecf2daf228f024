// When a Remez exchange stops (shared by the one-interval and the union exchanges).
//
// Each iteration brackets the best error: L = min |e| at the new alternating reference ≤ E* ≤
// U = max |e| (de la Vallée-Poussin). The exchange converges quadratically, so the gap U − L
// shrinks by orders of magnitude per step until it reaches the rounding of the computed e.
//
// Stop when
//  1. U − L ≤ tolerance·U (converged relative to the levelled error itself), or
//  2. U − L ≤ ceiling and U − L did not halve since the previous iteration: the gap is rounding
//     noise and further exchanges only reshuffle it.
// The ceiling, 64ε·max|w·f|, is a generous bound on that noise: e = w·(f − p) is a difference
// of two Doubles of size up to max|w·f|, each within a few ulps (f from libm or a short
// expression, p from a backward-stable Clenshaw sum), so below it the gap cannot be told from
// rounding. It is a ceiling, not a target: for exp on [−8, 0] (E* ≈ 1.5e-10, max|f| = 1) it
// is 1e-4 of E*, and a rule stopping at the ceiling alone could return a fit 1e-4 from
// optimal; rule 2 instead runs on until the gap stops shrinking, at ~2e-6 of E* there (the
// resolution of f − p near f = 1: 2^-53/E* ≈ 7.6e-7 per unit in the last place).
// An iteration after one whose gap was within the ceiling may find fewer alternation points
// than it needs (its reference came from noise); the exchange then returns that previous
// iterate, already levelled to the rounding (``lastGapWasRounding``).

/// The stopping test of a Remez exchange: relative convergence, or rounding-level stagnation.
struct RemezStoppingRule {
    /// Relative gap (U − L)/U at which the exchange has converged.
    let tolerance: Double
    /// The largest gap that may be rounding noise: 64ε·max|w·f|.
    let ceiling: Double
    private var previousGap = Double.infinity

    /// A rule for f with max|w·f| = `functionScale` on the domain.
    init(tolerance: Double, functionScale: Double) {
        self.tolerance = tolerance
        ceiling = 64 * Double.ulpOfOne * functionScale
    }

    /// Whether the last gap passed to ``shouldStop(maxError:minError:)`` was within the
    /// ceiling (rounding noise).
    var lastGapWasRounding: Bool { previousGap <= ceiling }

    /// Whether to stop after an iteration with upper bound `maxError` (U) and lower bound
    /// `minError` (L).
    mutating func shouldStop(maxError: Double, minError: Double) -> Bool {
        let gap = maxError - minError
        defer { previousGap = gap }
        return gap <= tolerance * maxError || (gap <= ceiling && gap > previousGap / 2)
    }
}
