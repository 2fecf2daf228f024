extension Polynomial {
    /// p at every element of `x`, written to the same position of `y` (which must be as long).
    ///
    /// The same Clenshaw recurrence as ``callAsFunction(_:)``, in Double, with the family's
    /// recurrence coefficients computed once for the whole batch instead of per element, so a
    /// layer applying p to millions of values spends its time in the recurrence itself.
    /// - Complexity: O(degree) per element.
    public func evaluate(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>) {
        precondition(x.count == y.count, "Evaluating \(x.count) values into \(y.count)")
        clenshaw(count: x.count, load: { Double(x[$0]) }, store: { y[$0] = Float($1) })
    }

    /// p at every element of `x`, written to the same position of `y`; see the Float version.
    public func evaluate(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == y.count, "Evaluating \(x.count) values into \(y.count)")
        clenshaw(count: x.count, load: { x[$0] }, store: { y[$0] = $1 })
    }

    /// p at every element of `x` for any floating-point element type: Float and Double go to
    /// their concrete versions, other types convert per element.
    public func evaluate<Scalar: BinaryFloatingPoint>(_ x: UnsafeBufferPointer<Scalar>, into y: UnsafeMutableBufferPointer<Scalar>) {
        precondition(x.count == y.count, "Evaluating \(x.count) values into \(y.count)")
        if Scalar.self == Float.self {
            x.withMemoryRebound(to: Float.self) { x in y.withMemoryRebound(to: Float.self) { evaluate(x, into: $0) } }
        } else if Scalar.self == Double.self {
            x.withMemoryRebound(to: Double.self) { x in y.withMemoryRebound(to: Double.self) { evaluate(x, into: $0) } }
        } else {
            clenshaw(count: x.count, load: { Double(x[$0]) }, store: { y[$0] = Scalar($1) })
        }
    }

    /// Clenshaw for `count` values read by `load` and written by `store` (concrete conversions
    /// at the call sites: a generic BinaryFloatingPoint conversion here would run a slow
    /// generic path per element).
    @inline(__always)
    private func clenshaw(count: Int, load: (Int) -> Double, store: (Int, Double) -> Void) {
        let n = coefficients.count
        // Row k: c_k, α_k, β_k and γ_{k+1}, the terms of b_k = c_k + (α_k·t + β_k)·b_{k+1} − γ_{k+1}·b_{k+2}.
        var terms = [Double](repeating: 0, count: 4 * n)
        for k in 0 ..< n {
            let (alpha, beta, _) = basis.family.recurrence(k)
            terms[4 * k] = coefficients[k]
            terms[4 * k + 1] = alpha
            terms[4 * k + 2] = beta
            terms[4 * k + 3] = basis.family.recurrence(k + 1).gamma
        }
        let (scale, offset) = (basis.scale, basis.offset)
        terms.withUnsafeBufferPointer { terms in
            for i in 0 ..< count {
                let t = scale * load(i) + offset
                var (b1, b2) = (0.0, 0.0)
                var k = n - 1
                while k >= 0 {
                    let row = 4 * k
                    let b0 = terms[row] + (terms[row + 1] * t + terms[row + 2]) * b1 - terms[row + 3] * b2
                    (b2, b1) = (b1, b0)
                    k -= 1
                }
                store(i, b1)
            }
        }
    }
}
