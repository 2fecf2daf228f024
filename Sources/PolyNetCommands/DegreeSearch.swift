import Activations
import ArgumentParser

/// The smallest degree whose fit meets a max-error bound.
enum DegreeSearch {
    /// Doubles the degree until the bound holds, then bisects between the last failure and the
    /// first success. Errors usually fall with the degree; where they do not (odd degrees of
    /// Chebyshev interpolation of ReLU) the result is a degree that meets the bound while the
    /// one below it does not.
    static func smallest(upTo limit: Int, meeting bound: Double,
                         fit: (Int) throws -> ActivationApproximation) throws -> ActivationApproximation {
        var failed = 0
        var degree = 1
        var success: ActivationApproximation?
        var lastError = Double.infinity
        while success == nil {
            let candidate = try fit(degree)
            lastError = candidate.targetedError
            if lastError <= bound {
                success = candidate
            } else if degree == limit {
                throw ApproxFailure("no degree ≤ \(limit) reaches max error \(bound); degree \(limit) gives \(lastError)")
            } else {
                failed = degree
                degree = min(2 * degree, limit)
            }
        }
        guard var best = success else { throw ApproxFailure("the degree search ended without a fit") }
        var high = degree
        while high - failed > 1 {
            let middle = (failed + high) / 2
            let candidate = try fit(middle)
            if candidate.targetedError <= bound {
                high = middle
                best = candidate
            } else {
                failed = middle
            }
        }
        return best
    }
}
