import LinearAlgebra
import NeuralNetworks
import Polynomials

/// Layer normalization with its division replaced: y = γ ⊙ (x − μ)·g(v) + β per row, where
/// μ and v = mean((x − μ)²) + ε are the row's mean and variance and g ≈ 1/√v is a Chebyshev
/// series p on [a, b] followed by `newtonSteps` steps y ← y·(3 − v·y²)/2 (an
/// ``InverseSquareRoot``), so the layer adds and multiplies only.
///
/// Parameters: `weight` γ and `bias` β (`LayerNorm`'s PyTorch names), `coefficients` [n + 1]
/// and `interval` [2] of p, so a checkpoint carries the whole layer and
/// `polynomial-layernorm(width,deg=n,newton=s,eps=ε)` rebuilds it. Backward: with c = x − μ,
/// s = Σⱼ ∂yⱼ·γⱼ·cⱼ and g′ = dg/dv, ∂cᵢ = ∂yᵢ·γᵢ·g(v) + s·g′(v)·2cᵢ/n and
/// ∂x = ∂c − mean(∂c); ∂θ = s·(∂g/∂p)·∂p/∂θ for the coefficients and interval ends θ, with
/// ∂g/∂p the product of the Newton steps' slopes (3 − 3v·y²)/2.
public struct PolynomialLayerNorm<Scalar: BLASScalar>: Layer {
    /// The scale γ, one row.
    public var weight: Matrix<Scalar>
    /// The shift β, one row.
    public var bias: Matrix<Scalar>
    /// The coefficients c₀…cₙ of p and its interval [a, b], each as one row.
    public var coefficients: Matrix<Scalar>
    /// The interval [a, b] of p, one row.
    public var bounds: Matrix<Scalar>
    /// The gradient of γ, after backward.
    public var weightGradient: Matrix<Scalar>
    /// The gradient of β, after backward.
    public var biasGradient: Matrix<Scalar>
    /// The gradient of p's coefficients, after backward.
    public var coefficientGradient: Matrix<Scalar>
    /// The gradient of p's interval ends, after backward.
    public var boundsGradient: Matrix<Scalar>
    /// The constant ε added to the variance.
    public let epsilon: Scalar
    /// Newton steps after p.
    public let newtonSteps: Int

    /// A layer with `layerNorm`'s γ, β and ε and `inverse` in place of 1/√v.
    public init(_ layerNorm: LayerNorm<Scalar>, inverse: InverseSquareRoot) {
        let interval = inverse.polynomial.basis.interval
        self.init(weight: layerNorm.weight, bias: layerNorm.bias, epsilon: layerNorm.epsilon,
                  coefficients: inverse.polynomial.coefficients.map { Scalar($0) },
                  interval: [Scalar(interval.lowerBound), Scalar(interval.upperBound)], newtonSteps: inverse.newtonSteps)
    }

    /// A layer from its parts: γ and β as rows of the same width, p's coefficients and interval.
    /// - Precondition: matching widths, at least one coefficient, two interval ends, 0 or more steps.
    public init(weight: Matrix<Scalar>, bias: Matrix<Scalar>, epsilon: Scalar, coefficients: [Scalar], interval: [Scalar],
                newtonSteps: Int) {
        precondition(weight.rows == 1 && bias.rows == 1 && weight.columns == bias.columns,
                     "PolynomialLayerNorm: weight \(weight.rows)×\(weight.columns), bias \(bias.rows)×\(bias.columns)")
        precondition(!coefficients.isEmpty && interval.count == 2 && newtonSteps >= 0,
                     "PolynomialLayerNorm: \(coefficients.count) coefficients, \(interval.count) interval ends, \(newtonSteps) steps")
        self.weight = weight
        self.bias = bias
        self.coefficients = Matrix(rows: 1, columns: coefficients.count, elements: coefficients)
        bounds = Matrix(rows: 1, columns: 2, elements: interval)
        weightGradient = Matrix(rows: 1, columns: weight.columns)
        biasGradient = Matrix(rows: 1, columns: weight.columns)
        coefficientGradient = Matrix(rows: 1, columns: coefficients.count)
        boundsGradient = Matrix(rows: 1, columns: 2)
        self.epsilon = epsilon
        self.newtonSteps = newtonSteps
    }

    /// The degree of p.
    public var degree: Int { coefficients.columns - 1 }

    public var inputWidth: Int? { weight.columns }
    public func outputWidth(forInputWidth width: Int) -> Int { width }
    public var specification: String {
        "polynomial-layernorm(\(weight.columns),deg=\(degree),newton=\(newtonSteps)"
            + (epsilon == 1e-5 ? ")" : ",eps=\(epsilon))")
    }
    public var parameterInfo: [ParameterInfo] {
        [ParameterInfo(name: "weight", shape: [weight.columns]), ParameterInfo(name: "bias", shape: [weight.columns]),
         ParameterInfo(name: "coefficients", shape: [coefficients.columns]), ParameterInfo(name: "interval", shape: [2])]
    }

    /// Checks that the interval of v is finite, positive and increasing.
    public func checkParameters() throws {
        let (a, b) = (Double(bounds[0, 0]), Double(bounds[0, 1]))
        guard a.isFinite, b.isFinite, a > 0, a < b else {
            throw LayerError.invalidParameter(name: "interval", reason: "must be positive and increasing, got [\(a), \(b)]")
        }
    }

    /// What one row needs: its centred values, v, t, g(v), g′(v) and ∂g/∂p.
    private struct RowState {
        var centred: [Double]
        var variance: Double
        var t: Double
        var scale: Double
        var slope: Double
        var sensitivity: Double
    }

    private func rowState(_ input: Matrix<Scalar>, _ row: Int, series c: [Double], slopeSeries d: [Double]) -> RowState {
        let width = input.columns
        var mean = 0.0
        for j in 0 ..< width { mean += Double(input[row, j]) }
        mean /= Double(width)
        let centred = (0 ..< width).map { Double(input[row, $0]) - mean }
        let v = centred.reduce(0) { $0 + $1 * $1 } / Double(width) + Double(epsilon)
        let (a, b) = (Double(bounds[0, 0]), Double(bounds[0, 1]))
        let t = ChebyshevSeriesEvaluation.mapped(v, from: a, to: b)
        var y = ChebyshevSeriesEvaluation.value(c, at: t)
        var slope = ChebyshevSeriesEvaluation.value(d, at: t) * 2 / (b - a)
        var sensitivity = 1.0
        for _ in 0 ..< newtonSteps {
            let inner = 3 - v * y * y
            // d/dv [y(3 − v y²)/2] = ((3 − v y²)·y′ + y·(−y² − 2v·y·y′))/2; ∂/∂y = (3 − 3v y²)/2.
            sensitivity *= (3 - 3 * v * y * y) / 2
            (y, slope) = (y * inner / 2, (inner * slope + y * (-y * y - 2 * v * y * slope)) / 2)
        }
        return RowState(centred: centred, variance: v, t: t, scale: y, slope: slope, sensitivity: sensitivity)
    }

    @_specialize(where Scalar == Float)
    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        precondition(input.columns == weight.columns, "\(specification) got a \(input.rows)×\(input.columns) input")
        output.ensureShape(rows: input.rows, columns: input.columns)
        let c = coefficients.elements.map(Double.init)
        let d = ChebyshevSeriesEvaluation.derivative(c)
        for row in 0 ..< input.rows {
            let state = rowState(input, row, series: c, slopeSeries: d)
            for j in state.centred.indices {
                output[row, j] = Scalar(Double(weight[0, j]) * state.centred[j] * state.scale + Double(bias[0, j]))
            }
        }
    }

    @_specialize(where Scalar == Float)
    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        let width = input.columns
        inputGradient.ensureShape(rows: input.rows, columns: width)
        let c = coefficients.elements.map(Double.init)
        let d = ChebyshevSeriesEvaluation.derivative(c)
        let (a, b) = (Double(bounds[0, 0]), Double(bounds[0, 1]))
        var (coefficientSum, lowerSum, upperSum) = ([Double](repeating: 0, count: c.count), 0.0, 0.0)
        for row in 0 ..< input.rows {
            let state = rowState(input, row, series: c, slopeSeries: d)
            var s = 0.0
            for j in 0 ..< width {
                let upstream = Double(outputGradient[row, j])
                weightGradient[0, j] += Scalar(upstream * state.centred[j] * state.scale)
                biasGradient[0, j] += Scalar(upstream)
                s += upstream * Double(weight[0, j]) * state.centred[j]
            }
            // ∂loss/∂p(t) for this row, then through p to its coefficients and interval.
            let throughSeries = s * state.sensitivity
            ChebyshevSeriesEvaluation.accumulateBasis(throughSeries, at: state.t, into: &coefficientSum)
            let dpdt = ChebyshevSeriesEvaluation.value(d, at: state.t)
            let (dta, dtb) = ChebyshevSeriesEvaluation.intervalSlopes(state.variance, from: a, to: b)
            lowerSum += throughSeries * dpdt * dta
            upperSum += throughSeries * dpdt * dtb
            guard needsInputGradient else { continue }
            let gradient = (0 ..< width).map { i in
                Double(outputGradient[row, i]) * Double(weight[0, i]) * state.scale
                    + s * state.slope * 2 * state.centred[i] / Double(width)
            }
            let mean = gradient.reduce(0, +) / Double(width)
            for i in 0 ..< width { inputGradient[row, i] = Scalar(gradient[i] - mean) }
        }
        for k in c.indices { coefficientGradient[0, k] += Scalar(coefficientSum[k]) }
        boundsGradient[0, 0] += Scalar(lowerSum)
        boundsGradient[0, 1] += Scalar(upperSum)
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        body(&weight, &weightGradient)
        body(&bias, &biasGradient)
        body(&coefficients, &coefficientGradient)
        body(&bounds, &boundsGradient)
    }
}
