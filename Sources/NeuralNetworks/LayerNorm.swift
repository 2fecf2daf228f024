import CKernels
import LinearAlgebra

/// Layer normalization over each row, like `torch.nn.LayerNorm(width)`:
/// y = (x − mean) / √(var + ε) · γ + β, with the biased variance of the row.
///
/// `weight` (γ) and `bias` (β) are 1 × width rows stored as shape `[width]`.
/// Backward uses the closed form
/// ∂x = (1/σ)·(∂x̂ − mean(∂x̂) − x̂·mean(∂x̂·x̂)) with ∂x̂ = ∂y·γ.
public struct LayerNorm<Scalar: BLASScalar>: Layer {
    /// The scale γ (1 × width), initially ones.
    public var weight: Matrix<Scalar>
    /// The shift β (1 × width), initially zeros.
    public var bias: Matrix<Scalar>
    /// ∂loss/∂γ, accumulated by `backward`.
    public var weightGradient: Matrix<Scalar>
    /// ∂loss/∂β, accumulated by `backward`.
    public var biasGradient: Matrix<Scalar>
    /// The constant ε added to the variance.
    public var epsilon: Scalar

    /// x̂ of the last forward pass.
    private var normalized = Matrix<Scalar>(rows: 0, columns: 0)
    /// 1/√(var + ε) of each row of the last forward pass.
    private var inverseDeviations = Matrix<Scalar>(rows: 0, columns: 0)

    /// A layer normalizing `width` features, with γ = 1 and β = 0.
    public init(width: Int, epsilon: Scalar = 1e-5) {
        precondition(width > 0, "LayerNorm width must be positive, got \(width)")
        weight = Matrix(rows: 1, columns: width, repeating: 1)
        bias = Matrix(rows: 1, columns: width)
        weightGradient = Matrix(rows: 1, columns: width)
        biasGradient = Matrix(rows: 1, columns: width)
        self.epsilon = epsilon
    }

    public var inputWidth: Int? { weight.columns }

    public var specification: String {
        epsilon == 1e-5 ? "layernorm(\(weight.columns))" : "layernorm(\(weight.columns),eps=\(epsilon))"
    }

    public var parameterInfo: [ParameterInfo] {
        [ParameterInfo(name: "weight", shape: [weight.columns]), ParameterInfo(name: "bias", shape: [weight.columns])]
    }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        let (height, width) = (input.rows, input.columns)
        precondition(width == weight.columns, "LayerNorm(\(weight.columns)) got a \(height)×\(width) input")
        output.ensureShape(rows: height, columns: width)
        normalized.ensureShape(rows: height, columns: width)
        inverseDeviations.ensureShape(rows: height, columns: 1)
        guard height > 0 else { return }
        let epsilon = self.epsilon
        input.elements.withUnsafeBufferPointer { x in
            normalized.withUnsafeMutableElements { xHat in
                inverseDeviations.withUnsafeMutableElements { inverse in
                    output.withUnsafeMutableElements { y in
                        weight.elements.withUnsafeBufferPointer { gamma in
                            bias.elements.withUnsafeBufferPointer { beta in
                                layerNormForward(x.baseAddress!, normalized: xHat.baseAddress!, inverseDeviations: inverse.baseAddress!,
                                                 output: y.baseAddress!, gamma: gamma.baseAddress!, beta: beta.baseAddress!,
                                                 rows: height, columns: width, epsilon: epsilon)
                            }
                        }
                    }
                }
            }
        }
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        let (height, width) = (input.rows, input.columns)
        inputGradient.ensureShape(rows: needsInputGradient ? height : 0, columns: width)
        guard height > 0 else { return }
        outputGradient.elements.withUnsafeBufferPointer { dy in
            normalized.elements.withUnsafeBufferPointer { xHat in
                inverseDeviations.elements.withUnsafeBufferPointer { inverse in
                    weight.elements.withUnsafeBufferPointer { gamma in
                        weightGradient.withUnsafeMutableElements { dGamma in
                            biasGradient.withUnsafeMutableElements { dBeta in
                                inputGradient.withUnsafeMutableElements { dx in
                                    layerNormBackward(dy.baseAddress!, normalized: xHat.baseAddress!,
                                                      inverseDeviations: inverse.baseAddress!, gamma: gamma.baseAddress!,
                                                      gammaGradient: dGamma.baseAddress!, betaGradient: dBeta.baseAddress!,
                                                      inputGradient: needsInputGradient ? dx.baseAddress : nil,
                                                      rows: height, columns: width)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        body(&weight, &weightGradient)
        body(&bias, &biasGradient)
    }
}

// The loops: the C kernels `polynet_layer_norm_forward_f`/`_d` and `polynet_layer_norm_backward_f`/`_d`
// (see `CKernels.h`: the row sums in column order and every operation rounded as written, 16 rows
// advancing together so that their addition chains overlap).

func layerNormForward<Scalar: BLASScalar>(
    _ x: UnsafePointer<Scalar>, normalized xHat: UnsafeMutablePointer<Scalar>,
    inverseDeviations inverse: UnsafeMutablePointer<Scalar>, output y: UnsafeMutablePointer<Scalar>,
    gamma: UnsafePointer<Scalar>, beta: UnsafePointer<Scalar>, rows: Int, columns width: Int, epsilon: Scalar
) {
    if Scalar.self == Float.self {
        polynet_layer_norm_forward_f(kernelPointer(x), kernelPointer(xHat), kernelPointer(inverse), kernelPointer(y),
                                     kernelPointer(gamma), kernelPointer(beta), rows, width, Float(epsilon))
    } else {
        polynet_layer_norm_forward_d(kernelPointer(x), kernelPointer(xHat), kernelPointer(inverse), kernelPointer(y),
                                     kernelPointer(gamma), kernelPointer(beta), rows, width, Double(epsilon))
    }
}

/// Accumulates ∂γ and ∂β and, when `dx` is given, writes ∂x by the closed form.
func layerNormBackward<Scalar: BLASScalar>(
    _ dy: UnsafePointer<Scalar>, normalized xHat: UnsafePointer<Scalar>, inverseDeviations inverse: UnsafePointer<Scalar>,
    gamma: UnsafePointer<Scalar>, gammaGradient dGamma: UnsafeMutablePointer<Scalar>,
    betaGradient dBeta: UnsafeMutablePointer<Scalar>, inputGradient dx: UnsafeMutablePointer<Scalar>?,
    rows: Int, columns width: Int
) {
    if Scalar.self == Float.self {
        polynet_layer_norm_backward_f(kernelPointer(dy), kernelPointer(xHat), kernelPointer(inverse), kernelPointer(gamma),
                                      kernelPointer(dGamma), kernelPointer(dBeta), kernelPointer(dx), rows, width)
    } else {
        polynet_layer_norm_backward_d(kernelPointer(dy), kernelPointer(xHat), kernelPointer(inverse), kernelPointer(gamma),
                                      kernelPointer(dGamma), kernelPointer(dBeta), kernelPointer(dx), rows, width)
    }
}
