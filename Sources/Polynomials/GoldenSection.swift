import RealModule

/// The maximum of a unimodal h on [low, high] by golden-section search, stopping when the
/// bracket is narrower than `tolerance`; returns (t, h(t)).
///
/// At a smooth maximum h is flat, so locating t to δ gives h to O(h″·δ²).
func goldenSectionMaximum(of h: (Double) -> Double, in low: Double, _ high: Double,
                          tolerance: Double) -> (t: Double, value: Double) {
    let ratio = (Double.sqrt(5) - 1) / 2
    var (a, b) = (low, high)
    var c = b - ratio * (b - a), d = a + ratio * (b - a)
    var hc = h(c), hd = h(d)
    while b - a > tolerance {
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
