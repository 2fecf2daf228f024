// Exact conversion between bases by Clenshaw's recurrence run on polynomials: with
// t_A = (s_A/s_B)·t_B + (h_A − s_A·h_B/s_B) the source variable written in the target's,
//     b_k = c_k + (α_k·t_A + β_k)·b_{k+1} − γ_{k+1}·b_{k+2},   p = b_0,
// where each b_k is a coefficient vector in the target basis and "·t_B" is the target family's
// multiply-by-t operator. O(n²) operations and no linear solves; exact in exact arithmetic.

import RealModule

extension Polynomial {
    /// The same polynomial in another basis (exact up to rounding in the conversion).
    ///
    /// Converting to monomials can be badly conditioned: check ``conversionReport(to:on:)``.
    /// - Complexity: O(degree²).
    public func converted(to target: Basis) -> Polynomial {
        if target == basis { return self }
        let ratio = basis.scale / target.scale
        let shift = basis.offset - basis.scale * target.offset / target.scale
        let targetFamily = target.family
        var b1 = [Double](), b2 = [Double]()
        var k = coefficients.count - 1
        while k >= 0 {
            let (alpha, beta, _) = basis.family.recurrence(k)
            let gamma = basis.family.recurrence(k + 1).gamma
            // (α·t_A + β)·b1 = α·ratio·(t_B·b1) + (α·shift + β)·b1
            var next = targetFamily.multipliedByT(b1)
            for i in next.indices { next[i] *= alpha * ratio }
            for i in b1.indices { next[i] += (alpha * shift + beta) * b1[i] }
            for i in b2.indices { next[i] -= gamma * b2[i] }
            if next.isEmpty { next = [0] }
            next[0] += coefficients[k]
            b2 = b1
            b1 = next
            k -= 1
        }
        return Polynomial(coefficients: Array(b1.prefix(coefficients.count)), basis: target)
    }

    /// What converting to `target` costs in accuracy, measured on `interval`.
    public struct ConversionReport: Sendable {
        /// The largest term max_k max_x |c_k·p_k(t(x))| in the target over the same in the
        /// source: how much larger the individual terms get (monomials on [-16, 16]: ~1e18).
        public var coefficientGrowth: Double
        /// The largest target coefficient in magnitude.
        public var largestCoefficient: Double
        /// max_x Σ|c_k·p_k(t(x))| / max_x |p(x)| in the target basis: relative rounding error
        /// of evaluating there is about this times 1.1e-16.
        public var evaluationConditionNumber: Double
        /// log₁₀ of ``evaluationConditionNumber``: decimal digits lost by evaluating in the target.
        public var digitsLost: Double { Double.log10(Swift.max(evaluationConditionNumber, 1)) }
    }

    /// The conditioning of this polynomial in `target`, sampled at 512 points of `interval`
    /// (the denominator max|p| comes from this polynomial, in its own basis).
    /// - Throws: ``PolynomialError/conversionOverflow(degree:target:)`` when a converted
    ///   coefficient or term overflows Double (monomials of degree ~1000 on a wide interval),
    ///   and interval errors from ``validateInterval(_:)``.
    public func conversionReport(to target: Basis, on interval: ClosedRange<Double>) throws -> ConversionReport {
        try Self.validateInterval(interval)
        let converted = converted(to: target)
        let source = termSizes(on: interval)
        let destination = converted.termSizes(on: interval)
        guard converted.coefficients.allSatisfy(\.isFinite), destination.absoluteSum.isFinite,
              destination.largestTerm.isFinite else {
            throw PolynomialError.conversionOverflow(degree: degree, target: target.family.rawValue)
        }
        return ConversionReport(
            coefficientGrowth: destination.largestTerm / Swift.max(source.largestTerm, .leastNormalMagnitude),
            largestCoefficient: converted.coefficients.reduce(0) { Swift.max($0, Swift.abs($1)) },
            evaluationConditionNumber: destination.absoluteSum / Swift.max(source.size, .leastNormalMagnitude))
    }

    /// max_x Σ_k |c_k·p_k(t(x))| / max_x |p(x)| over 512 Chebyshev-spaced points of `interval`
    /// (+∞ when the terms overflow Double).
    public func evaluationConditionNumber(on interval: ClosedRange<Double>) -> Double {
        let sizes = termSizes(on: interval)
        let condition = sizes.absoluteSum / Swift.max(sizes.size, .leastNormalMagnitude)
        return condition.isNaN ? .infinity : condition
    }

    /// The largest single term, max_x Σ_k |c_k·p_k(t(x))| and max_x |p(x)| on `interval`;
    /// NaN anywhere propagates (never dropped by max).
    private func termSizes(on interval: ClosedRange<Double>) -> (largestTerm: Double, absoluteSum: Double, size: Double) {
        var absoluteSum = 0.0, size = 0.0, largestTerm = 0.0
        let half = (interval.upperBound - interval.lowerBound) / 2
        let middle = interval.upperBound / 2 + interval.lowerBound / 2
        for i in 0 ... 511 {
            let x = middle - half * Double.cos(Double.pi * Double(i) / 511)
            let values = basis.family.valuesAndDerivatives(at: basis.standardized(x), count: coefficients.count).values
            var sum = 0.0
            for (c, p) in zip(coefficients, values) {
                let term = Swift.abs(c * p)
                sum += term
                largestTerm = term.isNaN || term > largestTerm ? term : largestTerm
            }
            absoluteSum = sum.isNaN || sum > absoluteSum ? sum : absoluteSum
            let value = Swift.abs(self(x))
            size = value.isNaN || value > size ? value : size
        }
        return (largestTerm, absoluteSum, size)
    }
}
