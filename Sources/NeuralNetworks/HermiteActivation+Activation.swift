import Activations
import LinearAlgebra

extension HermiteActivation {
    /// The polynomial of coefficient set `set` (0 for a per-layer activation, the channel for a
    /// per-channel one) as an `Activation`: F(x) = Σ_k c_k·He_k(x)/k! in Double, its derivative
    /// F′ = Σ_{k≥1} c_k·He_{k−1}/(k−1)! (the basis is closed under differentiation) and its exact
    /// Gaussian projection (a polynomial of degree d; see ``/Activations/Activation/polynomial(name:degree:value:derivative:)``).
    ///
    /// ```swift
    /// let layer = HermiteActivation<Float>(degree: 3)
    /// let f = layer.activation()            // hermite(deg=3) as an Activation
    /// f.polynomialDegree                    // 3
    /// ```
    /// - Precondition: `set` is in 0..<`sharing.rows`.
    public func activation(set: Int = 0) -> Activation {
        precondition((0 ..< sharing.rows).contains(set), "Coefficient set \(set) of \(sharing.rows)")
        let c = coefficients.row(set).map { Double($0) }
        let name = sharing == .perLayer ? specification : "\(specification)[\(set)]"
        return .polynomial(name: name, degree: degree, value: { x in Self.scaledHermiteSum(c, at: x) },
                           derivative: { x in Self.scaledHermiteSum(Array(c.dropFirst()), at: x) })
    }

    /// Σ_k a_k·He_k(x)/k! by the recurrence φ_k = (x·φ_{k−1} − φ_{k−2})/k.
    static func scaledHermiteSum(_ a: [Double], at x: Double) -> Double {
        guard let first = a.first else { return 0 }
        var (previous, current, total) = (0.0, 1.0, first)
        for k in a.indices.dropFirst() {
            (previous, current) = (current, (x * current - previous) / Double(k))
            total += a[k] * current
        }
        return total
    }
}
