extension Polynomial {
    /// p′(x), in the same basis (degree one lower, at least a constant).
    ///
    /// Uses each family's derivative identity in t, times dt/dx = scale:
    /// monomial k·c_k; Chebyshev d_{k−1} = d_{k+1} + 2k·c_k (d_0 halved); He_k′ = k·He_{k−1};
    /// (He_k/√k!)′ = √k·He_{k−1}/√(k−1)!; Legendre d_k = (2k + 1)·Σ_{j>k, j−k odd} c_j.
    public func derivative() -> Polynomial {
        let n = degree
        guard n >= 1 else { return Polynomial(coefficients: [0], basis: basis) }
        var d = [Double](repeating: 0, count: n)
        switch basis.family {
        case .monomial:
            for k in 1 ... n { d[k - 1] = Double(k) * coefficients[k] }
        case .probabilistsHermite:
            for k in 1 ... n { d[k - 1] = Double(k) * coefficients[k] }
        case .normalizedHermite:
            for k in 1 ... n { d[k - 1] = Double(k).squareRoot() * coefficients[k] }
        case .chebyshev:
            var next = 0.0, nextNext = 0.0
            for k in stride(from: n, through: 1, by: -1) {
                let value = nextNext + 2 * Double(k) * coefficients[k]
                d[k - 1] = value
                nextNext = next
                next = value
            }
            d[0] /= 2
        case .legendre:
            // e_k = d_k/(2k + 1) satisfies e_k = c_{k+1} + e_{k+2}.
            var e = [Double](repeating: 0, count: n + 2)
            for k in stride(from: n - 1, through: 0, by: -1) {
                e[k] = coefficients[k + 1] + e[k + 2]
                d[k] = Double(2 * k + 1) * e[k]
            }
        }
        return Polynomial(coefficients: d.map { $0 * basis.scale }, basis: basis)
    }

    /// q(x) = p(a·x + b), exact: only the basis map changes (t = scale·(a·x + b) + offset).
    ///
    /// A negative overall scale is folded into the coefficients with p_k(−t) = (−1)^k·p_k(t), so
    /// intervals and Gaussians stay in their usual orientation.
    /// - Precondition: a ≠ 0, both finite.
    public func composed(withScale a: Double, offset b: Double) -> Polynomial {
        precondition(a.isFinite && a != 0 && b.isFinite, "Affine map x ↦ \(a)·x + \(b) must be finite and invertible")
        var scale = basis.scale * a
        var offset = basis.scale * b + basis.offset
        var c = coefficients
        if scale < 0 {
            scale = -scale
            offset = -offset
            for k in c.indices where k % 2 == 1 { c[k] = -c[k] }
        }
        return Polynomial(coefficients: c, basis: Basis(family: basis.family, scale: scale, offset: offset))
    }
}
