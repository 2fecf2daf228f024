import LinearAlgebra
import NeuralNetworks
import Polynomials

/// A trained network with every nonlinearity replaced by a polynomial: it computes with
/// additions and multiplications only, and knows the multiplicative depth an encrypted
/// evaluation of it consumes.
///
/// Depth rule (CKKS-style, one level per rescaled product): a dense layer multiplies by
/// plaintext weights, one level; a replaced nonlinearity costs its Chebyshev
/// Paterson–Stockmeyer depth (OpenFHE's scheme, affine map included); a gated linear unit costs
/// three levels (its input projections, the product of gate and value, its output projection)
/// plus, when its gate is replaced, that polynomial's depth; a layer that is already
/// polynomial of degree d (`poly`, `hermite`) costs ⌈log₂ d⌉ for its powers plus one level for
/// its coefficients.
///
/// ```swift
/// let ranges = try RangeProfile.measure(model, on: training.images)
/// let fits = try ranges.map { try ActivationFit.fit($0, interval: IntervalRule(), degree: .degree(15)) }
/// let network = try PolynomialNetwork(replacingIn: model, with: fits)
/// network.totalDepth
/// ```
public struct PolynomialNetwork {
    /// The network with replaced nonlinearities (everything else shares the trained weights).
    public var model: Sequential<Float>
    /// The replacements, in layer order.
    public let fits: [ActivationFit]
    /// The multiplicative depth of each layer (0 for none), in layer order.
    public let layerDepths: [Int]

    /// The file `polynet polyize --out` writes the polynomial network into, as a checkpoint
    /// whose architecture uses ``NeuralNetworks/LayerRegistry/polynomialNetworks`` (`chebyshev`,
    /// `polynomial-layernorm`); `polynet eval` loads it from the export folder.
    public static let checkpointFileName = "polynomial.safetensors"

    /// The depth of the whole network: the sum over its layers.
    public var totalDepth: Int { layerDepths.reduce(0, +) }

    /// Checks that every layer of `model` is dense, a fixed activation PolyNet can replace, or
    /// already polynomial.
    public static func check(_ model: Sequential<Float>) throws {
        for (index, layer) in model.layers.enumerated() {
            switch layer {
            case is Dense<Float>, is ActivationLayer<Float>, is PolynomialLayer<Float>, is HermiteActivation<Float>,
                 is LayerNorm<Float>, is GatedLinearUnit<Float>, is Conv2D<Float>, is AvgPool2D<Float>, is Flatten<Float>,
                 is Square<Float>:
                continue
            default:
                throw PolynomializationError.unsupportedLayer(
                    index: index, specification: layer.specification,
                    reason: "only dense, conv2d, avgpool, flatten, square, layernorm, relu, gelu, silu, tanh, sigmoid, softplus, glu, bilinear, poly and hermite layers are supported")
            }
        }
    }

    /// The replacements of LayerNorm divisions, by layer index.
    public let inverseSquareRoots: [Int: InverseSquareRoot]

    /// The depth of a LayerNorm whose division is replaced by `inverse`: the mean (a plaintext
    /// 1/n), the squares, the variance (1/n again), 1/√v, the product with x − μ and γ.
    public static func layerNormDepth(_ inverse: InverseSquareRoot) -> Int { 3 + inverse.depth + 2 }

    /// `model` with the nonlinearity at each fit's layer replaced by its polynomial and each
    /// LayerNorm's 1/√v by `inverseSquareRoots[index]`.
    /// - Throws: ``PolynomializationError`` when a layer is unsupported or has no replacement.
    public init(replacingIn model: Sequential<Float>, with fits: [ActivationFit],
                inverseSquareRoots: [Int: InverseSquareRoot] = [:]) throws {
        try Self.check(model)
        let fitOfLayer = Dictionary(fits.map { ($0.layerIndex, $0) }, uniquingKeysWith: { first, _ in first })
        var layers = [any Layer<Float>]()
        var depths = [Int]()
        // The width of each layer's input, for per-channel fits (known from the first layer on).
        var width = model.inputWidth
        for (index, layer) in model.layers.enumerated() {
            defer { width = width.map { layer.outputWidth(forInputWidth: $0) } }
            switch layer {
            case is ActivationLayer<Float>:
                guard let fit = fitOfLayer[index] else {
                    throw PolynomializationError.invalidSetting("layer \(index) (\(layer.specification)) has no polynomial fit")
                }
                if let composite = fit.composite {
                    layers.append(CompositeReLU<Float>(composite))
                } else if let channels = fit.channels {
                    guard let width, width % channels.count == 0 else {
                        throw PolynomializationError.invalidSetting(
                            "layer \(index) (\(layer.specification)): \(channels.count) channel fits for inputs of width \(width.map(String.init) ?? "unknown")")
                    }
                    layers.append(ChannelChebyshevActivation<Float>(channels: channels, plane: width / channels.count))
                } else {
                    layers.append(ChebyshevActivation<Float>(fit.polynomial))
                }
                depths.append(fit.cost.depth)
            case let unit as GatedLinearUnit<Float> where unit.gate != nil:
                guard let fit = fitOfLayer[index] else {
                    throw PolynomializationError.invalidSetting("layer \(index) (\(layer.specification)) has no polynomial fit for its gate")
                }
                guard fit.composite == nil, fit.channels == nil else {
                    throw PolynomializationError.invalidSetting(
                        "layer \(index) (\(layer.specification)): a gate takes one polynomial, not a composite or one per channel")
                }
                layers.append(PolynomialGatedLinearUnit(unit, gate: ChebyshevActivation<Float>(fit.polynomial)))
                depths.append(Self.keptDepth(unit) + fit.cost.depth)
            case let layerNorm as LayerNorm<Float>:
                guard let inverse = inverseSquareRoots[index] else {
                    throw PolynomializationError.invalidSetting("layer \(index) (\(layer.specification)) has no replacement for its division")
                }
                layers.append(PolynomialLayerNorm(layerNorm, inverse: inverse))
                depths.append(Self.layerNormDepth(inverse))
            default:
                layers.append(layer)
                depths.append(Self.keptDepth(layer))
            }
        }
        self.model = Sequential(layers)
        self.fits = fits.sorted { $0.layerIndex < $1.layerIndex }
        layerDepths = depths
        self.inverseSquareRoots = inverseSquareRoots
    }

    /// The depth of a layer that is kept as it is: one level for a dense layer, three for a
    /// gated linear unit (without its gate's polynomial), ⌈log₂ d⌉ + 1 for a layer already
    /// polynomial of degree d, 0 for anything else.
    static func keptDepth(_ layer: any Layer<Float>) -> Int {
        switch layer {
        // A product with plaintext weights (avgpool's 1/k² included): one level; x²: one.
        case is Dense<Float>, is Conv2D<Float>, is AvgPool2D<Float>, is Square<Float>: return 1
        case is GatedLinearUnit<Float>: return 3
        case let polynomial as PolynomialLayer<Float>: return ceilLog2(polynomial.degree) + 1
        case let hermite as HermiteActivation<Float>: return ceilLog2(hermite.degree) + 1
        default: return 0
        }
    }

    /// ⌈log₂ n⌉ for n ≥ 1 (0 for n ≤ 1).
    static func ceilLog2(_ n: Int) -> Int {
        n <= 1 ? 0 : Int.bitWidth - (n - 1).leadingZeroBitCount
    }

    /// The values the replaced nonlinearity of `layer` receives for `input`: the input of an
    /// activation, the gate projection's output of a gated linear unit; nil for a layer without
    /// one (dense, bilinear, layers already polynomial).
    static func replacedInputs(of layer: any Layer<Float>, for input: Matrix<Float>) -> Matrix<Float>? {
        switch layer {
        case is ActivationLayer<Float>, is ChebyshevActivation<Float>, is CompositeReLU<Float>, is ChannelChebyshevActivation<Float>:
            return input
        case let unit as GatedLinearUnit<Float> where unit.gate != nil:
            var projection = unit.gateProjection
            var output = Matrix<Float>(rows: 0, columns: 0)
            projection.forward(input, into: &output, training: false)
            return output
        case let unit as PolynomialGatedLinearUnit<Float>: return unit.gateInputs(input)
        default: return nil
        }
    }
}
