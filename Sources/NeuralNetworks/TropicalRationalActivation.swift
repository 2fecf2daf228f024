import LinearAlgebra

/// A learnable tropical rational activation (seed 002,
/// [Khalfaoui-Hassani & Kesselheim 2025](https://arxiv.org/abs/2502.01247)): the tropical
/// quotient of two max-plus polynomials, i.e. their difference,
/// F(x) = max_{i=0…d} (p_i·x + a_i) − max_{j=0…d} (q_j·x + b_j),
/// with learnable slopes and intercepts. Any continuous piecewise-linear function with
/// finitely many pieces has this form.
///
/// Initialization: the numerator starts as ``TropicalActivation``'s, p_i = √2·i/d and
/// a_i = √2/d (so it equals √2/d + √2·max(x, 0)), and the denominator as the zero polynomial
/// (q_j = b_j = 0). F then starts as the tropical activation, with backward gain
/// E[F′²] = 1 for inputs symmetric about 0. Tied pieces send their gradient to the lowest
/// index, so the denominator's pieces separate one at a time as training moves them.
///
/// Parameters: `numerator.slopes`, `numerator.intercepts`, `denominator.slopes`,
/// `denominator.intercepts`, each of shape `[d + 1]` (or `[channels, d + 1]`).
///
/// ```swift
/// var layer = TropicalRationalActivation<Float>(degree: 4)
/// ```
/// - Complexity: 2·(d + 1) multiply-adds and comparisons per element in each pass.
public struct TropicalRationalActivation<Scalar: BLASScalar>: Layer {
    /// p_0 … p_d and a_0 … a_d, one row per coefficient set.
    public var numeratorSlopes, numeratorIntercepts: Matrix<Scalar>
    /// q_0 … q_d and b_0 … b_d, one row per coefficient set.
    public var denominatorSlopes, denominatorIntercepts: Matrix<Scalar>
    /// ∂loss/∂ of each parameter, accumulated by `backward`.
    public var numeratorSlopeGradient, numeratorInterceptGradient: Matrix<Scalar>
    /// ∂loss/∂ of each denominator parameter, accumulated by `backward`.
    public var denominatorSlopeGradient, denominatorInterceptGradient: Matrix<Scalar>
    /// One set for the layer or one per input column.
    public let sharing: CoefficientSharing

    /// The tropical degree d of numerator and denominator.
    public var degree: Int { numeratorSlopes.columns - 1 }

    /// An activation with the given parameters (each `sharing.rows` × (d + 1)).
    public init(numeratorSlopes: Matrix<Scalar>, numeratorIntercepts: Matrix<Scalar>,
                denominatorSlopes: Matrix<Scalar>, denominatorIntercepts: Matrix<Scalar>,
                sharing: CoefficientSharing = .perLayer) {
        let parts = [numeratorSlopes, numeratorIntercepts, denominatorSlopes, denominatorIntercepts]
        precondition(numeratorSlopes.columns >= 2 && parts.allSatisfy {
            $0.rows == sharing.rows && $0.columns == numeratorSlopes.columns
        }, "Tropical rational parameters \(parts.map { "\($0.rows)×\($0.columns)" }) do not fit \(sharing.rows) set(s) of degree ≥ 1")
        self.numeratorSlopes = numeratorSlopes
        self.numeratorIntercepts = numeratorIntercepts
        self.denominatorSlopes = denominatorSlopes
        self.denominatorIntercepts = denominatorIntercepts
        self.sharing = sharing
        let zero = Matrix<Scalar>(rows: numeratorSlopes.rows, columns: numeratorSlopes.columns)
        (numeratorSlopeGradient, numeratorInterceptGradient) = (zero, zero)
        (denominatorSlopeGradient, denominatorInterceptGradient) = (zero, zero)
    }

    /// The activation of `degree` initialized as ``TropicalActivation`` (denominator zero).
    public init(degree: Int, sharing: CoefficientSharing = .perLayer) {
        precondition(degree >= 1, "A tropical rational activation needs degree ≥ 1, got \(degree)")
        let (rows, count) = (sharing.rows, degree + 1)
        let scale = Scalar(2).squareRoot() / Scalar(degree)
        self.init(numeratorSlopes: Matrix(rows: rows, columns: count,
                                          elements: (0 ..< rows * count).map { scale * Scalar($0 % count) }),
                  numeratorIntercepts: Matrix(rows: rows, columns: count, repeating: scale),
                  denominatorSlopes: Matrix(rows: rows, columns: count),
                  denominatorIntercepts: Matrix(rows: rows, columns: count), sharing: sharing)
    }

    public var inputWidth: Int? { sharing.inputWidth }

    public func outputImageShape(for input: ImageShape?) -> ImageShape? { sharing.outputImageShape(for: input) }

    public var specification: String { "tropical-rational(deg=\(degree)\(sharing.specificationSuffix))" }

    public var parameterInfo: [ParameterInfo] {
        ["numerator.slopes", "numerator.intercepts", "denominator.slopes", "denominator.intercepts"].map {
            ParameterInfo(name: $0, shape: sharing.shape(degree + 1))
        }
    }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        sharing.checkInput(rows: input.rows, columns: input.columns, layer: specification)
        output.ensureShape(rows: input.rows, columns: input.columns)
        let kernel = kernel(for: input)
        input.elements.withUnsafeBufferPointer { x in
        numeratorSlopes.elements.withUnsafeBufferPointer { p in
        numeratorIntercepts.elements.withUnsafeBufferPointer { a in
        denominatorSlopes.elements.withUnsafeBufferPointer { q in
        denominatorIntercepts.elements.withUnsafeBufferPointer { b in
        output.elements.withUnsafeMutableBufferPointer { y in
            guard let x = x.baseAddress, let y = y.baseAddress else { return }
            kernel.evaluate(x, numerator: MaxPlusPointers(slopes: p.baseAddress!, intercepts: a.baseAddress!),
                            denominator: MaxPlusPointers(slopes: q.baseAddress!, intercepts: b.baseAddress!), into: y)
        }}}}}}
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        inputGradient.ensureShape(rows: input.rows, columns: input.columns)
        let kernel = kernel(for: input)
        outputGradient.elements.withUnsafeBufferPointer { dy in
        input.elements.withUnsafeBufferPointer { x in
        numeratorSlopes.elements.withUnsafeBufferPointer { p in
        numeratorIntercepts.elements.withUnsafeBufferPointer { a in
        denominatorSlopes.elements.withUnsafeBufferPointer { q in
        denominatorIntercepts.elements.withUnsafeBufferPointer { b in
        numeratorSlopeGradient.elements.withUnsafeMutableBufferPointer { dp in
        numeratorInterceptGradient.elements.withUnsafeMutableBufferPointer { da in
        denominatorSlopeGradient.elements.withUnsafeMutableBufferPointer { dq in
        denominatorInterceptGradient.elements.withUnsafeMutableBufferPointer { db in
        inputGradient.elements.withUnsafeMutableBufferPointer { dx in
            guard let dy = dy.baseAddress, let x = x.baseAddress, let dx = dx.baseAddress else { return }
            kernel.backpropagate(
                dy, x: x,
                numerator: MaxPlusPointers(slopes: p.baseAddress!, intercepts: a.baseAddress!,
                                           slopeGradient: dp.baseAddress!, interceptGradient: da.baseAddress!),
                denominator: MaxPlusPointers(slopes: q.baseAddress!, intercepts: b.baseAddress!,
                                             slopeGradient: dq.baseAddress!, interceptGradient: db.baseAddress!),
                into: dx)
        }}}}}}}}}}}
    }

    private func kernel(for input: Matrix<Scalar>) -> TropicalKernel {
        TropicalKernel(rows: input.rows, columns: input.columns, count: degree + 1,
                       stride: sharing.columnStride(degree + 1),
                       group: sharing.columnsPerSet(columns: input.columns), scale: 1)
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        body(&numeratorSlopes, &numeratorSlopeGradient)
        body(&numeratorIntercepts, &numeratorInterceptGradient)
        body(&denominatorSlopes, &denominatorSlopeGradient)
        body(&denominatorIntercepts, &denominatorInterceptGradient)
    }
}
