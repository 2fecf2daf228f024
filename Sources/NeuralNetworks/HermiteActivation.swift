import CKernels
import LinearAlgebra

/// A learnable polynomial activation in the scaled Hermite basis (seed 002,
/// [Khalfaoui-Hassani & Kesselheim 2025](https://arxiv.org/abs/2502.01247)):
/// F(x) = Σ_{k=0}^{d} c_k·φ_k(x) with φ_k = He_k/k!, He_k the probabilists' Hermite polynomials.
///
/// How this works and why: the scaling by 1/k! makes the basis closed under differentiation,
/// φ_k′ = φ_{k−1}, so F′(x) = Σ_{k≥1} c_k·φ_{k−1}(x) uses the same values as F. Both follow
/// from the three-term recurrence φ_k = (x·φ_{k−1} − φ_{k−2})/k (from He_k = x·He_{k−1} −
/// (k−1)·He_{k−2}), evaluated per element in one pass: no table of d + 1 basis values is
/// stored, and the backward pass recomputes them (O(d) work, O(1) memory per element). Under
/// x ~ N(0, 1) the basis is orthogonal with E[φ_j·φ_k] = δ_jk/k!, which gives the closed-form
/// moments behind ``HermiteInitialization/variancePreservingCoefficients(degree:)``.
///
/// The parameter is `coefficients`, shape `[d + 1]` (one set per layer, like torchortho's
/// `HermiteActivation.coefficients`) or `[channels, d + 1]` (one set per input column).
///
/// ```swift
/// var layer = HermiteActivation<Float>(degree: 4)                      // variance-preserving
/// let gelu = try HermiteActivation<Double>(degree: 8, initialization: .fitting(.gelu))
/// ```
/// - Complexity: O(d) per element in each pass.
public struct HermiteActivation<Scalar: BLASScalar>: Layer {
    /// c_0 … c_d, one row per coefficient set.
    public var coefficients: Matrix<Scalar>
    /// ∂loss/∂coefficients, accumulated by `backward`.
    public var coefficientGradient: Matrix<Scalar>
    /// One set for the layer or one per input column.
    public let sharing: CoefficientSharing

    /// The polynomial degree d.
    public var degree: Int { coefficients.columns - 1 }

    /// An activation with the given coefficients (`sharing.rows` × (d + 1)).
    public init(coefficients: Matrix<Scalar>, sharing: CoefficientSharing = .perLayer) {
        precondition(coefficients.rows == sharing.rows && coefficients.columns >= 2,
                     "Hermite coefficients \(coefficients.rows)×\(coefficients.columns) do not fit \(sharing.rows) set(s) of degree ≥ 1")
        self.coefficients = coefficients
        self.sharing = sharing
        coefficientGradient = Matrix(rows: coefficients.rows, columns: coefficients.columns)
    }

    /// An activation of `degree` whose every coefficient set is `initialization`'s.
    ///
    /// - Throws: `LinearAlgebraError` when a fit fails (see ``HermiteInitialization/fitting(_:on:)``).
    public init(degree: Int, initialization: HermiteInitialization = .variancePreserving,
                sharing: CoefficientSharing = .perLayer) throws {
        let row = try initialization.coefficients(degree: degree)
        self.init(coefficients: Matrix(rows: sharing.rows, columns: degree + 1,
                                       elements: (0 ..< sharing.rows).flatMap { _ in row.map { Scalar($0) } }),
                  sharing: sharing)
    }

    /// A variance-preserving activation of `degree` (see ``HermiteInitialization/variancePreservingCoefficients(degree:)``).
    public init(degree: Int, sharing: CoefficientSharing = .perLayer) {
        // The variance-preserving initialization solves nothing, so it cannot fail.
        try! self.init(degree: degree, initialization: .variancePreserving, sharing: sharing)
    }

    public var inputWidth: Int? { sharing.inputWidth }

    public func outputImageShape(for input: ImageShape?) -> ImageShape? { sharing.outputImageShape(for: input) }

    public var specification: String { "hermite(deg=\(degree)\(sharing.specificationSuffix))" }

    public var parameterInfo: [ParameterInfo] {
        [ParameterInfo(name: "coefficients", shape: sharing.shape(degree + 1))]
    }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        sharing.checkInput(rows: input.rows, columns: input.columns, layer: specification)
        let (rows, columns, stride, d) = (input.rows, input.columns, sharing.columnStride(degree + 1), degree)
        let group = sharing.columnsPerSet(columns: columns)
        CoefficientActivationPass.forward(input, coefficients: coefficients, into: &output) { x, c, y in
            Self.evaluate(x, rows: rows, columns: columns, coefficients: c, stride: stride, group: group, degree: d, into: y)
        }
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        let (rows, columns, stride, d) = (input.rows, input.columns, sharing.columnStride(degree + 1), degree)
        let group = sharing.columnsPerSet(columns: columns)
        CoefficientActivationPass.backward(outputGradient, input: input, coefficients: coefficients,
                                           coefficientGradient: &coefficientGradient, into: &inputGradient) { dy, x, c, dc, dx in
            Self.backpropagate(dy, x: x, rows: rows, columns: columns, coefficients: c, stride: stride,
                               group: group, degree: d, coefficientGradient: dc, into: dx)
        }
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        body(&coefficients, &coefficientGradient)
    }

    /// y = F(x) elementwise; columns j·group ..< (j + 1)·group use the coefficient set at
    /// `coefficients + j·stride` (see ``CoefficientSharing/columnsPerSet(columns:)``), through the
    /// C kernel `polynet_hermite_forward_f` or `_d` (see `CKernels.h`: 16 elements at a time,
    /// each rounding as the recurrence is written).
    static func evaluate(_ x: UnsafePointer<Scalar>, rows: Int, columns: Int, coefficients: UnsafePointer<Scalar>,
                         stride: Int, group: Int, degree d: Int, into y: UnsafeMutablePointer<Scalar>) {
        if Scalar.self == Float.self {
            polynet_hermite_forward_f(kernelPointer(x), rows, columns, kernelPointer(coefficients), stride, group, d, kernelPointer(y))
        } else {
            polynet_hermite_forward_d(kernelPointer(x), rows, columns, kernelPointer(coefficients), stride, group, d, kernelPointer(y))
        }
    }

    /// Adds ∂loss/∂c_k = Σ ∂loss/∂y·φ_k(x) to `coefficientGradient` and writes
    /// ∂loss/∂x = ∂loss/∂y·F′(x), F′ = Σ_{k≥1} c_k·φ_{k−1}, recomputing φ by the recurrence, through
    /// `polynet_hermite_backward_f` or `_d` (each row's sum over a set's columns in 16 lane
    /// partial sums, the lanes then the rows added in order).
    static func backpropagate(_ dy: UnsafePointer<Scalar>, x: UnsafePointer<Scalar>, rows: Int, columns: Int,
                              coefficients: UnsafePointer<Scalar>, stride: Int, group: Int, degree d: Int,
                              coefficientGradient: UnsafeMutablePointer<Scalar>, into dx: UnsafeMutablePointer<Scalar>) {
        withUnsafeTemporaryAllocation(of: Scalar.self, capacity: (d + 1) * Int(POLYNET_PLANE_LANES)) { partial in
            if Scalar.self == Float.self {
                polynet_hermite_backward_f(kernelPointer(dy), kernelPointer(x), rows, columns, kernelPointer(coefficients), stride,
                                           group, d, kernelPointer(coefficientGradient), kernelPointer(partial.baseAddress),
                                           kernelPointer(dx))
            } else {
                polynet_hermite_backward_d(kernelPointer(dy), kernelPointer(x), rows, columns, kernelPointer(coefficients), stride,
                                           group, d, kernelPointer(coefficientGradient), kernelPointer(partial.baseAddress),
                                           kernelPointer(dx))
            }
        }
    }
}
