import LinearAlgebra

/// The approximant written out in x: p(x) = constant + linear·x + xᵀ·Q·x per output.
public struct ExplicitPolynomial: Sendable, Equatable {
    /// The constant term of each output.
    public var constant: [Double]
    /// output × input: the linear coefficients (in x, not in whitened coordinates).
    public var linear: Matrix<Double>
    /// One symmetric input × input matrix Q per output (empty below degree 2).
    public var quadratic: [Matrix<Double>]

    /// p(x) for a batch of inputs (one per row); O(o·N·d²), for checks and small blocks.
    public func callAsFunction(_ inputs: Matrix<Double>) -> Matrix<Double> {
        var y = inputs.multiplied(by: linear, transposingOther: true)
        y.addToEachRow(constant)
        for (o, q) in quadratic.enumerated() {
            let xq = inputs.multiplied(by: q)
            for i in 0 ..< inputs.rows {
                var sum = 0.0
                for j in 0 ..< inputs.columns { sum += xq[i, j] * inputs[i, j] }
                y[i, o] += sum
            }
        }
        return y
    }
}

extension PolynomialApproximant {
    /// The number of coefficients `explicitCoefficients()` returns: o·(1 + d + d²) at degree 2.
    public var explicitCoefficientCount: Int {
        let (o, d) = (block.outputCount, block.inputDimension)
        return o * (1 + d + (degree >= 2 ? d * d : 0))
    }

    /// The constant, linear and quadratic coefficients in x of an approximant of degree ≤ 2.
    ///
    /// With t = x − μ, aₙ = wₙ/sₙ (so uₙ = aₙ·t) and, for a GLU, λₙ = vₙ − βₙaₙ (so λ̃ₙ = λₙ·t),
    /// He₂(u) = u² − 1 gives, per output o with yₙ = W₂[o, n]:
    ///   p = κ + Lᵀt + tᵀQt,  κ = b₂ + Σ yₙ(dₙ₀ − dₙ₂),  L = Σ yₙ(dₙ₁aₙ + cₙ₀λₙ),
    ///   Q = Σ yₙ(dₙ₂aₙaₙᵀ + cₙ₁(λₙaₙᵀ + aₙλₙᵀ)/2),
    /// then in x: linear = L − 2Qμ, constant = κ − L·μ + μᵀQμ. At degree 1 the linear term is
    /// B = W₂·diag(E[σ′(h)])·W₁, the average Jacobian (Stein's lemma), for any Gaussian.
    ///
    /// - Throws: `ConversionError.unsupportedDegree` above degree 2 (the explicit form would be
    ///   a tensor of order k; use the factorized form), `.explicitTooLarge` when
    ///   `explicitCoefficientCount` exceeds `limit`.
    /// - Complexity: O(o·n·d²) in gemms at degree 2.
    public func explicitCoefficients(limit: Int = .max) throws -> ExplicitPolynomial {
        guard degree <= 2 else {
            throw ConversionError.unsupportedDegree(degree, supported: 0 ... 2,
                                                    reason: "explicit coefficients are written out up to degree 2; use the factorized form for higher degrees")
        }
        guard explicitCoefficientCount <= limit else {
            throw ConversionError.explicitTooLarge(numbers: explicitCoefficientCount, limit: limit)
        }
        let (hidden, d) = (block.hiddenCount, block.inputDimension)
        let w2 = block.outputWeight
        // Rows aₙ = wₙ/sₙ (0 for degenerate units) and, for a GLU, λₙ = vₙ − βₙaₙ.
        var a = block.inputWeight
        for n in 0 ..< hidden {
            let scale = preactivationStandardDeviation[n] > 0 ? 1 / preactivationStandardDeviation[n] : 0
            for i in 0 ..< d { a[n, i] *= scale }
        }
        var lambda: Matrix<Double>?
        if let linearBranch = block.linearBranch {
            var rows = linearBranch.weight
            for n in 0 ..< hidden { for i in 0 ..< d { rows[n, i] -= linearBranchSlope[n] * a[n, i] } }
            lambda = rows
        }
        func scaledOutputWeight(_ column: (Int) -> Double) -> Matrix<Double> {
            var scaled = w2
            scaled.multiplyEachRow(by: (0 ..< hidden).map(column))
            return scaled
        }
        let coefficient = { (n: Int, j: Int) in j <= self.degree ? self.coefficients[n, j] : 0 }
        // Constant and linear parts in t = x − μ.
        var kappa = block.outputBias
        let constantPerUnit = (0 ..< hidden).map { coefficient($0, 0) - coefficient($0, 2) }
        let unitConstants = w2.multiplied(by: constantPerUnit)
        for o in kappa.indices { kappa[o] += unitConstants[o] }
        var linear = degree >= 1
            ? scaledOutputWeight { coefficient($0, 1) }.multiplied(by: a)
            : Matrix(rows: block.outputCount, columns: d)
        if let lambda, let linearBranchCoefficients, degree >= 1 {
            linear.setProduct(scaledOutputWeight { linearBranchCoefficients[$0, 0] }, lambda, beta: 1)
        }
        var quadratic = [Matrix<Double>]()
        if degree == 2 {
            for o in 0 ..< block.outputCount {
                let weights = (0 ..< hidden).map { w2[o, $0] * coefficient($0, 2) }
                var scaledA = a
                scaledA.scaleRows(by: weights)
                var q = scaledA.multiplied(by: a, transposingSelf: true)
                if let lambda, let linearBranchCoefficients {
                    var scaledLambda = lambda
                    scaledLambda.scaleRows(by: (0 ..< hidden).map { w2[o, $0] * linearBranchCoefficients[$0, 1] / 2 })
                    q.setProduct(scaledLambda, a, transposingA: true, beta: 1)
                    q.setProduct(a, scaledLambda, transposingA: true, beta: 1)
                }
                quadratic.append(q)
            }
        }
        // Shift from t = x − μ to x.
        let mu = distribution.mean
        let linearTimesMean = linear.multiplied(by: mu)
        var constant = zip(kappa, linearTimesMean).map { $0 - $1 }
        for (o, q) in quadratic.enumerated() {
            let qMu = q.multiplied(by: mu)
            constant[o] += zip(mu, qMu).reduce(0) { $0 + $1.0 * $1.1 }
            for i in 0 ..< d { linear[o, i] -= 2 * qMu[i] }
        }
        return ExplicitPolynomial(constant: constant, linear: linear, quadratic: quadratic)
    }
}

extension Matrix where Scalar == Double {
    /// Multiplies row n by factors[n] (per-unit weights on the rows of a hidden × d matrix).
    mutating func scaleRows(by factors: [Double]) {
        precondition(factors.count == rows, "\(factors.count) factors for \(rows) rows")
        let (height, width) = (rows, columns)
        elements.withUnsafeMutableBufferPointer { buffer in
            for n in 0 ..< height { for i in 0 ..< width { buffer[n * width + i] *= factors[n] } }
        }
    }
}
