import LinearAlgebra

/// A 2-D convolution over images stored as NCHW rows, like `torch.nn.Conv2d` (square
/// kernel, equal stride and zero padding on both axes, no dilation or groups).
///
/// y[o, i, j] = b[o] + Σ_{c, u, v} W[o, c, u, v] · x[c, i·stride − pad + u, j·stride − pad + v],
/// with x zero outside the image. `weight` is out × (in·k·k), the row-major view of PyTorch's
/// `[out, in, k, k]`, and `bias` is 1 × out (`[out]`), so `0.weight` and `0.bias` load
/// unchanged from a state dict.
///
/// Forward is im2col (``ConvolutionGeometry``) and one GEMM for the whole batch,
/// W · patches, then one pass that copies the out × B·P product's runs of P values into NCHW
/// rows and adds the bias. Backward copies ∂loss/∂y back into that layout (summing the bias
/// gradient) and runs two GEMMs: ∂W += ∂Y · patchesᵀ and ∂patches = Wᵀ · ∂Y, whose col2im
/// scatter-add is ∂loss/∂x.
///
/// ```swift
/// let geometry = ConvolutionGeometry(input: ImageShape(channels: 1, height: 28, width: 28),
///                                    kernelSize: 5, stride: 2, padding: 1)!
/// let conv = Conv2D<Float>(geometry: geometry, outputChannels: 5, using: &generator)   // 5×13×13 out
/// ```
/// - Complexity: forward one gemm of out × in·k·k × B·P; backward two of the same size
///   (one when the input gradient is not needed), plus O(B·P·in·k·k) copies. Memory: two
///   in·k·k × B·P patch matrices (forward and gradient).
public struct Conv2D<Scalar: BLASScalar>: Layer {
    /// The out × (in·k·k) weight.
    public var weight: Matrix<Scalar>
    /// The bias as a 1 × out row.
    public var bias: Matrix<Scalar>
    /// ∂loss/∂W, accumulated by `backward`.
    public var weightGradient: Matrix<Scalar>
    /// ∂loss/∂b, accumulated by `backward`.
    public var biasGradient: Matrix<Scalar>
    /// The input shape, window size, stride and padding.
    public let geometry: ConvolutionGeometry
    /// The patch matrix of the last forward pass (in·k·k × B·P), reused by `backward`.
    private var patches = Matrix<Scalar>(rows: 0, columns: 0)
    /// W · patches (out × B·P), and ∂loss/∂ of it in `backward`.
    private var product = Matrix<Scalar>(rows: 0, columns: 0)
    /// ∂loss/∂patches in `backward`.
    private var patchGradient = Matrix<Scalar>(rows: 0, columns: 0)

    /// A convolution with the given geometry, out × (in·k·k) weight and 1 × out bias.
    public init(geometry: ConvolutionGeometry, weight: Matrix<Scalar>, bias: Matrix<Scalar>) {
        precondition(weight.columns == geometry.patchWidth && bias.rows == 1 && bias.columns == weight.rows,
                     "Conv2D weight \(weight.rows)×\(weight.columns) and bias \(bias.rows)×\(bias.columns) do not fit \(geometry.input) with k=\(geometry.kernelSize)")
        self.geometry = geometry
        self.weight = weight
        self.bias = bias
        weightGradient = Matrix(rows: weight.rows, columns: weight.columns)
        biasGradient = Matrix(rows: 1, columns: weight.rows)
    }

    /// A convolution initialized as PyTorch does: weight and bias uniform on ±1/√(in·k·k).
    public init<G: RandomNumberGenerator>(geometry: ConvolutionGeometry, outputChannels: Int, using generator: inout G) {
        precondition(outputChannels >= 1, "Conv2D needs at least one output channel, got \(outputChannels)")
        let bound = 1 / Scalar(geometry.patchWidth).squareRoot()
        self.init(geometry: geometry,
                  weight: .randomUniform(rows: outputChannels, columns: geometry.patchWidth, in: -bound ... bound, using: &generator),
                  bias: .randomUniform(rows: 1, columns: outputChannels, in: -bound ... bound, using: &generator))
    }

    /// The number of output channels.
    public var outputChannels: Int { weight.rows }

    /// The output image shape out × OH × OW.
    public var outputShape: ImageShape {
        ImageShape(channels: outputChannels, height: geometry.outputHeight, width: geometry.outputWidth)
    }

    public var inputWidth: Int? { geometry.input.count }

    public func outputWidth(forInputWidth width: Int) -> Int { outputShape.count }

    public func outputImageShape(for input: ImageShape?) -> ImageShape? { outputShape }

    public var workspaceWidth: Int { geometry.positions * geometry.patchWidth }

    public var specification: String {
        let g = geometry
        return "conv2d(\(g.input.channels),\(outputChannels),k=\(g.kernelSize),stride=\(g.stride),pad=\(g.padding),size=\(g.input.height))"
    }

    public var parameterInfo: [ParameterInfo] {
        let g = geometry
        return [ParameterInfo(name: "weight", shape: [outputChannels, g.input.channels, g.kernelSize, g.kernelSize]),
                ParameterInfo(name: "bias", shape: [outputChannels])]
    }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        let g = geometry
        precondition(input.columns == g.input.count, "\(specification) takes \(g.input.count) columns, got a \(input.rows)×\(input.columns) input")
        let batch = input.rows
        patches.ensureShape(rows: g.patchWidth, columns: batch * g.positions)
        input.elements.withUnsafeBufferPointer { x in
            patches.withUnsafeMutableElements { p in
                guard let x = x.baseAddress, let p = p.baseAddress else { return }
                g.gatherPatches(x, batch: batch, into: p)
            }
        }
        product.ensureShape(rows: outputChannels, columns: batch * g.positions)
        product.setProduct(weight, patches)
        output.ensureShape(rows: batch, columns: outputShape.count)
        let channels = outputChannels
        product.elements.withUnsafeBufferPointer { y in
            bias.elements.withUnsafeBufferPointer { b in
                output.withUnsafeMutableElements { out in
                    guard let y = y.baseAddress, let b = b.baseAddress, let out = out.baseAddress else { return }
                    imageRows(y, batch: batch, positions: g.positions, channels: channels, bias: b, into: out)
                }
            }
        }
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        let g = geometry
        let (batch, channels) = (input.rows, outputChannels)
        precondition(patches.columns == batch * g.positions, "\(specification): backward without a matching forward")
        product.ensureShape(rows: channels, columns: batch * g.positions)
        outputGradient.elements.withUnsafeBufferPointer { dy in
            biasGradient.withUnsafeMutableElements { db in
                product.withUnsafeMutableElements { target in
                    guard let dy = dy.baseAddress, let db = db.baseAddress, let target = target.baseAddress else { return }
                    channelRows(dy, batch: batch, positions: g.positions, channels: channels, biasGradient: db, into: target)
                }
            }
        }
        weightGradient.setProduct(product, patches, transposingB: true, beta: 1)
        guard needsInputGradient else { return }
        patchGradient.setProduct(weight, product, transposingA: true)
        inputGradient.ensureShape(rows: batch, columns: g.input.count)
        patchGradient.elements.withUnsafeBufferPointer { p in
            inputGradient.withUnsafeMutableElements { dx in
                guard let p = p.baseAddress, let dx = dx.baseAddress else { return }
                g.scatterPatches(p, batch: batch, into: dx)
            }
        }
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        body(&weight, &weightGradient)
        body(&bias, &biasGradient)
    }
}
