import Polynomials

/// A fitted approximation of an activation with its error report, notes and evaluation cost.
public struct ActivationApproximation: Sendable {
    /// The activation's name.
    public var activation: String
    /// The request that produced this fit.
    public var method: ApproximationMethod
    /// The polynomial degree (numerator degree for Padé).
    public var degree: Int
    /// The polynomial (for Padé: the numerator).
    public var polynomial: Polynomial
    /// The denominator, for Padé and rational minimax.
    public var denominator: Polynomial?
    /// For Padé and rational minimax with a non-constant q of one sign on the range: Newton
    /// steps for 1/q in homomorphic evaluation
    /// (``/Polynomials/EvaluationCost/newtonInverseSteps(denominatorRange:relativeError:)``), sized so the
    /// inverse adds at most 1% of the fit's max error.
    public var newtonSteps: Int?
    /// The interval the fit and error report refer to.
    public var interval: ClosedRange<Double>
    /// The Gaussian of a `gaussian` fit, or the one given for the Gaussian RMS error.
    public var gaussian: (mean: Double, standardDeviation: Double)?
    /// For (rational) minimax: the de la Vallée-Poussin lower bound on the best possible error.
    public var lowerBound: Double?
    /// For relative-error minimax: max |f − p|/|f| on the range (the certificate's upper end;
    /// ``lowerBound`` is then a bound on the best relative error).
    public var relativeError: Double?
    /// The error a degree search compares with its target: ``relativeError`` when fitted, else
    /// the max absolute error.
    public var targetedError: Double { relativeError ?? errors.maxError }
    /// For (rational) minimax: exchange iterations used.
    public var iterations: Int?
    /// Errors on, under and outside the interval.
    public var errors: ApproximationErrorReport
    /// Warnings and remarks (missed kinks, poles, monomial conditioning).
    public var notes: [String]

    /// The approximation's value at x.
    public func callAsFunction(_ x: Double) -> Double {
        guard let denominator else { return polynomial(x) }
        return polynomial(x) / denominator(x)
    }

    /// Whether evaluating needs the map from [a, b] onto [-1, 1] (one extra level in HE).
    public var needsAffineMap: Bool { interval != -1 ... 1 }

    /// Horner on monomials and OpenFHE-style Paterson–Stockmeyer on Chebyshev coefficients; for
    /// a rational with a non-constant q (Padé, rational minimax), numerator, denominator, Newton
    /// inverse and total
    /// (``/Polynomials/EvaluationCost/rational(numeratorDegree:denominatorDegree:newtonSteps:needsAffineMap:)``).
    public var costs: [EvaluationCost] {
        if let newtonSteps, let denominator, denominator.degree > 0 {
            return EvaluationCost.rational(numeratorDegree: degree, denominatorDegree: denominator.degree,
                                           newtonSteps: newtonSteps, needsAffineMap: needsAffineMap)
        }
        return [EvaluationCost.horner(degree: degree),
         EvaluationCost.chebyshevPatersonStockmeyer(degree: degree, needsAffineMap: needsAffineMap)]
    }
}
