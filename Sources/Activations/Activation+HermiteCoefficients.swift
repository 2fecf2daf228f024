// Gaussian Hermite projection: c_j = E[f(μ + σZ)·He_j(Z)] / j!, Z ~ N(0, 1).
//
// Closed forms (Stein's lemma). Let G(μ) = E[f(μ + σZ)] be f smoothed by the Gaussian. Then
// E[f(μ + σZ)·He_n(Z)] = σⁿ·E[f⁽ⁿ⁾(μ + σZ)] = σⁿ·G⁽ⁿ⁾(μ), so c_n = σⁿ·G⁽ⁿ⁾(μ)/n!: the Hermite
// coefficients are the Taylor coefficients of the smoothed function in units of σ.
// • Ramp R(x) = x·Φ(x/τ) (τ = 0: ReLU, τ = 1: GELU). With r = √(σ² + τ²), t = μ/r:
//   G(μ) = μ·Φ(t) + σ²·φ(t)/r, G′(μ) = Φ(t) + (τ²/r²)·t·φ(t), and for n ≥ 2
//   G⁽ⁿ⁾(μ) = r^{1−n}·(−1)ⁿ·φ(t)·[He_{n−2}(t) − (τ²/r²)·He_n(t)]
//   (from φ⁽ᵏ⁾ = (−1)ᵏ·He_k·φ and the recurrence He_n = t·He_{n−1} − (n−1)·He_{n−2}).
// • Sign = 2H − 1 with t = μ/σ: G = 2Φ(t) − 1 and c_n = 2·(−1)^{n−1}·He_{n−1}(t)·φ(t)/n!.
// • |x| = 2·ReLU(x) − x; leaky ReLU = slope·x + (1 − slope)·ReLU(x).
// Everything is computed in the orthonormal basis h_j = He_j/√j! (ĉ_j = √j!·c_j), where the
// coefficients keep their size at any degree; c_j = ĉ_j/√j! is formed only at the end.
// h_k(t) comes from the forward recurrence h_{k+1} = (t·h_k − √k·h_{k−1})/√(k+1), which never
// forms k! (stable: He is the dominant solution of its recurrence).
//
// Everything else uses quadrature in the normalized basis h_j = He_j/√j!, with each node's
// recurrence started at √wᵢ so that tiny weights times huge polynomial values stay accurate.
// Smooth activations: Gauss–Hermite with doubling node counts until two rules agree. Kinked or
// hard cases (ELU, custom kinks, σ much wider than f's features): composite Gauss–Legendre in
// z, split at the kinks, halving the panel width until two agree.

import Polynomials
import RealModule

extension Activation {
    /// The largest degree ``probabilistsHermiteCoefficients(mean:standardDeviation:degree:)`` accepts.
    public static let maximumHermiteDegree = 1000

    /// The coefficients of the best polynomial approximation of f in L²(N(μ, σ²)), in the
    /// probabilists' Hermite basis of the standardized variable:
    /// f(μ + σz) ≈ Σ_{j≤degree} c_j·He_j(z) with c_j = E[f(μ + σZ)·He_j(Z)] / j!.
    ///
    /// ReLU, leaky ReLU, GELU, |x|, sign and the identity use closed forms (exact to rounding);
    /// other activations use quadrature checked for convergence (agreement to 1e-12 relative to
    /// the size of f's coefficients in the orthonormal basis).
    ///
    /// ```swift
    /// let c = try Activation.relu.probabilistsHermiteCoefficients(mean: 0, standardDeviation: 1, degree: 4)
    /// // [1/√(2π), 1/2, φ(0)/2, 0, −φ(0)/24]
    /// ```
    /// - Throws: ``ActivationError`` for σ ≤ 0, a non-finite mean, a degree outside
    ///   0...``maximumHermiteDegree``, or quadrature that does not converge.
    /// - Complexity: O(degree) for closed forms; O(nodes·degree) evaluations otherwise.
    public func probabilistsHermiteCoefficients(mean: Double, standardDeviation: Double, degree: Int) throws -> [Double] {
        Self.unnormalized(try normalizedHermiteCoefficients(mean: mean, standardDeviation: standardDeviation,
                                                            degree: degree))
    }

    /// The same projection in the orthonormal basis He_j/√j!: ĉ_j = √j!·c_j =
    /// E[f(μ + σZ)·He_j(Z)]/√j!.
    ///
    /// Use it for high degrees: c_j shrinks like 1/√j! and leaves Double's range near j = 170
    /// (and √j! overflows past j = 300), while ĉ_j stays of the size of f's variance share
    /// at degree j. Computed directly (closed forms and quadrature both work in this basis),
    /// never through c_j.
    /// - Throws: as ``probabilistsHermiteCoefficients(mean:standardDeviation:degree:)``.
    public func normalizedHermiteCoefficients(mean: Double, standardDeviation: Double, degree: Int) throws -> [Double] {
        guard mean.isFinite else { throw ActivationError.invalidMean(mean) }
        guard standardDeviation > 0, standardDeviation.isFinite else {
            throw ActivationError.invalidStandardDeviation(standardDeviation)
        }
        guard (0 ... Self.maximumHermiteDegree).contains(degree) else {
            throw ActivationError.invalidDegree(degree, maximum: Self.maximumHermiteDegree)
        }
        let (mu, sigma) = (mean, standardDeviation)
        let c: [Double]
        switch projection {
        case let .ramp(width, slope):
            var ramp = Self.rampCoefficients(mean: mu, standardDeviation: sigma, width: width, degree: degree)
            for j in ramp.indices { ramp[j] *= 1 - slope }
            ramp[0] += slope * mu
            if degree >= 1 { ramp[1] += slope * sigma }
            c = ramp
        case .absoluteValue:
            var ramp = Self.rampCoefficients(mean: mu, standardDeviation: sigma, width: 0, degree: degree)
            for j in ramp.indices { ramp[j] *= 2 }
            ramp[0] -= mu
            if degree >= 1 { ramp[1] -= sigma }
            c = ramp
        case .sign:
            c = Self.signCoefficients(mean: mu, standardDeviation: sigma, degree: degree)
        case .quadrature:
            c = try quadratureCoefficients(mean: mu, standardDeviation: sigma, degree: degree)
        case let .polynomial(polynomialDegree):
            c = try exactPolynomialCoefficients(mean: mu, standardDeviation: sigma, degree: degree,
                                                polynomialDegree: polynomialDegree)
        }
        if let j = c.firstIndex(where: { !$0.isFinite }) {
            throw ActivationError.nonFiniteCoefficient(activation: name, degree: j, mean: mean, standardDeviation: standardDeviation)
        }
        return c
    }

    /// c_j = ĉ_j/√j!, dividing progressively so that no factorial is formed.
    static func unnormalized(_ a: [Double]) -> [Double] {
        var scale = 1.0
        return a.indices.map { j in
            if j > 0 { scale /= Double(j).squareRoot() }
            return a[j] * scale
        }
    }

    /// h_k(t) = He_k(t)/√k! for k = 0…count−1, by h_{k+1} = (t·h_k − √k·h_{k−1})/√(k+1)
    /// (He is the dominant solution of its recurrence, so the forward recurrence is stable).
    private static func normalizedHermite(_ t: Double, count: Int) -> [Double] {
        var h = [Double](repeating: 0, count: Swift.max(count, 2))
        h[0] = 1
        h[1] = t
        if count > 2 {
            for k in 1 ..< count - 1 { h[k + 1] = (t * h[k] - Double(k).squareRoot() * h[k - 1]) / Double(k + 1).squareRoot() }
        }
        return h
    }

    /// Normalized coefficients of R(x) = x·Φ(x/τ) (τ = 0: ReLU) under N(μ, σ²); see the file
    /// header: ĉ_n = r·(σ/r)ⁿ·(−1)ⁿ·φ(t)·[h_{n−2}(t)/√(n(n−1)) − (τ²/r²)·h_n(t)] for n ≥ 2.
    private static func rampCoefficients(mean mu: Double, standardDeviation sigma: Double, width tau: Double,
                                         degree: Int) -> [Double] {
        // r = √(σ² + τ²) by hypot and σ²/r as σ·(σ/r): no overflow for σ near 1e300 and no
        // underflow to r = 0 (then t = 0/0) for σ near 1e-300.
        let r = Double.hypot(sigma, tau)
        let t = mu / r
        let density = normalDensity(t)
        let smoothing = (tau / r) * (tau / r)
        var c = [Double](repeating: 0, count: degree + 1)
        c[0] = mu * normalCDF(t) + sigma * (sigma / r) * density
        guard degree >= 1 else { return c }
        c[1] = sigma * (normalCDF(t) + smoothing * t * density)
        // Far in a tail φ(t) underflows: the smoothed ramp is affine there to within it.
        guard degree >= 2, density > 0 else { return c }
        let h = normalizedHermite(t, count: degree + 1)
        var power = r * (sigma / r) * (sigma / r) // r·(σ/r)ⁿ, n = 2
        for n in 2 ... degree {
            let sign: Double = n % 2 == 0 ? 1 : -1
            c[n] = power * sign * density * (h[n - 2] / (Double(n) * Double(n - 1)).squareRoot() - smoothing * h[n])
            power *= sigma / r
        }
        return c
    }

    /// Normalized coefficients of sign(x) under N(μ, σ²): ĉ_n = 2·(−1)^{n−1}·φ(t)·h_{n−1}(t)/√n.
    private static func signCoefficients(mean mu: Double, standardDeviation sigma: Double, degree: Int) -> [Double] {
        let t = mu / sigma
        let density = normalDensity(t)
        var c = [Double](repeating: 0, count: degree + 1)
        c[0] = 2 * normalCDF(t) - 1
        guard degree >= 1, density > 0 else { return c }
        let h = normalizedHermite(t, count: degree)
        for n in 1 ... degree {
            let sign: Double = (n - 1) % 2 == 0 ? 1 : -1
            c[n] = 2 * sign * h[n - 1] * density / Double(n).squareRoot()
        }
        return c
    }
}
