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
// He_k(t)/k! is computed by the forward recurrence e_{k+1} = (t·e_k − e_{k−1})/(k + 1), which
// never forms k! (stable: He is the dominant solution of its recurrence).
//
// Everything else uses quadrature in the normalized basis h_j = He_j/√j!, with each node's
// recurrence started at √wᵢ so that tiny weights times huge polynomial values stay accurate.
// Smooth activations: Gauss–Hermite with doubling node counts until two rules agree. Kinked or
// hard cases (ELU, custom kinks, σ much wider than f's features): composite Gauss–Legendre in
// z, split at the kinks, halving the panel width until two agree.

import Polynomials
import RealModule

extension Activation {
    /// The largest degree ``hermiteCoefficients(mean:standardDeviation:degree:)`` accepts.
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
    /// let c = try Activation.relu.hermiteCoefficients(mean: 0, standardDeviation: 1, degree: 4)
    /// // [1/√(2π), 1/2, φ(0)/2, 0, −φ(0)/24]
    /// ```
    /// - Throws: ``ActivationError`` for σ ≤ 0, a non-finite mean, a degree outside
    ///   0...``maximumHermiteDegree``, or quadrature that does not converge.
    /// - Complexity: O(degree) for closed forms; O(nodes·degree) evaluations otherwise.
    public func hermiteCoefficients(mean: Double, standardDeviation: Double, degree: Int) throws -> [Double] {
        guard mean.isFinite else { throw ActivationError.invalidMean(mean) }
        guard standardDeviation > 0, standardDeviation.isFinite else {
            throw ActivationError.invalidStandardDeviation(standardDeviation)
        }
        guard (0 ... Self.maximumHermiteDegree).contains(degree) else {
            throw ActivationError.invalidDegree(degree, maximum: Self.maximumHermiteDegree)
        }
        let (mu, sigma) = (mean, standardDeviation)
        switch projection {
        case let .ramp(width, slope):
            var c = Self.rampCoefficients(mean: mu, standardDeviation: sigma, width: width, degree: degree)
            for j in c.indices { c[j] *= 1 - slope }
            c[0] += slope * mu
            if degree >= 1 { c[1] += slope * sigma }
            return c
        case .absoluteValue:
            var c = Self.rampCoefficients(mean: mu, standardDeviation: sigma, width: 0, degree: degree)
            for j in c.indices { c[j] *= 2 }
            c[0] -= mu
            if degree >= 1 { c[1] -= sigma }
            return c
        case .sign:
            return Self.signCoefficients(mean: mu, standardDeviation: sigma, degree: degree)
        case .quadrature:
            return try quadratureCoefficients(mean: mu, standardDeviation: sigma, degree: degree)
        }
    }

    /// He_k(t)/k! for k = 0…count−1.
    private static func scaledHermite(_ t: Double, count: Int) -> [Double] {
        var e = [Double](repeating: 0, count: Swift.max(count, 2))
        e[0] = 1
        e[1] = t
        if count > 2 { for k in 1 ..< count - 1 { e[k + 1] = (t * e[k] - e[k - 1]) / Double(k + 1) } }
        return e
    }

    /// Coefficients of R(x) = x·Φ(x/τ) (τ = 0: ReLU) under N(μ, σ²); see the file header.
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
        guard degree >= 2 else { return c }
        let e = scaledHermite(t, count: degree + 1)
        var power = r * (sigma / r) * (sigma / r) // r·(σ/r)ⁿ, n = 2
        for n in 2 ... degree {
            let sign: Double = n % 2 == 0 ? 1 : -1
            c[n] = power * sign * density * (e[n - 2] / Double(n * (n - 1)) - smoothing * e[n])
            power *= sigma / r
        }
        return c
    }

    /// Coefficients of sign(x) under N(μ, σ²); see the file header.
    private static func signCoefficients(mean mu: Double, standardDeviation sigma: Double, degree: Int) -> [Double] {
        let t = mu / sigma
        let density = normalDensity(t)
        var c = [Double](repeating: 0, count: degree + 1)
        c[0] = 2 * normalCDF(t) - 1
        guard degree >= 1 else { return c }
        let e = scaledHermite(t, count: degree)
        for n in 1 ... degree {
            let sign: Double = (n - 1) % 2 == 0 ? 1 : -1
            c[n] = 2 * sign * e[n - 1] * density / Double(n)
        }
        return c
    }
}
