import LinearAlgebra

/// A 2-D convolution over images stored as NCHW rows, like `torch.nn.Conv2d` (square
/// kernel, equal stride and zero padding on both axes, no dilation or groups).
///
/// y[o, i, j] = b[o] + Σ_{c, u, v} W[o, c, u, v] · x[c, i·stride − pad + u, j·stride − pad + v],
/// with x zero outside the image. `weight` is out × (in·k·k), the row-major view of PyTorch's
/// `[out, in, k, k]`, and `bias` is 1 × out (`[out]`), so `0.weight` and `0.bias` load
/// unchanged from a state dict.
///
/// Two schemes compute the passes, picked by ``ConvolutionScheme/preferred(for:outputChannels:)``
/// (see there for the measurement behind the rule):
///
/// - ``ConvolutionScheme/patchMatrix``, for many output channels (over 32): im2col
///   (``ConvolutionGeometry``) and one GEMM for the whole batch, W · patches, then one pass
///   that copies the out × B·P product's runs of P values into NCHW rows and adds the bias.
///   Backward copies ∂loss/∂y back into that layout (summing the bias gradient) and runs two
///   GEMMs: ∂W += ∂Y · patchesᵀ and ∂patches = Wᵀ · ∂Y, whose col2im scatter-add is ∂loss/∂x.
/// - ``ConvolutionScheme/phasePlanes``, for up to 32 (cryptonets has five): each image's padded input
///   split by stride phase so that every window offset reads a contiguous run, and the three
///   passes as SIMD multiply-adds over those runs, image by image (see `PhasePlanes.swift`).
///   The batch's planes (C·min(s,k)²·⌈(H+2·pad)/s⌉·⌈(W+2·pad)/s⌉ values per image, 915 for
///   cryptonets against a 4225-value patch block) are kept from forward for the weight gradient.
///
/// ```swift
/// let geometry = ConvolutionGeometry(input: ImageShape(channels: 1, height: 28, width: 28),
///                                    kernelSize: 5, stride: 2, padding: 1)!
/// let conv = Conv2D<Float>(geometry: geometry, outputChannels: 5, using: &generator)   // 5×13×13 out
/// ```
/// - Complexity: forward 2·B·P·out·in·k² flops; backward the same for the weight gradient and
///   again for the input gradient when it is needed. Memory: by patch matrix two in·k·k × B·P
///   patch matrices (forward and gradient); by phase planes the batch's planes plus one image's
///   wide output grid and plane gradient.
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
    /// The phase-plane layout when the scheme is ``ConvolutionScheme/phasePlanes``, else nil.
    private let phasePlanes: PhasePlanes?
    /// The batch's phase planes (B × `phasePlanes.count`), kept from forward for backward.
    private var planes = Matrix<Scalar>(rows: 0, columns: 0)
    /// One image's output, or ∂loss/∂output in `backward`, on the wide grid (out × `wideCount`).
    private var wide = Matrix<Scalar>(rows: 0, columns: 0)
    /// ∂loss/∂planes of one image in `backward`.
    private var planeGradient = Matrix<Scalar>(rows: 0, columns: 0)
    /// The weight and bias gradients' partial sums in `backward`, one `PlaneVector` per weight
    /// (out·in·k² rows), then one per bias (out rows).
    private var gradientLanes = Matrix<Scalar>(rows: 0, columns: 0)

    /// A convolution with the given geometry, out × (in·k·k) weight and 1 × out bias, computed
    /// by `scheme` (nil: ``ConvolutionScheme/preferred(for:outputChannels:)``).
    public init(geometry: ConvolutionGeometry, weight: Matrix<Scalar>, bias: Matrix<Scalar>, scheme: ConvolutionScheme? = nil) {
        precondition(weight.columns == geometry.patchWidth && bias.rows == 1 && bias.columns == weight.rows,
                     "Conv2D weight \(weight.rows)×\(weight.columns) and bias \(bias.rows)×\(bias.columns) do not fit \(geometry.input) with k=\(geometry.kernelSize)")
        switch scheme ?? .preferred(for: geometry, outputChannels: weight.rows) {
        case .patchMatrix: phasePlanes = nil
        case .phasePlanes:
            phasePlanes = PhasePlanes(geometry: geometry)
            precondition(phasePlanes != nil, "Conv2D phase planes of \(geometry.input) with k=\(geometry.kernelSize), stride=\(geometry.stride), pad=\(geometry.padding) overflow Int")
        }
        self.geometry = geometry
        self.weight = weight
        self.bias = bias
        weightGradient = Matrix(rows: weight.rows, columns: weight.columns)
        biasGradient = Matrix(rows: 1, columns: weight.rows)
    }

    /// A convolution initialized as PyTorch does: weight and bias uniform on ±1/√(in·k·k).
    public init<G: RandomNumberGenerator>(geometry: ConvolutionGeometry, outputChannels: Int, scheme: ConvolutionScheme? = nil,
                                          using generator: inout G) {
        precondition(outputChannels >= 1, "Conv2D needs at least one output channel, got \(outputChannels)")
        let bound = 1 / Scalar(geometry.patchWidth).squareRoot()
        self.init(geometry: geometry,
                  weight: .randomUniform(rows: outputChannels, columns: geometry.patchWidth, in: -bound ... bound, using: &generator),
                  bias: .randomUniform(rows: 1, columns: outputChannels, in: -bound ... bound, using: &generator),
                  scheme: scheme)
    }

    /// How the passes are computed.
    public var scheme: ConvolutionScheme { phasePlanes == nil ? .patchMatrix : .phasePlanes }

    /// The number of output channels.
    public var outputChannels: Int { weight.rows }

    /// The output image shape out × OH × OW.
    public var outputShape: ImageShape {
        ImageShape(channels: outputChannels, height: geometry.outputHeight, width: geometry.outputWidth)
    }

    public var inputWidth: Int? { geometry.input.count }

    public func outputWidth(forInputWidth width: Int) -> Int { outputShape.count }

    public func outputImageShape(for input: ImageShape?) -> ImageShape? { outputShape }

    /// The patch matrix's columns per image, or the phase planes' values per image.
    public var workspaceWidth: Int { phasePlanes?.count ?? geometry.positions * geometry.patchWidth }

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
        if let phasePlanes { return forwardByPlanes(phasePlanes, input, into: &output) }
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
        if let phasePlanes {
            return backwardByPlanes(phasePlanes, outputGradient, input: input, inputGradient: &inputGradient,
                                    needsInputGradient: needsInputGradient)
        }
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

    /// ``ConvolutionScheme/phasePlanes`` forward: per image, split the input into phase planes,
    /// run the kernel onto the wide grid and copy its used columns into the output row.
    private mutating func forwardByPlanes(_ layout: PhasePlanes, _ input: Matrix<Scalar>, into output: inout Matrix<Scalar>) {
        let (batch, channels, inputCount, outputCount) = (input.rows, outputChannels, geometry.input.count, outputShape.count)
        output.ensureShape(rows: batch, columns: outputCount)
        planes.ensureShape(rows: batch, columns: layout.count)
        wide.ensureShape(rows: channels, columns: layout.wideCount)
        input.elements.withUnsafeBufferPointer { x in
            weight.elements.withUnsafeBufferPointer { w in
                bias.elements.withUnsafeBufferPointer { b in
                    planes.withUnsafeMutableElements { p in
                        wide.withUnsafeMutableElements { z in
                            output.withUnsafeMutableElements { y in
                                guard let x = x.baseAddress, let w = w.baseAddress, let b = b.baseAddress,
                                      let p = p.baseAddress, let z = z.baseAddress, let y = y.baseAddress else { return }
                                for image in 0 ..< batch {
                                    let imagePlanes = p + image * layout.count
                                    layout.split(x + image * inputCount, into: imagePlanes)
                                    layout.forward(imagePlanes, weight: w, bias: b, outputs: channels, into: z)
                                    layout.narrow(z, outputs: channels, into: y + image * outputCount)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// ``ConvolutionScheme/phasePlanes`` backward: per image, ∂loss/∂y onto the wide grid (bias
    /// gradient summed on the way), the weight gradient against the planes kept by forward, and
    /// when needed the plane gradient merged back onto the input gradient.
    private mutating func backwardByPlanes(_ layout: PhasePlanes, _ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>,
                                           inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        let (batch, channels, inputCount, outputCount) = (input.rows, outputChannels, geometry.input.count, outputShape.count)
        precondition(planes.rows == batch && outputGradient.rows == batch && outputGradient.columns == outputCount,
                     "\(specification): backward of a \(outputGradient.rows)×\(outputGradient.columns) gradient without a matching forward")
        wide.ensureShape(rows: channels, columns: layout.wideCount)
        gradientLanes.ensureShape(rows: weight.elements.count + channels, columns: PhasePlanes.lanes)
        gradientLanes.setZero()
        if needsInputGradient {
            inputGradient.ensureShape(rows: batch, columns: inputCount)
            planeGradient.ensureShape(rows: 1, columns: layout.count)
        }
        let weightCount = weight.elements.count
        outputGradient.elements.withUnsafeBufferPointer { dy in
            weight.elements.withUnsafeBufferPointer { w in
                gradientLanes.withUnsafeMutableElements { lanes in
                    planes.elements.withUnsafeBufferPointer { p in
                        wide.withUnsafeMutableElements { z in
                            planeGradient.withUnsafeMutableElements { dp in
                                inputGradient.withUnsafeMutableElements { dx in
                                    guard let dy = dy.baseAddress, let w = w.baseAddress,
                                          let lanes = lanes.baseAddress, let p = p.baseAddress, let z = z.baseAddress else { return }
                                    let biasLanes = lanes + weightCount * PhasePlanes.lanes
                                    for image in 0 ..< batch {
                                        layout.widen(dy + image * outputCount, outputs: channels, biasLanes: biasLanes, into: z)
                                        layout.addWeightGradient(z, planes: p + image * layout.count, outputs: channels, into: lanes)
                                        guard needsInputGradient, let dp = dp.baseAddress, let dx = dx.baseAddress else { continue }
                                        layout.planeGradient(z, weight: w, outputs: channels, into: dp)
                                        layout.merge(dp, into: dx + image * inputCount)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        gradientLanes.elements.withUnsafeBufferPointer { lanes in
            weightGradient.withUnsafeMutableElements { dw in
                biasGradient.withUnsafeMutableElements { db in
                    guard let lanes = lanes.baseAddress, let dw = dw.baseAddress, let db = db.baseAddress else { return }
                    sumLanes(lanes, count: weightCount, into: dw)
                    sumLanes(lanes + weightCount * PhasePlanes.lanes, count: channels, into: db)
                }
            }
        }
    }
}
