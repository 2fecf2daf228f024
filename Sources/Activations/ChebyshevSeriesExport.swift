// A fit written for homomorphic-encryption libraries and plain evaluation code.
//
// PolyNet keeps p(x) = Σ_{k=0}^{n} c_k·T_k(t), t = (2x − a − b)/(b − a), with the constant
// term in full. The libraries differ only in c_0:
// - OpenFHE's EvalChebyshevSeries(ct, coefficients, a, b) evaluates c_0/2 + Σ_{k≥1} c_k·T_k(t)
//   (GSL's cheb_eval convention; its EvalChebyshevCoefficients returns coefficients that way),
//   so the exported c_0 is doubled.
// - Lattigo v6's bignum.NewPolynomial(bignum.Chebyshev, coeffs, [2]float64{a, b}) takes the
//   full constant: Polynomial.Evaluate in utils/bignum/polynomial.go starts from y = coeffs[0]
//   and adds coeffs[i]·T_i(t) with t = 2/(b − a)·x + (−a − b)/(b − a) (ChangeOfBasis), and
//   utils/bignum/chebyshev_approximation.go divides c_0 by n where the others are divided by
//   n/2 (tuneinsight/lattigo, commit c1fd095f of 2026-02-02). Its polynomial evaluator
//   (circuits/ckks/polynomial/polynomial_evaluator.go) consumes ⌈log₂(n + 1)⌉ levels and leaves
//   the change of basis ct′ = scalar·ct + constant from ChangeOfBasis() to the caller (1 level).
// - The NumPy and C snippets run Clenshaw's recurrence on t with the full constant.
// Coefficients are printed in Swift's shortest round-trip form, so they read back exactly.

import Polynomials

/// A polynomial fit in the Chebyshev basis on [a, b], written for OpenFHE, Lattigo, NumPy or C.
///
/// ```swift
/// let fit = try Activation.gelu.approximation(.init(method: .minimax, degree: 15, interval: -8 ... 8))
/// print(try ChebyshevSeriesExport(fit).text(.openfhe))
/// ```
public struct ChebyshevSeriesExport: Sendable {
    /// The target of an export.
    public enum Format: String, Sendable, CaseIterable {
        /// C++ for OpenFHE's `EvalChebyshevSeries` (c_0 doubled).
        case openfhe
        /// Go for Lattigo v6's `bignum.NewPolynomial(bignum.Chebyshev, …)` (c_0 in full).
        case lattigo
        /// A self-contained NumPy function (Clenshaw on the mapped variable).
        case numpy
        /// A self-contained C function (Clenshaw on the mapped variable).
        case c
    }

    /// What was fitted, for the snippet's comment (`exp(x) ≈ minimax, degree 15 on [-8, 0]`).
    public let title: String
    /// c_0 … c_n of p(x) = Σ c_k·T_k(t) with the full constant term.
    public let coefficients: [Double]
    /// [a, b]; t = (2x − a − b)/(b − a).
    public let interval: ClosedRange<Double>
    /// OpenFHE's Chebyshev Paterson–Stockmeyer cost, the range map included.
    public let cost: EvaluationCost
    /// The fit's max error on the interval.
    public let maxError: Double

    /// The fit in the Chebyshev basis on its interval (converted exactly from the monomial basis
    /// of Taylor fits and the Hermite basis of Gaussian fits).
    /// - Throws: ``/Polynomials/PolynomialError/unsupported(_:)`` for Padé and rational minimax (a quotient
    ///   p/q is not one Chebyshev series), ``/Polynomials/PolynomialError/nonFiniteResult(quantity:)`` when
    ///   the conversion overflows Double.
    public init(_ fit: ActivationApproximation) throws {
        guard fit.denominator == nil else {
            throw PolynomialError.unsupported("\(fit.method.rawValue) gives a quotient p/q, which is not one Chebyshev series; export a polynomial method (minimax, chebyshev, …)")
        }
        let chebyshev = fit.polynomial.converted(to: .chebyshev(on: fit.interval))
        guard chebyshev.coefficients.allSatisfy(\.isFinite) else {
            throw PolynomialError.nonFiniteResult(quantity: "a Chebyshev coefficient of the degree-\(fit.degree) fit on the range")
        }
        title = "\(fit.activation) ≈ \(fit.method.rawValue) polynomial of degree \(fit.degree) on [\(Self.number(fit.interval.lowerBound)), \(Self.number(fit.interval.upperBound))], max error \(fit.errors.maxError)"
        coefficients = chebyshev.coefficients
        interval = fit.interval
        cost = EvaluationCost.chebyshevPatersonStockmeyer(degree: fit.degree, needsAffineMap: fit.needsAffineMap)
        maxError = fit.errors.maxError
    }

    /// The coefficients OpenFHE's `EvalChebyshevSeries` takes: 2c_0, c_1, …, c_n.
    public var openFHECoefficients: [Double] {
        var c = coefficients
        c[0] *= 2
        return c
    }

    /// The snippet for `format`.
    public func text(_ format: Format) -> String {
        switch format {
        case .openfhe: return openFHE
        case .lattigo: return lattigo
        case .numpy: return numpy
        case .c: return cSource
        }
    }

    private var a: String { Self.number(interval.lowerBound) }
    private var b: String { Self.number(interval.upperBound) }
    /// Lattigo's levels: ⌈log₂(n + 1)⌉ for the polynomial, plus the change of basis.
    public var lattigoDepth: Int {
        EvaluationCost.optimalDepth(degree: coefficients.count - 1) + (interval == -1 ... 1 ? 0 : 1)
    }

    private var depthLine: String {
        "depth \(cost.depth) (\(cost.scheme), \(cost.nonScalarMultiplications) non-scalar products\(interval == -1 ... 1 ? "" : ", 1 level for the map onto [-1, 1] included"))"
    }

    private func list(_ values: [Double], indent: String, perLine: Int = 4) -> String {
        stride(from: 0, to: values.count, by: perLine).map { start in
            indent + values[start ..< Swift.min(start + perLine, values.count)].map(Self.number).joined(separator: ", ") + ","
        }.joined(separator: "\n")
    }

    private var openFHE: String {
        """
        // \(title)
        // OpenFHE EvalChebyshevSeries(ct, coefficients, a, b) evaluates c[0]/2 + sum_{k>=1} c[k]*T_k(t),
        // t = (2x - a - b)/(b - a): c[0] below is twice the constant term. Consumes \(depthLine).
        std::vector<double> coefficients = {
        \(list(openFHECoefficients, indent: "    "))
        };
        double a = \(a), b = \(b);
        auto result = cc->EvalChebyshevSeries(ciphertext, coefficients, a, b);
        """
    }

    private var lattigo: String {
        """
        // \(title)
        // Lattigo v6: bignum.Polynomial evaluates coeffs[0] + sum_{k>=1} coeffs[k]*T_k(t),
        // t = 2/(b - a)*x + (-a - b)/(b - a) (utils/bignum/polynomial.go): the constant term in full.
        // Depth \(lattigoDepth): ceil(log2(n + 1)) = \(EvaluationCost.optimalDepth(degree: coefficients.count - 1)) for polynomial.Evaluator.Evaluate\(interval == -1 ... 1 ? "" : ", plus 1 for the change of basis, which Evaluate leaves to the caller").
        coeffs := []float64{
        \(list(coefficients, indent: "\t"))
        }
        poly := bignum.NewPolynomial(bignum.Chebyshev, coeffs, [2]float64{\(a), \(b)})
        scalar, constant := poly.ChangeOfBasis()
        // ct' = scalar*ct + constant maps [a, b] onto [-1, 1] (eval is a *ckks.Evaluator):
        if err := eval.Mul(ct, scalar, ct); err != nil { panic(err) }
        if err := eval.Add(ct, constant, ct); err != nil { panic(err) }
        if err := eval.Rescale(ct, ct); err != nil { panic(err) }
        polyEval := polynomial.NewEvaluator(params, eval) // circuits/ckks/polynomial
        out, err := polyEval.Evaluate(ct, poly, ct.Scale)
        """
    }

    private var numpy: String {
        """
        # \(title)
        # p(x) = c[0] + sum_{k>=1} c[k]*T_k(t), t = (2x - a - b)/(b - a), by Clenshaw's recurrence
        # (the same as numpy.polynomial.chebyshev.chebval(t, c)).
        import numpy as np

        a, b = \(a), \(b)
        c = np.array([
        \(list(coefficients, indent: "    "))
        ])


        def approximation(x):
            t = (2.0 * np.asarray(x, dtype=np.float64) - a - b) / (b - a)
            b1 = np.zeros_like(t)
            b2 = np.zeros_like(t)
            for ck in c[:0:-1]:
                b1, b2 = ck + 2.0 * t * b1 - b2, b1
            return c[0] + t * b1 - b2
        """
    }

    private var cSource: String {
        """
        /* \(title)
           p(x) = c[0] + sum_{k>=1} c[k]*T_k(t), t = (2x - a - b)/(b - a), by Clenshaw's recurrence. */
        static const double approximation_a = \(a), approximation_b = \(b);
        static const double approximation_c[\(coefficients.count)] = {
        \(list(coefficients, indent: "    "))
        };

        double approximation(double x) {
            double t = (2.0 * x - approximation_a - approximation_b) / (approximation_b - approximation_a);
            double b1 = 0.0, b2 = 0.0;
            for (int k = \(coefficients.count - 1); k >= 1; k--) {
                double b0 = approximation_c[k] + 2.0 * t * b1 - b2;
                b2 = b1;
                b1 = b0;
            }
            return approximation_c[0] + t * b1 - b2;
        }
        """
    }

    /// A Double in Swift's shortest round-trip form, valid in C, C++, Go and Python
    /// (`0.5`, `-8.0`, `1e-05`).
    static func number(_ value: Double) -> String { "\(value)" }
}
