import LinearAlgebra

/// A layer whose every edge carries its own polynomial (seed 001, Loretz 2024):
/// yⱼ = Σᵢ Σₖ W[j, i, k]·φ_k(xᵢ), k = 0 … degree.
///
/// The input is expanded into the features φ₀(xᵢ) … φ_d(xᵢ) of every input (batch × in·(d+1),
/// φ₀ = 1 so the constant terms act as the bias), then multiplied by Wᵀ in ONE gemm. With
/// degree 1 and the monomial basis this is a linear layer with one bias per edge.
/// `weight` is stored as out × in·(d+1) and saved with the PyTorch shape `[out, in, d+1]`.
/// - Complexity: forward one gemm of batch × in·(d+1) × out; backward two (one for the
///   first layer of a model, which needs no input gradient).
public struct PolynomialLayer<Scalar: BLASScalar>: Layer {
    /// Coefficients, out × in·(degree + 1); column i·(degree + 1) + k multiplies φ_k(xᵢ).
    public var weight: Matrix<Scalar>
    /// ∂loss/∂W, accumulated by `backward`.
    public var weightGradient: Matrix<Scalar>
    /// The highest power.
    public let degree: Int
    /// The functions each input is expanded into.
    public let basis: PolynomialBasis

    /// φ_k(x) of the last forward pass, batch × in·(degree + 1).
    private var features = Matrix<Scalar>(rows: 0, columns: 0)
    /// ∂loss/∂features, a workspace for backward.
    private var featureGradient = Matrix<Scalar>(rows: 0, columns: 0)

    /// A layer with the given out × in·(degree + 1) coefficients.
    public init(weight: Matrix<Scalar>, degree: Int, basis: PolynomialBasis = .monomial) {
        precondition(degree >= 0 && weight.columns % (degree + 1) == 0,
                     "Polynomial weight \(weight.rows)×\(weight.columns) does not hold degree-\(degree) coefficients")
        self.weight = weight
        self.degree = degree
        self.basis = basis
        weightGradient = Matrix(rows: weight.rows, columns: weight.columns)
    }

    /// A layer with coefficients uniform on ±1/√(in·(degree + 1)), PyTorch's Linear rule for
    /// the fan-in in·(degree + 1) of the single product.
    public init<G: RandomNumberGenerator>(inputWidth: Int, outputWidth: Int, degree: Int,
                                          basis: PolynomialBasis = .monomial, using generator: inout G) {
        precondition(inputWidth > 0 && outputWidth > 0 && degree >= 0,
                     "Polynomial layer \(inputWidth)→\(outputWidth) of degree \(degree) needs positive widths")
        let fanIn = inputWidth * (degree + 1)
        let bound = 1 / Scalar(fanIn).squareRoot()
        self.init(weight: .randomUniform(rows: outputWidth, columns: fanIn, in: -bound ... bound, using: &generator),
                  degree: degree, basis: basis)
    }

    public var inputWidth: Int? { weight.columns / (degree + 1) }

    public func outputWidth(forInputWidth width: Int) -> Int { weight.rows }

    public var specification: String {
        let base = "poly(\(weight.columns / (degree + 1)),\(weight.rows),deg=\(degree)"
        return base + (basis == .monomial ? ")" : ",basis=\(basis.rawValue))")
    }

    public var parameterInfo: [ParameterInfo] {
        [ParameterInfo(name: "weight", shape: [weight.rows, weight.columns / (degree + 1), degree + 1])]
    }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        let width = weight.columns / (degree + 1)
        precondition(input.columns == width,
                     "PolynomialLayer(\(width)→\(weight.rows)) got a \(input.rows)×\(input.columns) input")
        features.ensureShape(rows: input.rows, columns: weight.columns)
        let (count, degree, basis) = (input.elements.count, degree, basis)
        input.elements.withUnsafeBufferPointer { x in
            features.withUnsafeMutableElements { phi in
                guard let x = x.baseAddress, let phi = phi.baseAddress else { return }
                basis.expand(x, count: count, degree: degree, into: phi)
            }
        }
        output.ensureShape(rows: input.rows, columns: weight.rows)
        output.setProduct(features, weight, transposingB: true)
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        weightGradient.setProduct(outputGradient, features, transposingA: true, beta: 1)
        guard needsInputGradient else { return }
        featureGradient.ensureShape(rows: input.rows, columns: weight.columns)
        featureGradient.setProduct(outputGradient, weight)
        inputGradient.ensureShape(rows: input.rows, columns: input.columns)
        let (count, degree, basis) = (input.elements.count, degree, basis)
        featureGradient.elements.withUnsafeBufferPointer { g in
            features.elements.withUnsafeBufferPointer { phi in
                inputGradient.withUnsafeMutableElements { dx in
                    guard let g = g.baseAddress, let phi = phi.baseAddress, let dx = dx.baseAddress else { return }
                    basis.backpropagate(g, features: phi, count: count, degree: degree, into: dx)
                }
            }
        }
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        body(&weight, &weightGradient)
    }
}
