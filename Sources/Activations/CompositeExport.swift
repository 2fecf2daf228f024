// A composite approximation written as a list of stages for HE libraries and plain code.
//
// Every stage is a Chebyshev series on [-1, 1] (c_0 … c_d, odd, so c_0 = 0 and the libraries'
// constant-term conventions agree): stage 1 takes y = x/R, each later stage the previous
// stage's output, and the last stage's output is P ≈ sign(x/R). The activation is then
// ReLU = x·(1 + P)/2, |x| = x·P, or sign = P; max(a, b) = b + x·(1 + P)/2 with x = a − b and
// 2R in place of R (the NumPy and C functions take a and b). Lattigo's GenMinimaxCompositePolynomial returns
// stages in this same form ([][]*big.Float, each pre-scaled for [-1, 1]), and its
// minimax.NewPolynomial takes them as a list; OpenFHE has no composite call, so its snippet
// applies EvalChebyshevSeries stage by stage.

import Polynomials

/// A ``CompositeApproximation`` as code: the stages' Chebyshev coefficients and the final
/// combination with x.
public struct CompositeExport: Sendable {
    /// The composite.
    public let composite: CompositeApproximation

    /// Wraps a composite for export.
    public init(_ composite: CompositeApproximation) { self.composite = composite }

    /// The stages' coefficients c_0 … c_d (Chebyshev on [-1, 1], c_0 = 0).
    public var stageCoefficients: [[Double]] { composite.sign.stages.map(\.polynomial.coefficients) }

    /// The snippet for `format` (the same formats as ``ChebyshevSeriesExport``).
    public func text(_ format: ChebyshevSeriesExport.Format) -> String {
        switch format {
        case .openfhe: return openFHE
        case .lattigo: return lattigo
        case .numpy: return numpy
        case .c: return cSource
        }
    }

    private var r: String { ChebyshevSeriesExport.number(composite.radius) }
    /// D, the divisor of the stages' input: R, or 2R for max.
    private var d: String { ChebyshevSeriesExport.number(composite.inputRadius) }
    private var isMax: Bool { composite.kind == .max }

    private var title: String {
        "\(isMax ? "max(a, b) for a, b in" : "\(composite.kind.rawValue) on") [-\(r), \(r)] by a composite of \(composite.sign.stages.count) odd Chebyshev stages (degrees \(composite.sign.stages.map { String($0.degree) }.joined(separator: ", "))), certified max error \(composite.maxError)\(composite.kind == .sign ? " for |x| >= \(composite.band)" : ""), depth \(composite.depth)"
    }

    private var combination: String {
        switch composite.kind {
        case .relu: return "relu(x) = x*(1 + P)/2"
        case .abs: return "abs(x) = x*P"
        case .sign: return "sign(x) = P"
        case .max: return "max(a, b) = b + x*(1 + P)/2, x = a - b"
        }
    }

    private func list(_ values: [Double], open: String, close: String) -> String {
        open + values.map(ChebyshevSeriesExport.number).joined(separator: ", ") + close
    }

    private var lattigo: String {
        """
        // \(title)
        // Stages in order, each a Chebyshev series on [-1, 1] (constant term in full; 0 here):
        // stage 1 takes y = x/\(isMax ? "(2R)" : "R"), each later stage the previous output; P = last output, \(combination).
        // This is the form GenMinimaxCompositePolynomial returns; minimax.NewPolynomial
        // (circuits/ckks/minimax) takes the stages as decimal strings.
        stages := [][]string{
        \(stageCoefficients.map { "\t{" + $0.map { "\"\(ChebyshevSeriesExport.number($0))\"" }.joined(separator: ", ") + "}," }.joined(separator: "\n"))
        }
        composite := minimax.NewPolynomial(stages) // applied to ct' = \(isMax ? "(ctA - ctB)" : "ct") * (1/\(d)) after a rescale
        """
    }

    private var openFHE: String {
        """
        // \(title)
        // Stages in order, each for EvalChebyshevSeries(ct, c, -1, 1); c[0] = 0 (odd), so its
        // halved-constant convention changes nothing. y = x/\(isMax ? "(2R)" : "R") first; P = last output, \(combination).
        std::vector<std::vector<double>> stages = {
        \(stageCoefficients.map { list($0, open: "    {", close: "},") }.joined(separator: "\n"))
        };
        auto y = cc->EvalMult(\(isMax ? "cc->EvalSub(ciphertextA, ciphertextB)" : "ciphertext"), 1.0 / \(d));
        for (const auto& c : stages) y = cc->EvalChebyshevSeries(y, c, -1.0, 1.0);
        """
    }

    private var numpyCombination: String {
        switch composite.kind {
        case .relu: return "x * (1.0 + y) / 2.0"
        case .abs: return "x * y"
        case .sign: return "y"
        case .max: return "b + x * (1.0 + y) / 2.0"
        }
    }

    private var numpy: String {
        """
        # \(title)
        # Each stage is numpy.polynomial.chebyshev.chebval on [-1, 1]; y = x/D first (D = \(isMax ? "2R" : "R")), P = last output.
        import numpy as np
        from numpy.polynomial import chebyshev

        D = \(d)
        stages = [
        \(stageCoefficients.map { list($0, open: "    [", close: "],") }.joined(separator: "\n"))
        ]


        def approximation(\(isMax ? "a, b" : "x")):
            \(isMax ? "a = np.asarray(a, dtype=np.float64)\n    b = np.asarray(b, dtype=np.float64)\n    x = a - b" : "x = np.asarray(x, dtype=np.float64)")
            y = x / D
            for c in stages:
                y = chebyshev.chebval(y, c)
            return \(numpyCombination)
        """
    }

    private var cSource: String {
        let counts = stageCoefficients.map(\.count)
        let offsets = counts.indices.map { counts.prefix($0).reduce(0, +) }
        return """
        /* \(title)
           Stages in order, Chebyshev series on [-1, 1] evaluated by Clenshaw; y = x/D first (D = \(isMax ? "2R, x = a - b" : "R")). */
        static const double composite_c[\(counts.reduce(0, +))] = {
        \(stageCoefficients.map { list($0, open: "    ", close: ",") }.joined(separator: "\n"))
        };
        static const int composite_offset[\(counts.count)] = {\(offsets.map(String.init).joined(separator: ", "))};
        static const int composite_count[\(counts.count)] = {\(counts.map(String.init).joined(separator: ", "))};

        double approximation(\(isMax ? "double a, double b" : "double x")) {
            \(isMax ? "double x = a - b;\n    " : "")double y = x / \(d);
            for (int s = 0; s < \(counts.count); s++) {
                const double *c = composite_c + composite_offset[s];
                double b1 = 0.0, b2 = 0.0;
                for (int k = composite_count[s] - 1; k >= 1; k--) {
                    double b0 = c[k] + 2.0 * y * b1 - b2;
                    b2 = b1;
                    b1 = b0;
                }
                y = c[0] + y * b1 - b2;
            }
            return \(numpyCombination);
        }
        """
    }
}
