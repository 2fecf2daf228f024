import CKernels
import LinearAlgebra

/// A layer whose every edge carries its own polynomial (seed 001, Loretz 2024):
/// yⱼ = Σᵢ Σₖ W[j, i, k]·φ_k(xᵢ), k = 0 … degree.
///
/// The input is expanded into the features φ₁(xᵢ) … φ_d(xᵢ) of every input, power-major
/// (batch × in·d: all φ₁, then all φ₂, …, so each block is one vectorized pass over the
/// input), then multiplied in ONE gemm by the coefficients of k ≥ 1 repacked in the same order;
/// the constant terms (φ₀ = 1) add up to one bias per output, Σᵢ W[j, i, 0], instead of `in`
/// columns of ones. With degree 1 and the monomial basis this is a linear layer with one bias
/// per edge. `weight` is stored as out × in·(d+1) and saved with the PyTorch shape
/// `[out, in, d+1]`.
/// - Complexity: forward one gemm of batch × in·d × out; backward two (one for the first
///   layer of a model, which needs no input gradient), plus O(out·in·d) to repack.
public struct PolynomialLayer<Scalar: BLASScalar>: Layer {
    /// Coefficients, out × in·(degree + 1); column i·(degree + 1) + k multiplies φ_k(xᵢ).
    public var weight: Matrix<Scalar>
    /// ∂loss/∂W, accumulated by `backward`.
    public var weightGradient: Matrix<Scalar>
    /// The highest power.
    public let degree: Int
    /// The functions each input is expanded into.
    public let basis: PolynomialBasis

    /// φ₁ … φ_d of the last forward pass, power-major, batch × in·degree.
    private var features = Matrix<Scalar>(rows: 0, columns: 0)
    /// The coefficients of φ₁ … φ_d in the features' order (out × in·degree) and the constant
    /// terms summed per output (1 × out), packed from `weight` by each forward pass.
    private var packedWeight = Matrix<Scalar>(rows: 0, columns: 0)
    private var packedBias = Matrix<Scalar>(rows: 0, columns: 0)
    /// Backward workspaces: ∂loss/∂features, ∂loss/∂packedWeight and the Chebyshev recurrence.
    private var featureGradient = Matrix<Scalar>(rows: 0, columns: 0)
    private var packedGradient = Matrix<Scalar>(rows: 0, columns: 0)
    private var recurrence = Matrix<Scalar>(rows: 0, columns: 0)

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

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        let width = weight.columns / (degree + 1)
        precondition(input.columns == width,
                     "PolynomialLayer(\(width)→\(weight.rows)) got a \(input.rows)×\(input.columns) input")
        let (rows, outputs, degree, basis) = (input.rows, weight.rows, degree, basis)
        packedWeight.ensureShape(rows: outputs, columns: width * degree)
        packedBias.ensureShape(rows: 1, columns: outputs)
        weight.elements.withUnsafeBufferPointer { w in
            packedWeight.withUnsafeMutableElements { packed in
                packedBias.withUnsafeMutableElements { bias in
                    packPolynomialWeight(w, outputs: outputs, inputs: width, degree: degree,
                                         into: packed, bias: bias)
                }
            }
        }
        output.ensureShape(rows: rows, columns: outputs)
        if degree == 0 {
            output.withUnsafeMutableElements { y in for i in y.indices { y[i] = 0 } }
        } else {
            features.ensureShape(rows: rows, columns: width * degree)
            input.elements.withUnsafeBufferPointer { x in
                features.withUnsafeMutableElements { phi in
                    guard let x = x.baseAddress, let phi = phi.baseAddress else { return }
                    basis.expand(x, rows: rows, columns: width, degree: degree, into: phi)
                }
            }
            output.setProduct(features, packedWeight, transposingB: true)
        }
        output.addToEachRow(packedBias)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        let (width, outputs, degree, basis) = (weight.columns / (degree + 1), weight.rows, degree, basis)
        // ∂W[j, i, 0] = Σ_b ∂y[b, j] for every i; ∂W[j, i, k ≥ 1] from one gemm, scattered back.
        var constantGradient = Matrix<Scalar>(rows: 1, columns: outputs)
        constantGradient.addColumnSums(of: outputGradient)
        if degree > 0 { packedGradient.setProduct(outputGradient, features, transposingA: true) }
        constantGradient.elements.withUnsafeBufferPointer { constant in
            packedGradient.elements.withUnsafeBufferPointer { packed in
                weightGradient.withUnsafeMutableElements { gradient in
                    accumulatePolynomialGradient(packed, constant: constant, outputs: outputs,
                                                 inputs: width, degree: degree, into: gradient)
                }
            }
        }
        guard needsInputGradient else { return }
        let rows = input.rows
        inputGradient.ensureShape(rows: rows, columns: width)
        guard degree > 0 else {
            inputGradient.withUnsafeMutableElements { dx in for i in dx.indices { dx[i] = 0 } }
            return
        }
        featureGradient.ensureShape(rows: rows, columns: width * degree)
        featureGradient.setProduct(outputGradient, packedWeight)
        recurrence.ensureShape(rows: 2, columns: width)
        featureGradient.elements.withUnsafeBufferPointer { g in
            features.elements.withUnsafeBufferPointer { phi in
                recurrence.withUnsafeMutableElements { workspace in
                    inputGradient.withUnsafeMutableElements { dx in
                        guard let g = g.baseAddress, let phi = phi.baseAddress, let dx = dx.baseAddress,
                              let workspace = workspace.baseAddress else { return }
                        basis.backpropagate(g, features: phi, rows: rows, columns: width, degree: degree,
                                            workspace: workspace, into: dx)
                    }
                }
            }
        }
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        body(&weight, &weightGradient)
    }
}

/// Repacks out × in·(d+1) coefficients (column i·(d+1) + k) into out × in·d power-major ones
/// (column (k−1)·in + i, k ≥ 1) and sums the constant terms per output into `bias`, by the C
/// kernel `polynet_pack_polynomial_weight_f` or `_d` (see `CKernels.h`: one pass in storage
/// order with vector shuffles, where Swift's scalar loop cost a seed001-poly step 5 % at batch
/// 256, and once per worker when the batch is split).
func packPolynomialWeight<Scalar: BLASScalar>(_ weight: UnsafeBufferPointer<Scalar>, outputs: Int, inputs: Int, degree d: Int,
                                              into packed: UnsafeMutableBufferPointer<Scalar>,
                                              bias: UnsafeMutableBufferPointer<Scalar>) {
    precondition(weight.count == outputs * inputs * (d + 1) && packed.count == outputs * inputs * d && bias.count == outputs,
                 "packPolynomialWeight: \(weight.count), \(packed.count), \(bias.count) values for \(outputs)×\(inputs), degree \(d)")
    let (weight, packed, bias) = (weight.baseAddress, packed.baseAddress, bias.baseAddress)
    if Scalar.self == Float.self {
        polynet_pack_polynomial_weight_f(kernelPointer(weight), outputs, inputs, d, kernelPointer(packed), kernelPointer(bias))
    } else {
        polynet_pack_polynomial_weight_d(kernelPointer(weight), outputs, inputs, d, kernelPointer(packed), kernelPointer(bias))
    }
}

/// Adds a power-major gradient (out × in·d) and the constant terms' gradient (one per output,
/// the same for every input) into an out × in·(d+1) gradient in the stored order, by the C
/// kernel `polynet_accumulate_polynomial_gradient_f` or `_d`.
func accumulatePolynomialGradient<Scalar: BLASScalar>(_ packed: UnsafeBufferPointer<Scalar>, constant: UnsafeBufferPointer<Scalar>,
                                                      outputs: Int, inputs: Int, degree d: Int,
                                                      into gradient: UnsafeMutableBufferPointer<Scalar>) {
    precondition(gradient.count == outputs * inputs * (d + 1) && packed.count == outputs * inputs * d && constant.count == outputs,
                 "accumulatePolynomialGradient: \(packed.count), \(constant.count), \(gradient.count) values for \(outputs)×\(inputs), degree \(d)")
    let (packed, constant, gradient) = (packed.baseAddress, constant.baseAddress, gradient.baseAddress)
    if Scalar.self == Float.self {
        polynet_accumulate_polynomial_gradient_f(kernelPointer(packed), kernelPointer(constant), outputs, inputs, d, kernelPointer(gradient))
    } else {
        polynet_accumulate_polynomial_gradient_d(kernelPointer(packed), kernelPointer(constant), outputs, inputs, d, kernelPointer(gradient))
    }
}
