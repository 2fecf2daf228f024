import LinearAlgebra

/// A learnable tropical (max-plus) polynomial activation (seed 002,
/// [Khalfaoui-Hassani & Kesselheim 2025](https://arxiv.org/abs/2502.01247)):
/// F(x) = (√2/d)·max_{i=0…d} (i·x + c_i), with fixed integer slopes and learnable intercepts.
///
/// At initialization every c_i = 1, so max_i (i·x + 1) = 1 + d·max(x, 0) and
/// F(x) = √2/d + √2·max(x, 0): F′ is √2 on x > 0 and 0 on x < 0, hence the backward gain
/// E[F′²] = 2·P(x > 0) = 1 exactly for any input distribution symmetric about 0. Inner pieces
/// tie only at x = 0 at first; they become active once training moves c_0 and c_d apart.
/// Ties go to the lowest index (its piece receives the gradient).
///
/// The parameter is `intercepts`, shape `[d + 1]` or `[channels, d + 1]`.
///
/// ```swift
/// var layer = TropicalActivation<Float>(degree: 5)
/// ```
/// - Complexity: d + 1 multiply-adds and comparisons per element in each pass.
public struct TropicalActivation<Scalar: BLASScalar>: Layer {
    /// c_0 … c_d, one row per coefficient set.
    public var intercepts: Matrix<Scalar>
    /// ∂loss/∂intercepts, accumulated by `backward`.
    public var interceptGradient: Matrix<Scalar>
    /// One set for the layer or one per input column.
    public let sharing: CoefficientSharing

    /// The tropical degree d (the largest slope).
    public var degree: Int { intercepts.columns - 1 }

    /// An activation with the given intercepts (`sharing.rows` × (d + 1)).
    public init(intercepts: Matrix<Scalar>, sharing: CoefficientSharing = .perLayer) {
        precondition(intercepts.rows == sharing.rows && intercepts.columns >= 2,
                     "Tropical intercepts \(intercepts.rows)×\(intercepts.columns) do not fit \(sharing.rows) set(s) of degree ≥ 1")
        self.intercepts = intercepts
        self.sharing = sharing
        interceptGradient = Matrix(rows: intercepts.rows, columns: intercepts.columns)
    }

    /// The activation of `degree` with every intercept 1 (backward gain 1).
    public init(degree: Int, sharing: CoefficientSharing = .perLayer) {
        precondition(degree >= 1, "A tropical activation needs degree ≥ 1, got \(degree)")
        self.init(intercepts: Matrix(rows: sharing.rows, columns: degree + 1, repeating: 1), sharing: sharing)
    }

    public var inputWidth: Int? { sharing.inputWidth }

    public func outputImageShape(for input: ImageShape?) -> ImageShape? { sharing.outputImageShape(for: input) }

    public var specification: String { "tropical(deg=\(degree)\(sharing.specificationSuffix))" }

    public var parameterInfo: [ParameterInfo] {
        [ParameterInfo(name: "intercepts", shape: sharing.shape(degree + 1))]
    }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        sharing.checkInput(rows: input.rows, columns: input.columns, layer: specification)
        let kernel = kernel(for: input)
        CoefficientActivationPass.forward(input, coefficients: intercepts, into: &output) { x, c, y in
            kernel.evaluate(x, numerator: MaxPlusPointers(intercepts: c), denominator: nil, into: y)
        }
    }

    /// ∂F/∂x = (√2/d)·i* and ∂F/∂c_{i*} = √2/d for the maximizing piece i*.
    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        let kernel = kernel(for: input)
        CoefficientActivationPass.backward(outputGradient, input: input, coefficients: intercepts,
                                           coefficientGradient: &interceptGradient, into: &inputGradient) { dy, x, c, dc, dx in
            kernel.backpropagate(dy, x: x, numerator: MaxPlusPointers(intercepts: c, interceptGradient: dc),
                                 denominator: nil, into: dx)
        }
    }

    private func kernel(for input: Matrix<Scalar>) -> TropicalKernel {
        TropicalKernel(rows: input.rows, columns: input.columns, count: degree + 1,
                       stride: sharing.columnStride(degree + 1),
                       group: sharing.columnsPerSet(columns: input.columns), scale: 2.0.squareRoot() / Double(degree))
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        body(&intercepts, &interceptGradient)
    }
}
