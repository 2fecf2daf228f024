import LinearAlgebra

/// Σ-inner products between the units' directions: ρₙₙ′ = ⟨aₙ, aₙ′⟩ with aₙ = wₙ/sₙ and, for a
/// GLU, Pₙₙ′ = ⟨aₙ, λₙ′⟩ and Λₙₙ′ = ⟨λₙ, λₙ′⟩ with λₙ = vₙ − βₙaₙ (the part of the linear
/// branch independent of uₙ). Formed from W₁ΣW₁ᵀ, W₁ΣVᵀ and VΣVᵀ by gemm.
struct UnitGram {
    /// ρ (hidden × hidden), 1 on the diagonal (0 for degenerate units).
    var correlation: Matrix<Double>
    /// GLU only: P, Pᵀ and Λ.
    var crossing: Matrix<Double>?
    var crossingTransposed: Matrix<Double>?
    var linearResidual: Matrix<Double>?

    /// γₙ² = Λₙₙ = Var(lₙ) − βₙ² for a GLU, `nil` for an MLP.
    var linearResidualVariance: [Double]? {
        linearResidual.map { lambda in (0 ..< lambda.rows).map { Swift.max(lambda[$0, $0], 0) } }
    }

    init(moments: UnitMoments, block: FeedforwardBlock) {
        let inverse = moments.standardDeviation.map { $0 > 0 ? 1 / $0 : 0 }
        let hidden = inverse.count
        var rho = moments.inputWeightTimesCovariance.multiplied(by: block.inputWeight, transposingOther: true)
        for n in 0 ..< hidden {
            for m in 0 ..< hidden { rho[n, m] *= inverse[n] * inverse[m] }
            rho[n, n] = moments.standardDeviation[n] > 0 ? 1 : 0
        }
        correlation = rho
        guard let linearBranch = block.linearBranch, let vSigma = moments.linearWeightTimesCovariance else { return }
        let beta = moments.linearBranchSlope
        // AVₙₙ′ = ⟨aₙ, vₙ′⟩.
        var av = moments.inputWeightTimesCovariance.multiplied(by: linearBranch.weight, transposingOther: true)
        for n in 0 ..< hidden { for m in 0 ..< hidden { av[n, m] *= inverse[n] } }
        var lambda = vSigma.multiplied(by: linearBranch.weight, transposingOther: true)
        var p = av
        for n in 0 ..< hidden {
            for m in 0 ..< hidden {
                p[n, m] -= beta[m] * rho[n, m]
                lambda[n, m] += -beta[m] * av[m, n] - beta[n] * av[n, m] + beta[n] * beta[m] * rho[n, m]
            }
            p[n, n] = 0  // ⟨aₙ, λₙ⟩ = 0 by construction.
        }
        crossing = p
        crossingTransposed = p.transposed()
        linearResidual = lambda
    }

    /// Sets K = Σ_{j ∈ degrees} Kⱼ (see `PolynomialApproximant+GaussianVariance.swift`), one row
    /// at a time with the powers ρʲ kept in row buffers.
    func fillKernel(_ kernel: inout Matrix<Double>, series: NormalizedSeries, degrees: ClosedRange<Int>) {
        let hidden = correlation.rows
        var power = [Double](repeating: 1, count: hidden)   // ρʲ⁻¹ on entry to degree j
        var previous = [Double](repeating: 0, count: hidden)  // ρʲ⁻²
        var row = [Double](repeating: 0, count: hidden)
        for n in 0 ..< hidden {
            for m in 0 ..< hidden { (power[m], previous[m], row[m]) = (1, 0, 0) }
            correlation.elements.withUnsafeBufferPointer { rhoAll in
                series.hermite.elements.withUnsafeBufferPointer { dAll in
                    let rho = rhoAll.baseAddress! + n * hidden
                    for j in 1 ... degrees.upperBound {
                        let d = dAll.baseAddress! + j * hidden
                        let dn = d[n]
                        let accumulate = j >= degrees.lowerBound
                        if let linearSeries = series.linear, let p = crossing, let pt = crossingTransposed, let lambda = linearResidual {
                            let e = linearSeries.row(j)
                            let en = e[n]
                            let inverseJ = 1 / Double(j)
                            let jMinusOne = Double(j - 1)
                            for m in 0 ..< hidden {
                                let p1 = power[m], p2 = previous[m]
                                let p0 = p1 * rho[m]
                                if accumulate {
                                    let pnm = p[n, m], pmn = pt[n, m]
                                    row[m] += dn * d[m] * p0
                                        + p1 * (dn * e[m] * pnm + en * d[m] * pmn)
                                        + en * e[m] * inverseJ * (p1 * lambda[n, m] + jMinusOne * p2 * pmn * pnm)
                                }
                                previous[m] = p1
                                power[m] = p0
                            }
                        } else {
                            for m in 0 ..< hidden {
                                let p0 = power[m] * rho[m]
                                if accumulate { row[m] += dn * d[m] * p0 }
                                power[m] = p0
                            }
                        }
                    }
                }
            }
            // In place: mutating `elements` from another module copies the whole buffer.
            kernel.withUnsafeMutableElements { target in
                row.withUnsafeBufferPointer { (target.baseAddress! + n * hidden).update(from: $0.baseAddress!, count: hidden) }
            }
        }
    }

    /// κₙₙ′: |ρₙₙ′| for an MLP; for a GLU the largest singular value of the cross-Gram matrix of
    /// orthonormal bases {aₙ, λₙ/γₙ} and {aₙ′, λₙ′/γₙ′} (the cosine of the smallest principal angle).
    func principalCosine(_ n: Int, _ m: Int, gamma: [Double]?) -> Double {
        let r = correlation[n, m]
        guard let gamma, let p = crossing, let lambda = linearResidual else { return Swift.abs(r) }
        let gn = gamma[n] > 0 ? 1 / gamma[n] : 0, gm = gamma[m] > 0 ? 1 / gamma[m] : 0
        let (a, b, c, d) = (r, p[n, m] * gm, p[m, n] * gn, lambda[n, m] * gn * gm)
        let t = a * a + b * b + c * c + d * d
        let det = a * d - b * c
        let largest = ((t + Swift.max(t * t - 4 * det * det, 0).squareRoot()) / 2).squareRoot()
        return Swift.min(largest, 1)
    }

    /// Bounds |Var fₒ − total[o]| by Σ_{n≠n′} |W₂[o,n]W₂[o,n′]|·κₙₙ′^{J+1}·τₙτₙ′: first with the
    /// largest κ (no gemm); when that is above 10⁻⁹ of the variance, pair by pair (one gemm).
    func tailBound(outputWeight w2: Matrix<Double>, tails: [Double], order: Int, total: [Double],
                   scratch: inout Matrix<Double>) -> [Double] {
        let hidden = tails.count
        let gamma = linearResidualVariance.map { $0.map { $0.squareRoot() } }
        var largest = 0.0
        for n in 0 ..< hidden where tails[n] > 0 {
            for m in 0 ..< hidden where m != n && tails[m] > 0 { largest = Swift.max(largest, principalCosine(n, m, gamma: gamma)) }
        }
        let factor = Double.pow(largest, Double(order + 1))
        let coarse = (0 ..< w2.rows).map { o in
            var sum = 0.0, squares = 0.0
            for n in 0 ..< hidden {
                let x = Swift.abs(w2[o, n]) * tails[n]
                sum += x
                squares += x * x
            }
            return factor * Swift.max(sum * sum - squares, 0)
        }
        guard zip(coarse, total).contains(where: { $0 > 1e-9 * Swift.abs($1) }) else { return coarse }
        for n in 0 ..< hidden {
            for m in 0 ..< hidden {
                scratch[n, m] = m == n ? 0 : Double.pow(principalCosine(n, m, gamma: gamma), Double(order + 1)) * tails[n] * tails[m]
            }
        }
        return PolynomialApproximant.quadraticForms(w2.map { Swift.abs($0) }, scratch)
    }
}
