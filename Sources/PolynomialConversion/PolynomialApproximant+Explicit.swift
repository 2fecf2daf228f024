import LinearAlgebra

/// The approximant written out in x: p(x) = constant + linear·x + xᵀ·Q·x per output.
public struct ExplicitPolynomial: Sendable, Equatable {
    /// The constant term of each output.
    public var constant: [Double]
    /// output × input: the linear coefficients (in x, not in whitened coordinates).
    public var linear: Matrix<Double>
    /// One symmetric input × input matrix Q per output (empty below degree 2).
    public var quadratic: [Matrix<Double>]

    /// p(x) = constant + linear·x + xᵀQ_o x per output o (`quadratic` empty for a linear p).
    public init(constant: [Double], linear: Matrix<Double>, quadratic: [Matrix<Double>]) {
        precondition(constant.count == linear.rows && (quadratic.isEmpty || quadratic.count == linear.rows),
                     "\(constant.count) constants, \(linear.rows)×\(linear.columns) linear terms, \(quadratic.count) quadratic forms")
        precondition(quadratic.allSatisfy { $0.rows == linear.columns && $0.columns == linear.columns },
                     "Quadratic forms must be \(linear.columns)×\(linear.columns)")
        self.constant = constant
        self.linear = linear
        self.quadratic = quadratic
    }

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
    /// The number of coefficients `explicitCoefficients()` returns: o·(1 + d + d²) at degree 2
    /// (o·(1 + d) without the quadratic part).
    public func explicitCoefficientCount(includingQuadratic: Bool = true) -> Int {
        let (o, d) = (block.outputCount, block.inputDimension)
        return o * (1 + d + (degree >= 2 && includingQuadratic ? d * d : 0))
    }

    /// Throws `ConversionError.explicitTooLarge` when ``explicitCoefficientCount(includingQuadratic:)``
    /// exceeds `limit` (checked before any of them is formed).
    public func checkExplicitSize(includingQuadratic: Bool = true, limit: Int) throws {
        let count = explicitCoefficientCount(includingQuadratic: includingQuadratic)
        guard count <= limit else { throw ConversionError.explicitTooLarge(numbers: count, limit: limit) }
    }

    /// The constant, linear and quadratic coefficients in x of an approximant of degree ≤ 2.
    ///
    /// With t = x − μ, aₙ = wₙ/sₙ (so uₙ = aₙ·t) and, for a GLU, λₙ = vₙ − βₙaₙ (so λ̃ₙ = λₙ·t),
    /// He₂(u) = u² − 1 gives, per output o with yₙ = W₂[o, n]:
    ///   p = κ + Lᵀt + tᵀQt,  κ = b₂ + Σ yₙ(dₙ₀ − dₙ₂),  L = Σ yₙ(dₙ₁aₙ + cₙ₀λₙ),
    ///   Q = Σ yₙ(dₙ₂aₙaₙᵀ + cₙ₁(λₙaₙᵀ + aₙλₙᵀ)/2),
    /// then in x: linear = L − 2Qμ, constant = κ − L·μ + μᵀQμ (Qμ and μᵀQμ are formed without
    /// Q). At degree 1 the linear term is B = W₂·diag(E[σ′(h)])·W₁, the average Jacobian
    /// (Stein's lemma), for any Gaussian; at μ = 0, Q = ½W₁ᵀ·diag(W₂[o,:] ⊙ E[σ″(h)])·W₁.
    ///
    /// - Parameters:
    ///   - includingQuadratic: form the o matrices Q (O(o·n·d²)); without it only the
    ///     constant and linear terms are returned (O(o·n·d)).
    ///   - limit: the largest number of coefficients to form.
    /// - Throws: `ConversionError.unsupportedDegree` above degree 2 (the explicit form would be
    ///   a tensor of order k; use the factorized form), `.explicitTooLarge` when
    ///   `explicitCoefficientCount` exceeds `limit`.
    public func explicitCoefficients(includingQuadratic: Bool = true, limit: Int = .max) throws -> ExplicitPolynomial {
        guard degree <= 2 else {
            throw ConversionError.unsupportedDegree(degree, supported: 0 ... 2,
                                                    reason: "explicit coefficients are written out up to degree 2; use the factorized form for higher degrees")
        }
        try checkExplicitSize(includingQuadratic: includingQuadratic, limit: limit)
        let terms = explicitTerms()
        let (hidden, w2, a, lambda) = (block.hiddenCount, block.outputWeight, terms.a, terms.lambda)
        let mu = distribution.mean
        let zeros = [Double](repeating: 0, count: hidden)
        func hermite(_ j: Int) -> [Double] { j <= degree ? coefficients.column(j) : zeros }
        func weighted(_ factors: [Double]) -> Matrix<Double> {
            var scaled = w2
            scaled.multiplyEachRow(by: factors)
            return scaled
        }
        let (d0, d1, d2, e0, e1, halfE1) = (hermite(0), hermite(1), terms.d2, terms.e0, terms.e1, terms.halfE1)
        let aMu = a.multiplied(by: mu), lambdaMu = lambda.multiplied(by: mu)
        // Centred terms κ and L, then Qμ and μᵀQμ.
        let kappa = zip(block.outputBias, w2.multiplied(by: zip(d0, d2).map { $0 - $1 })).map { $0 + $1 }
        var centredLinear = weighted(d1).multiplied(by: a)
        centredLinear.setProduct(weighted(e0), lambda, beta: 1)
        var alongA = [Double](repeating: 0, count: hidden), alongLambda = alongA, quadraticForm = alongA
        for n in 0 ..< hidden {
            alongA[n] = d2[n] * aMu[n] + halfE1[n] * lambdaMu[n]
            alongLambda[n] = halfE1[n] * aMu[n]
            quadraticForm[n] = (d2[n] * aMu[n] + e1[n] * lambdaMu[n]) * aMu[n]
        }
        var qMu = weighted(alongA).multiplied(by: a)
        qMu.setProduct(weighted(alongLambda), lambda, beta: 1)
        let muQMu = w2.multiplied(by: quadraticForm)
        let linear = centredLinear - 2 * qMu
        let constant = (0 ..< block.outputCount).map { o in
            kappa[o] - zip(centredLinear.row(o), mu).reduce(0) { $0 + $1.0 * $1.1 } + muQMu[o]
        }
        let quadratic = degree == 2 && includingQuadratic
            ? (0 ..< block.outputCount).map { terms.quadraticForm(output: $0, weights: w2, isGated: block.isGated) }
            : []
        return ExplicitPolynomial(constant: constant, linear: linear, quadratic: quadratic)
    }

    /// The symmetric matrix Q of output `output` in p = constant + linear·x + xᵀQx (see
    /// ``explicitCoefficients(includingQuadratic:limit:)``), formed alone: writing the d² numbers
    /// of each output in turn never holds all o·d² of them.
    /// - Throws: `ConversionError.unsupportedDegree` unless the degree is 2.
    /// - Precondition: `output` is in 0..<outputCount.
    /// - Complexity: O(n·d²).
    public func quadraticCoefficients(output: Int) throws -> Matrix<Double> {
        guard degree == 2 else {
            throw ConversionError.unsupportedDegree(degree, supported: 2 ... 2, reason: "only a degree-2 approximant has quadratic forms")
        }
        precondition((0 ..< block.outputCount).contains(output), "output \(output) of \(block.outputCount)")
        return explicitTerms().quadraticForm(output: output, weights: block.outputWeight, isGated: block.isGated)
    }

    /// aₙ = wₙ/sₙ, λₙ and the Hermite coefficients the explicit form is built from.
    private func explicitTerms() -> ExplicitTerms {
        let (hidden, d) = (block.hiddenCount, block.inputDimension)
        // Rows aₙ = wₙ/sₙ (0 for degenerate units) and, for a GLU, λₙ = vₙ − βₙaₙ.
        var a = block.inputWeight
        a.scaleRows(by: preactivationStandardDeviation.map { $0 > 0 ? 1 / $0 : 0 })
        var lambda = Matrix<Double>(rows: hidden, columns: d)
        if let branch = block.linearBranch {
            lambda = branch.weight
            for n in 0 ..< hidden { for i in 0 ..< d { lambda[n, i] -= linearBranchSlope[n] * a[n, i] } }
        }
        let zeros = [Double](repeating: 0, count: hidden)
        func branch(_ j: Int) -> [Double] { j < degree ? linearBranchCoefficients?.column(j) ?? zeros : zeros }
        let e1 = branch(1)
        return ExplicitTerms(a: a, lambda: lambda, d2: degree >= 2 ? coefficients.column(2) : zeros, e0: branch(0), e1: e1,
                             halfE1: e1.map { $0 / 2 })
    }
}

/// The per-unit quantities of ``PolynomialApproximant/explicitCoefficients(includingQuadratic:limit:)``.
private struct ExplicitTerms {
    var a: Matrix<Double>
    var lambda: Matrix<Double>
    var d2: [Double]
    var e0: [Double]
    var e1: [Double]
    var halfE1: [Double]

    /// Q_o = Σ yₙ(dₙ₂aₙaₙᵀ + cₙ₁(λₙaₙᵀ + aₙλₙᵀ)/2) with yₙ = W₂[o, n].
    func quadraticForm(output o: Int, weights w2: Matrix<Double>, isGated: Bool) -> Matrix<Double> {
        let hidden = a.rows
        var scaledA = a
        scaledA.scaleRows(by: (0 ..< hidden).map { w2[o, $0] * d2[$0] })
        var q = scaledA.multiplied(by: a, transposingSelf: true)
        if isGated {
            var scaledLambda = lambda
            scaledLambda.scaleRows(by: (0 ..< hidden).map { w2[o, $0] * halfE1[$0] })
            q.setProduct(scaledLambda, a, transposingA: true, beta: 1)
            q.setProduct(a, scaledLambda, transposingA: true, beta: 1)
        }
        return q
    }
}

extension Matrix where Scalar == Double {
    /// Multiplies row n by factors[n] (per-unit weights on the rows of a hidden × d matrix).
    mutating func scaleRows(by factors: [Double]) {
        precondition(factors.count == rows, "\(factors.count) factors for \(rows) rows")
        let (height, width) = (rows, columns)
        withUnsafeMutableElements { buffer in
            for n in 0 ..< height { for i in 0 ..< width { buffer[n * width + i] *= factors[n] } }
        }
    }
}
