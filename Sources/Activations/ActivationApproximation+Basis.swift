import Polynomials

/// A fit's polynomial written in another basis, with the conditioning of the change.
public struct BasisConversion: Sendable {
    /// The polynomial in the requested basis.
    public var polynomial: Polynomial
    /// Conditioning of the change (nil when the basis is the fit's own); for monomials,
    /// ``/Polynomials/Polynomial/ConversionReport/digitsLost`` says how many digits evaluation loses.
    public var report: Polynomial.ConversionReport?
}

extension ActivationApproximation {
    /// The fit in the basis `family` (nil: the method's own): monomials in x, Chebyshev or
    /// Legendre on the interval, Hermite for the fit's Gaussian (N(0, 1) when it has none).
    ///
    /// ```swift
    /// let monomial = try fit.inBasis(.monomial)
    /// monomial.report?.digitsLost     // decimal digits Double evaluation loses
    /// ```
    /// - Throws: ``ActivationError/basisNotAvailable(method:basis:reason:)`` for Padé outside
    ///   the monomial basis and rational minimax outside the Chebyshev basis;
    ///   ``/Polynomials/PolynomialError/conversionOverflow(degree:target:)``.
    public func inBasis(_ family: Polynomial.Basis.Family?) throws -> BasisConversion {
        if method == .pade, let family, family != .monomial {
            throw ActivationError.basisNotAvailable(method: method.rawValue, basis: family.rawValue,
                                                    reason: "pade writes numerator and denominator as monomials in (x − center)")
        }
        if method == .rationalMinimax, let family, family != .chebyshev {
            throw ActivationError.basisNotAvailable(method: method.rawValue, basis: family.rawValue,
                                                    reason: "rational-minimax writes numerator and denominator in the Chebyshev basis on the range")
        }
        guard let family, family != polynomial.basis.family || family == .monomial && polynomial.basis != .monomial,
              denominator == nil else {
            return BasisConversion(polynomial: polynomial, report: nil)
        }
        let gaussian = self.gaussian ?? (0, 1)
        let target: Polynomial.Basis
        switch family {
        case .monomial: target = .monomial
        case .chebyshev: target = .chebyshev(on: interval)
        case .legendre: target = .legendre(on: interval)
        case .probabilistsHermite: target = .probabilistsHermite(mean: gaussian.mean, standardDeviation: gaussian.standardDeviation)
        case .normalizedHermite:
            target = .normalizedHermite(mean: gaussian.mean, standardDeviation: gaussian.standardDeviation)
        }
        let report = try polynomial.conversionReport(to: target, on: interval)
        return BasisConversion(polynomial: polynomial.converted(to: target), report: report)
    }
}
