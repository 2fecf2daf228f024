import LinearAlgebra
import NeuralNetworks
import Polynomials

/// A fixed polynomial applied to every element: the add/multiply-only replacement of a
/// nonlinearity, a Chebyshev series Σₖ cₖ·Tₖ(t), t = (2x − a − b)/(b − a), on the interval
/// [a, b] its inputs were measured on.
///
/// The coefficients and the interval are parameters (`coefficients` [n + 1], `interval` [2]),
/// so a checkpoint of the polynomial network carries them and `chebyshev(deg=n)` rebuilds the
/// layer; in a Float network they are held (and evaluated from) as Float. Evaluated in Double
/// by Clenshaw's recurrence; outside its interval the polynomial is evaluated as it is, which
/// is what an encrypted evaluation would compute too. Backward: ∂x = ∂y·p′(x),
/// ∂cₖ = Σ ∂y·Tₖ(t), ∂a = Σ ∂y·(dp/dt)·∂t/∂a and likewise for b.
public struct ChebyshevActivation<Scalar: BLASScalar>: Layer {
    /// c₀…cₙ as one row.
    public var coefficients: Matrix<Scalar>
    /// [a, b] as one row.
    public var bounds: Matrix<Scalar>
    /// The gradient of the coefficients, after backward.
    public var coefficientGradient: Matrix<Scalar>
    /// The gradient of the interval ends, after backward.
    public var boundsGradient: Matrix<Scalar>
    /// When true, backward leaves the coefficient and interval gradients at zero, so an
    /// optimizer (Adam or SGD, without weight decay) keeps the fitted polynomial as it is while
    /// the rest of the network is fine-tuned.
    public var freezesPolynomial = false
    /// While fine-tuning: a penalty on inputs outside the interval, whose gradient backward
    /// adds to ∂x (and which counts them in evaluation passes); nil otherwise.
    public var rangePenalty: RangePenalty<Scalar>?

    /// A layer computing `polynomial` (a Chebyshev series) elementwise.
    /// - Precondition: `polynomial` is in the Chebyshev basis.
    public init(_ polynomial: Polynomial) {
        precondition(polynomial.basis.family == .chebyshev, "ChebyshevActivation needs a Chebyshev series, got \(polynomial.basis)")
        let interval = polynomial.basis.interval
        self.init(coefficients: polynomial.coefficients.map { Scalar($0) },
                  interval: [Scalar(interval.lowerBound), Scalar(interval.upperBound)])
    }

    /// A layer with the given coefficients c₀…cₙ and interval [a, b].
    /// - Precondition: at least one coefficient and two interval ends.
    public init(coefficients: [Scalar], interval: [Scalar]) {
        precondition(!coefficients.isEmpty && interval.count == 2,
                     "ChebyshevActivation: \(coefficients.count) coefficients, \(interval.count) interval ends")
        self.coefficients = Matrix(rows: 1, columns: coefficients.count, elements: coefficients)
        bounds = Matrix(rows: 1, columns: 2, elements: interval)
        coefficientGradient = Matrix(rows: 1, columns: coefficients.count)
        boundsGradient = Matrix(rows: 1, columns: 2)
    }

    /// The degree n.
    public var degree: Int { coefficients.columns - 1 }

    /// The polynomial as held (rounded to `Scalar`), in the Chebyshev basis on its interval.
    /// - Precondition: the interval is increasing (``checkParameters()``).
    public var polynomial: Polynomial {
        Polynomial(coefficients: coefficients.elements.map(Double.init),
                   basis: .chebyshev(on: Double(bounds[0, 0]) ... Double(bounds[0, 1])))
    }

    public var inputWidth: Int? { nil }
    public func outputWidth(forInputWidth width: Int) -> Int { width }
    public var specification: String { "chebyshev(deg=\(degree))" }
    public var parameterInfo: [ParameterInfo] {
        [ParameterInfo(name: "coefficients", shape: [coefficients.columns]), ParameterInfo(name: "interval", shape: [2])]
    }

    /// Checks that the interval is finite and increasing.
    public func checkParameters() throws {
        let (a, b) = (Double(bounds[0, 0]), Double(bounds[0, 1]))
        guard a.isFinite, b.isFinite, a < b else {
            throw LayerError.invalidParameter(name: "interval", reason: "must be increasing, got [\(a), \(b)]")
        }
    }

    @_specialize(where Scalar == Float)
    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        output.ensureShape(rows: input.rows, columns: input.columns)
        let p = polynomial
        input.elements.withUnsafeBufferPointer { x in
            output.withUnsafeMutableElements { y in p.evaluate(x, into: y) }
        }
        if !training { rangePenalty?.count(input) }
    }

    @_specialize(where Scalar == Float)
    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        if freezesPolynomial {
            // Only ∂x = ∂y·p′(x) is needed: p′ as a polynomial in x, evaluated in one batch.
            guard needsInputGradient else { return }
            inputGradient.ensureShape(rows: input.rows, columns: input.columns)
            let slope = polynomial.derivative()
            input.elements.withUnsafeBufferPointer { x in
                inputGradient.withUnsafeMutableElements { dx in slope.evaluate(x, into: dx) }
            }
            outputGradient.elements.withUnsafeBufferPointer { dy in
                inputGradient.withUnsafeMutableElements { dx in
                    for i in dx.indices { dx[i] *= dy[i] }
                }
            }
            rangePenalty?.addGradient(at: input, to: &inputGradient)
            return
        }
        let c = coefficients.elements.map(Double.init)
        let slope = ChebyshevSeriesEvaluation.derivative(c)
        let (a, b) = (Double(bounds[0, 0]), Double(bounds[0, 1]))
        var (coefficientSum, lowerSum, upperSum) = ([Double](repeating: 0, count: c.count), 0.0, 0.0)
        if needsInputGradient { inputGradient.ensureShape(rows: input.rows, columns: input.columns) }
        for i in input.elements.indices {
            let (x, dy) = (Double(input.elements[i]), Double(outputGradient.elements[i]))
            let t = ChebyshevSeriesEvaluation.mapped(x, from: a, to: b)
            let dpdt = ChebyshevSeriesEvaluation.value(slope, at: t)
            if needsInputGradient { inputGradient.elements[i] = Scalar(dy * dpdt * 2 / (b - a)) }
            ChebyshevSeriesEvaluation.accumulateBasis(dy, at: t, into: &coefficientSum)
            let (dta, dtb) = ChebyshevSeriesEvaluation.intervalSlopes(x, from: a, to: b)
            lowerSum += dy * dpdt * dta
            upperSum += dy * dpdt * dtb
        }
        if needsInputGradient { rangePenalty?.addGradient(at: input, to: &inputGradient) }
        for k in c.indices { coefficientGradient[0, k] += Scalar(coefficientSum[k]) }
        boundsGradient[0, 0] += Scalar(lowerSum)
        boundsGradient[0, 1] += Scalar(upperSum)
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        body(&coefficients, &coefficientGradient)
        body(&bounds, &boundsGradient)
    }
}
