import RealModule

/// The maximum of a unimodal h on [low, high] by golden-section search; returns (t, h(t)).
///
/// Stops when the bracket is narrower than max(`tolerance`, 4ε·max(|low|, |high|)): the
/// relative floor is a few spacings of Double at the bracket's magnitude, below which the
/// interior points would coincide with the ends and the bracket would stop shrinking (on
/// [1e6, 1.001e6] an absolute 1e-10 is below the spacing 1.2e-10). Each step keeps 0.618 of
/// the bracket, and the bracket's width over the floor is at most 2·max/(4ε·max) = 2⁵¹, so
/// the search ends within ⌈51·ln 2/ln(1/0.618)⌉ = 74 steps;
/// the cap of 100 iterations is a safety net that only non-finite input can reach.
///
/// At a smooth maximum h is flat, so locating t to δ gives h to O(h″·δ²).
/// - Throws: ``PolynomialError/iterationLimit(routine:iterations:)`` at the cap.
func goldenSectionMaximum(of h: (Double) -> Double, in low: Double, _ high: Double,
                          tolerance: Double) throws -> (t: Double, value: Double) {
    let ratio = (Double.sqrt(5) - 1) / 2
    let width = Swift.max(tolerance, 4 * Double.ulpOfOne * Swift.max(Swift.abs(low), Swift.abs(high)))
    var (a, b) = (low, high)
    var c = b - ratio * (b - a), d = a + ratio * (b - a)
    var hc = h(c), hd = h(d)
    var iterations = 0
    while b - a > width {
        guard iterations < goldenSectionMaximumIterations else {
            throw PolynomialError.iterationLimit(routine: "golden-section search on [\(low), \(high)]", iterations: iterations)
        }
        iterations += 1
        if hc > hd {
            b = d; d = c; hd = hc
            c = b - ratio * (b - a); hc = h(c)
        } else {
            a = c; c = d; hc = hd
            d = a + ratio * (b - a); hd = h(d)
        }
    }
    let t = (a + b) / 2
    return (t, h(t))
}

/// The iteration cap of ``goldenSectionMaximum(of:in:_:tolerance:)``.
let goldenSectionMaximumIterations = 100
