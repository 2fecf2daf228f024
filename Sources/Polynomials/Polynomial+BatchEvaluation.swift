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
    ///
    /// The values go through in blocks of ``evaluationBlock``: the recurrence runs one step k
    /// for the whole block before the next, so the innermost loop runs over independent
    /// elements and vectorizes (the same operations in the same order per element as one value
    /// at a time, so the results are identical).
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
        let block = Self.evaluationBlock
        terms.withUnsafeBufferPointer { terms in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * block) { buffer in
                guard let t = buffer.baseAddress else { return }  // never nil: the capacity is positive
                let (b1, b2) = (t + block, t + 2 * block)
                for start in stride(from: 0, to: count, by: block) {
                    let width = Swift.min(block, count - start)
                    for j in 0 ..< width {
                        t[j] = scale * load(start + j) + offset
                        (b1[j], b2[j]) = (0, 0)
                    }
                    var k = n - 1
                    while k >= 0 {
                        let row = 4 * k
                        let (c, alpha, beta, gamma) = (terms[row], terms[row + 1], terms[row + 2], terms[row + 3])
                        for j in 0 ..< width {
                            let b0 = c + (alpha * t[j] + beta) * b1[j] - gamma * b2[j]
                            (b2[j], b1[j]) = (b1[j], b0)
                        }
                        k -= 1
                    }
                    for j in 0 ..< width { store(start + j, b1[j]) }
                }
            }
        }
    }

    /// The number of values ``evaluate(_:into:)`` carries through the recurrence together.
    static let evaluationBlock = 256
}
