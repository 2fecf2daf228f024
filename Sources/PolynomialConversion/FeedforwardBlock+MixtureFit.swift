import LinearAlgebra

/// The least-squares linear approximation of a block under a Gaussian mixture.
public struct MixtureLinearFit: Sendable {
    /// The constant term of each output.
    public let constant: [Double]
    /// output × input: the linear coefficients in x.
    public let linear: Matrix<Double>
    /// Exact R² per output under the mixture (up to `totalErrorBound`).
    public let rSquared: [Double]
    /// Var fₒ under the mixture.
    public let totalVariance: [Double]
    /// A bound on the error of `totalVariance` (from each component's Mehler truncation).
    public let totalErrorBound: [Double]

    /// R² pooled over outputs: the fit's variance summed over outputs over the total variance
    /// summed over outputs, 1 when the outputs are constant (the rule of
    /// ``GaussianVarianceDecomposition/pooledRSquared(degree:)``).
    public var pooledRSquared: Double {
        let explained = zip(rSquared, totalVariance).reduce(0) { $0 + $1.0 * $1.1 }
        let variance = totalVariance.reduce(0, +)
        return variance > 0 ? explained / variance : 1
    }
}

extension FeedforwardBlock {
    /// The linear least-squares fit p(x) = a + Bx minimizing E‖f(x) − p(x)‖² for x drawn from
    /// `mixture`.
    ///
    /// Normal equations: B = Cov(f, x)·Cov(x)⁻¹ and a = E f − B·E x, with, per component k,
    /// E_k[f(x)(x − μₖ)ᵀ] = E_k[∇f]·Σₖ by Stein's lemma, so
    /// Cov(f, x) = Σₖ πₖ(Bₖ·Σₖ + f̄ₖ(μₖ − μ̄)ᵀ) where Bₖ = E_k[∇f] and f̄ₖ = E_k[f] are exact
    /// (the degree-1 approximant under component k). Var f = Σₖ πₖ(Var_k f + (f̄ₖ − f̄)²) uses
    /// each component's exact variance; the fit's variance is diag(B·Cov(x)·Bᵀ).
    /// - Throws: `DistributionError.notPositiveSemidefinite` if Cov(x) is singular (regularize
    ///   the components), and the errors of `PolynomialApproximant`.
    public func linearFit(under mixture: GaussianMixture) throws -> MixtureLinearFit {
        let center = mixture.mean
        let covariance = mixture.covariance
        var crossCovariance = Matrix<Double>(rows: outputCount, columns: inputDimension)
        var componentMeans = [[Double]](), componentVariances = [[Double]](), bounds = [[Double]]()
        for (weight, component) in zip(mixture.weights, mixture.components) {
            let approximant = try PolynomialApproximant(of: self, degree: 1, under: component)
            let explicit = try approximant.explicitCoefficients()
            let jacobian = explicit.linear  // E_k[∇f] at degree 1.
            let fBar = zip(explicit.constant, jacobian.multiplied(by: component.mean)).map { $0 + $1 }
            crossCovariance.setProduct(jacobian, component.covariance, alpha: weight, beta: 1)
            let shift = Matrix(rows: 1, columns: inputDimension, elements: zip(component.mean, center).map { $0 - $1 })
            crossCovariance.setProduct(Matrix(rows: outputCount, columns: 1, elements: fBar), shift, alpha: weight, beta: 1)
            let variance = try approximant.gaussianVariance()
            componentMeans.append(fBar)
            componentVariances.append(variance.total)
            bounds.append(variance.totalErrorBound)
        }
        let linear: Matrix<Double>
        do {
            linear = try covariance.choleskySolve(crossCovariance.transposed()).transposed()
        } catch {
            throw DistributionError.notPositiveSemidefinite(smallestEigenvalue: 0, largestEigenvalue: 0)
        }
        let overallMean = (0 ..< outputCount).map { o in zip(mixture.weights, componentMeans).reduce(0) { $0 + $1.0 * $1.1[o] } }
        let constant = zip(overallMean, linear.multiplied(by: center)).map { $0 - $1 }
        let fitVariance = PolynomialApproximant.quadraticForms(linear, covariance)
        var total = [Double](repeating: 0, count: outputCount), bound = total
        for (k, weight) in mixture.weights.enumerated() {
            for o in 0 ..< outputCount {
                let shift = componentMeans[k][o] - overallMean[o]
                total[o] += weight * (componentVariances[k][o] + shift * shift)
                bound[o] += weight * bounds[k][o]
            }
        }
        return MixtureLinearFit(constant: constant, linear: linear,
                                rSquared: zip(fitVariance, total).map { $1 > 0 ? $0 / $1 : 1 },
                                totalVariance: total, totalErrorBound: bound)
    }
}
