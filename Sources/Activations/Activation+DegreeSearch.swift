import Polynomials

extension Activation {
    /// The fit of the smallest degree whose error meets `bound`: the max absolute error, or the
    /// relative error for a relative-error minimax request (``ActivationApproximation/targetedError``).
    ///
    /// The degree runs from 1 up to `limit` (default: the method's
    /// ``ApproximationMethod/maximumDegree``) by ``/Polynomials/Polynomial/smallestDegree(upTo:meeting:error:fit:)``;
    /// `request.degree` is ignored.
    ///
    /// ```swift
    /// let fit = try Activation.sigmoid.approximation(.init(method: .minimax, degree: 0, interval: -8 ... 8), meeting: 1e-3)
    /// fit.degree, fit.errors.maxError       // the smallest degree, its error ≤ 1e-3
    /// ```
    /// - Throws: ``ActivationError/invalidErrorBound(_:)``; for an absolute bound below
    ///   ``smallestResolvableError(on:)`` ``ActivationError/boundBelowResolution(activation:bound:floor:interval:)``;
    ///   ``/Polynomials/PolynomialError/boundNotReached(bound:limit:achieved:)``; fitting errors.
    public func approximation(_ request: ApproximationRequest, meeting bound: Double, upToDegree limit: Int? = nil) throws -> ActivationApproximation {
        guard bound > 0, bound.isFinite else { throw ActivationError.invalidErrorBound(bound) }
        if !request.relativeError {
            let floor = try smallestResolvableError(on: request.interval)
            guard bound >= floor else {
                throw ActivationError.boundBelowResolution(activation: name, bound: bound, floor: floor, interval: request.interval)
            }
        }
        var request = request
        let limit = Swift.max(1, Swift.min(limit ?? request.method.maximumDegree, request.method.maximumDegree))
        return try Polynomial.smallestDegree(upTo: limit, meeting: bound, error: \.targetedError) { degree in
            request.degree = degree
            return try approximation(request)
        }
    }
}

extension ApproximationRequest {
    /// The interval a fit uses when none is given: μ ± 3σ for the `gaussian` method, else
    /// [-6, 6].
    /// - Throws: ``ActivationError/defaultIntervalNotFinite(lower:upper:)`` when μ ± 3σ is not
    ///   a finite non-empty interval.
    public static func defaultInterval(for method: ApproximationMethod,
                                       gaussian: (mean: Double, standardDeviation: Double)?) throws -> ClosedRange<Double> {
        guard method == .gaussian, let gaussian else { return -6 ... 6 }
        let (low, high) = (gaussian.mean - 3 * gaussian.standardDeviation, gaussian.mean + 3 * gaussian.standardDeviation)
        guard low.isFinite, high.isFinite, low < high else { throw ActivationError.defaultIntervalNotFinite(lower: low, upper: high) }
        return low ... high
    }
}
