import Activations
import LinearAlgebra

/// The Gaussian moments of each hidden unit's inputs: pre-activation mean and standard
/// deviation, and for a GLU the linear branch's mean and its slope along the standardized
/// pre-activation. See `PolynomialApproximant.swift` for the expansion they feed.
struct UnitMoments: Sendable {
    var mean: [Double]
    var standardDeviation: [Double]
    var linearBranchMean: [Double]
    var linearBranchSlope: [Double]
    var inputWeightTimesCovariance: Matrix<Double>
    var linearWeightTimesCovariance: Matrix<Double>?

    /// sₙ² at or below this multiple of ‖wₙ‖²·max Σᵢᵢ is rounding of an exact zero: the unit
    /// is constant (d·ε with d ≤ 10⁴ stays below it).
    static let degenerateVarianceRatio = 1e-12

    init(block: FeedforwardBlock, distribution: GaussianDistribution) {
        let isStandard = distribution.covariance == .identity(distribution.dimension)
        func timesCovariance(_ w: Matrix<Double>) -> Matrix<Double> {
            isStandard ? w : w.multiplied(by: distribution.covariance)
        }
        let largestVariance = (0 ..< distribution.dimension).map { distribution.covariance[$0, $0] }.max() ?? 0
        let w = block.inputWeight
        let wSigma = timesCovariance(w)
        mean = zip(w.multiplied(by: distribution.mean), block.inputBias).map { $0 + $1 }
        standardDeviation = (0 ..< w.rows).map { n in
            let variance = Self.rowDot(wSigma, w, n)
            let norm = Self.rowDot(w, w, n)
            return variance > Self.degenerateVarianceRatio * norm * largestVariance ? variance.squareRoot() : 0
        }
        inputWeightTimesCovariance = wSigma
        if let linearBranch = block.linearBranch {
            let vSigma = timesCovariance(linearBranch.weight)
            linearBranchMean = zip(linearBranch.weight.multiplied(by: distribution.mean), linearBranch.bias).map { $0 + $1 }
            let deviation = standardDeviation
            linearBranchSlope = (0 ..< w.rows).map { n in
                deviation[n] > 0 ? Self.rowDot(vSigma, w, n) / deviation[n] : 0
            }
            linearWeightTimesCovariance = vSigma
        } else {
            linearBranchMean = []
            linearBranchSlope = []
            linearWeightTimesCovariance = nil
        }
    }

    /// Σᵢ a[n, i]·b[n, i].
    static func rowDot(_ a: Matrix<Double>, _ b: Matrix<Double>, _ n: Int) -> Double {
        var sum = 0.0
        for i in 0 ..< a.columns { sum += a[n, i] * b[n, i] }
        return sum
    }

    /// ĉₙⱼ = E[σ(mₙ + sₙZ)·Heⱼ(Z)]/√j! for j ≤ `degree` (hidden × (degree+1)), the
    /// coefficients in the orthonormal basis Heⱼ/√j! (cₙⱼ = ĉₙⱼ/√j!).
    func normalizedActivationCoefficients(_ activation: Activation, degree: Int) throws -> Matrix<Double> {
        var c = Matrix<Double>(rows: mean.count, columns: degree + 1)
        for n in mean.indices {
            let row: [Double]
            if standardDeviation[n] > 0 {
                do {
                    row = try activation.normalizedHermiteCoefficients(mean: mean[n], standardDeviation: standardDeviation[n],
                                                                       degree: degree)
                } catch {
                    throw ConversionError.projectionFailed(unit: n, mean: mean[n], standardDeviation: standardDeviation[n],
                                                           reason: "\(error)")
                }
            } else {
                row = [activation.value(mean[n])] + [Double](repeating: 0, count: degree)
            }
            for (j, value) in row.enumerated() { c[n, j] = value }
        }
        return c
    }

    /// The unit expansion truncated at total degree k: dₙⱼ (j ≤ k) and, for a GLU, cₙⱼ
    /// (j ≤ k − 1) multiplying the independent part λ̃ₙ of the linear branch.
    func expansion(of activation: Activation, degree k: Int) throws -> (hermite: Matrix<Double>, linear: Matrix<Double>?) {
        var (d, e) = try normalizedExpansion(of: activation, degree: k)
        // Divide column j by √j! (d̂) and by √(j+1)! (ê), progressively: no factorial is formed.
        var scale = 1.0
        for j in 0 ... k {
            if j > 0 { scale /= Double(j).squareRoot() }
            for n in 0 ..< d.rows { d[n, j] *= scale }
        }
        guard var linear = e else { return (d, nil) }
        scale = 1.0
        for j in 0 ..< k {
            scale /= Double(j + 1).squareRoot()
            for n in 0 ..< linear.rows { linear[n, j] *= scale }
        }
        return (d, linear)
    }

    /// The same expansion in the orthonormal basis, for high degrees (the Mehler sums of the
    /// exact variance): d̂ₙⱼ = √j!·dₙⱼ (j ≤ k) and, for a GLU, êₙⱼ = √(j+1)!·cₙⱼ (j ≤ k − 1).
    /// From dⱼ = m·cⱼ + β·(cⱼ₋₁ + (j+1)·cⱼ₊₁): d̂ⱼ = m·ĉⱼ + β·(√j·ĉⱼ₋₁ + √(j+1)·ĉⱼ₊₁), and
    /// êⱼ = √(j+1)·ĉⱼ.
    func normalizedExpansion(of activation: Activation, degree k: Int) throws -> (hermite: Matrix<Double>, linear: Matrix<Double>?) {
        guard linearWeightTimesCovariance != nil else {
            return (try normalizedActivationCoefficients(activation, degree: k), nil)
        }
        let c = try normalizedActivationCoefficients(activation, degree: k + 1)
        var d = Matrix<Double>(rows: mean.count, columns: k + 1)
        var e = Matrix<Double>(rows: mean.count, columns: k)
        for n in mean.indices {
            for j in 0 ... k {
                let below = j > 0 ? Double(j).squareRoot() * c[n, j - 1] : 0
                d[n, j] = linearBranchMean[n] * c[n, j] + linearBranchSlope[n] * (below + Double(j + 1).squareRoot() * c[n, j + 1])
                if j < k { e[n, j] = Double(j + 1).squareRoot() * c[n, j] }
            }
        }
        return (d, e)
    }
}

extension UnitMoments {
    /// The exact variance of each hidden unit, Var σ(hₙ) for an MLP and Var(σ(hₙ)·lₙ) for a
    /// GLU, from the 1-D moments Sᵢ = E[σ(hₙ)²·uₙⁱ] (i ≤ 2) of the squared activation (its
    /// Gaussian projection, checked quadrature split at the activation's kinks):
    /// E[g²] = m_l²S₀ + 2m_lβS₁ + β²S₂ + γ²S₀ with γ² = Var(lₙ) − β².
    func unitVariances(_ activation: Activation, means: [Double], linearResidualVariance: [Double]?) throws -> [Double] {
        let squared = Activation(name: "(\(activation.name))²", value: { x in
            let y = activation.value(x)
            return y * y
        }, kinks: activation.kinks)
        return try mean.indices.map { n in
            var s = [activation.value(mean[n]) * activation.value(mean[n]), 0, 0]
            if standardDeviation[n] > 0 {
                do {
                    let c = try squared.probabilistsHermiteCoefficients(mean: mean[n], standardDeviation: standardDeviation[n], degree: 2)
                    s = [c[0], c[1], 2 * c[2] + c[0]]  // u = He₁, u² = He₂ + 1.
                } catch {
                    throw ConversionError.projectionFailed(unit: n, mean: mean[n], standardDeviation: standardDeviation[n],
                                                           reason: "second moment: \(error)")
                }
            }
            guard let linearResidualVariance else { return Swift.max(s[0] - means[n] * means[n], 0) }
            let (ml, beta) = (linearBranchMean[n], linearBranchSlope[n])
            let secondMoment = ml * ml * s[0] + 2 * ml * beta * s[1] + beta * beta * s[2] + linearResidualVariance[n] * s[0]
            return Swift.max(secondMoment - means[n] * means[n], 0)
        }
    }
}
