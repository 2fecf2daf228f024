import Foundation
import LinearAlgebra
import NeuralNetworks
import Polynomials

/// The exported description of a polynomial network, for evaluators outside PolyNet (numpy,
/// OpenFHE, Lattigo, SEAL): every layer in order, the names of its tensors in the weights
/// file, and for each replaced nonlinearity its interval and Chebyshev coefficients in two
/// conventions.
///
/// Conventions. `chebyshev` holds c₀…cₙ with p(x) = Σₖ cₖ·Tₖ(t), t = (2x − a − b)/(b − a) on
/// the interval [a, b] (the full constant term, as `polynet approx --json` prints). OpenFHE's
/// `EvalChebyshevSeries(ciphertext, coefficients, a, b)` evaluates c₀/2 + Σₖ≥₁ cₖ·Tₖ(t) (the
/// constant halved, GSL's `cheb_eval` convention), so `openfhe` holds 2c₀, c₁, …, cₙ: pass it
/// unchanged with the same a and b.
public struct PolynomialNetworkManifest: Codable, Sendable, Equatable {
    /// One layer.
    public struct Layer: Codable, Sendable, Equatable {
        /// The layer's index in the network.
        public var index: Int
        /// `dense`, `chebyshev` (a replaced nonlinearity), `layernorm` (its 1/√v replaced),
        /// `glu` (a gated linear unit W_down·(p(W_gate·x + b) ⊙ (W_up·x + c)) + d with its gate
        /// replaced by the polynomial p; tensors `gate_proj`, `up_proj`, `down_proj` weight and
        /// bias in that order), `bilinear` (the same with p the identity), `conv2d`, `avgpool`,
        /// `flatten` and `square` (x², kept; see ``image``), `chebyshev-channels` (one series per
        /// channel, all of one degree; see ``channels``), `composite-relu` (a
        /// ReLU replaced by x·s_k(…s_1(x)), the Chebyshev series of ``stages`` applied in turn,
        /// then one product with the layer's input), `poly` or `hermite` (kept).
        public var kind: String
        /// The layer in the architecture language (the original nonlinearity for `chebyshev`).
        public var specification: String
        /// Tensor names in the weights file (PyTorch `state_dict` names).
        public var tensors: [String]
        /// Multiplicative depth of this layer.
        public var depth: Int
        /// For `chebyshev` and `glu`: the interval, degree, coefficients and certified error. For
        /// `layernorm`: the same for the polynomial that starts 1/√v on the interval of
        /// v = var + ε, then `newton_steps` steps y ← y·(3 − v·y²)/2, with `epsilon` and the
        /// sampled relative error of the result.
        public var interval: [Double]?
        /// The polynomial's degree.
        public var degree: Int?
        /// For `chebyshev`: how the polynomial was fitted (`minimax` or `gaussian`).
        public var method: String?
        /// The Chebyshev coefficients c₀…cₙ on the interval, c₀ in full.
        public var chebyshev: [Double]?
        /// The same for OpenFHE's `EvalChebyshevSeries`: 2c₀, c₁, …, cₙ.
        public var openfhe: [Double]?
        /// The certified max error on the interval.
        public var maxError: Double?
        /// Products of two ciphertexts for the polynomial.
        public var nonScalarMultiplications: Int?
        /// Products with constants that consume a level.
        public var scalarMultiplications: Int?
        /// Additions.
        public var additions: Int?
        /// OpenFHE's Paterson–Stockmeyer split for the polynomial: k baby steps T₁…T_k and m
        /// giant steps T_k…T_{2^{m−1}k} (k = n + 1 and m = 0 below degree 5: the linear scheme).
        public var babySteps: Int?
        /// The giant steps m of the split.
        public var giantSteps: Int?
        /// For `layernorm`: the ε added to the variance.
        public var epsilon: Double?
        /// For `composite-relu`: the stages, first applied first (the first on [−R, R], the
        /// others on [-1, 1]; the last one includes ReLU's 1/2 and +1/2).
        public var stages: [Series]?
        /// For `composite-relu`: εR, the half-width of the band around 0 where the composite's
        /// error grows to its in-band bound.
        public var band: Double?
        /// For `chebyshev-channels`: one series per channel, channel c applied to columns
        /// c·plane ..< (c + 1)·plane of every row.
        public var channels: [Series]?
        /// For `chebyshev-channels`: the columns per channel (1 after a dense layer, H·W after a
        /// convolution).
        public var plane: Int?
        /// For `conv2d` and `avgpool`: the input image as channels, height, width (NCHW rows:
        /// column c·H·W + y·W + x holds channel c at (y, x), as `flatten` leaves it).
        public var image: [Int]?
        /// For `conv2d` (square kernels, weight [out, in, k, k]) and `avgpool` (k×k windows,
        /// stride k, each output the sum of its window times 1/k²): k.
        public var kernelSize: Int?
        /// For `conv2d`: the stride.
        public var stride: Int?
        /// For `conv2d`: the zero padding on each side.
        public var padding: Int?
        /// For `layernorm`: the Newton steps after the polynomial.
        public var newtonSteps: Int?
        /// For `layernorm`: the sampled relative error of 1/√v.
        public var relativeError: Double?
    }

    /// One Chebyshev series of a `composite-relu` stage or a `chebyshev-channels` channel, in the
    /// conventions of the layer entry.
    public struct Series: Codable, Sendable, Equatable {
        /// The interval [a, b] the series is defined on.
        public var interval: [Double]
        /// Its degree.
        public var degree: Int
        /// c₀…cₙ, c₀ in full.
        public var chebyshev: [Double]
        /// 2c₀, c₁, …, cₙ for OpenFHE's `EvalChebyshevSeries`.
        public var openfhe: [Double]
        /// Its depth (OpenFHE's scheme, the map onto [-1, 1] included when [a, b] ≠ [-1, 1]).
        public var depth: Int
        /// OpenFHE's Paterson–Stockmeyer split k (see the layer's `baby_steps`).
        public var babySteps: Int
        /// The giant steps m of the split.
        public var giantSteps: Int

        /// Two increasing finite interval ends and at least one coefficient.
        var isWellFormed: Bool {
            interval.count == 2 && interval.allSatisfy(\.isFinite) && interval[0] < interval[1] && !chebyshev.isEmpty
        }

        init(_ polynomial: Polynomial) {
            let interval = polynomial.basis.interval
            self.interval = [interval.lowerBound, interval.upperBound]
            degree = polynomial.degree
            chebyshev = polynomial.coefficients
            openfhe = [2 * polynomial.coefficients[0]] + polynomial.coefficients.dropFirst()
            depth = EvaluationCost.chebyshevPatersonStockmeyer(degree: degree, needsAffineMap: interval != -1 ... 1).depth
            (babySteps, giantSteps) = PolynomialNetworkManifest.patersonStockmeyerSplit(degree)
        }
    }

    /// The format tag, `polynet-polynomial-network` version 1.
    public var format = "polynet-polynomial-network/1"
    /// The number of inputs (nil when the first layer does not fix it).
    public var inputWidth: Int?
    /// The network's multiplicative depth.
    public var totalDepth: Int
    /// The layers, in order.
    public var layers: [Layer]

    /// The manifest of `network`, whose dense and kept layers use the tensor names `original`
    /// gives them.
    public init(_ network: PolynomialNetwork, original: Sequential<Float>) {
        inputWidth = original.inputWidth
        totalDepth = network.totalDepth
        let fitOfLayer = Dictionary(network.fits.map { ($0.layerIndex, $0) }, uniquingKeysWith: { first, _ in first })
        layers = original.layers.enumerated().map { index, layer in
            var entry = Layer(index: index, kind: "dense", specification: layer.specification,
                              tensors: layer.parameterInfo.map { "\(index).\($0.name)" }, depth: network.layerDepths[index])
            switch layer {
            case is ActivationLayer<Float>:
                entry.kind = fitOfLayer[index]?.composite == nil ? "chebyshev" : "composite-relu"
                if let fit = fitOfLayer[index] { entry.describe(fit) }
                if let channels = network.model.layers[index] as? ChannelChebyshevActivation<Float>, let fits = fitOfLayer[index]?.channels {
                    entry.kind = "chebyshev-channels"
                    entry.channels = fits.map(Series.init)
                    entry.plane = channels.plane
                    (entry.chebyshev, entry.openfhe) = (nil, nil)
                }
            case let unit as GatedLinearUnit<Float>:
                entry.kind = unit.gate == nil ? "bilinear" : "glu"
                if let fit = fitOfLayer[index] { entry.describe(fit) }
            case is LayerNorm<Float>:
                entry.kind = "layernorm"
                if let inverse = network.inverseSquareRoots[index] {
                    let interval = inverse.polynomial.basis.interval
                    entry.interval = [interval.lowerBound, interval.upperBound]
                    entry.degree = inverse.polynomial.degree
                    entry.chebyshev = inverse.polynomial.coefficients
                    entry.openfhe = [2 * inverse.polynomial.coefficients[0]] + inverse.polynomial.coefficients.dropFirst()
                    entry.newtonSteps = inverse.newtonSteps
                    (entry.babySteps, entry.giantSteps) = Self.patersonStockmeyerSplit(inverse.polynomial.degree)
                    entry.relativeError = inverse.relativeError
                    entry.epsilon = (layer as? LayerNorm<Float>).map { Double($0.epsilon) }
                    entry.nonScalarMultiplications = inverse.polynomialCost.nonScalarMultiplications
                    entry.scalarMultiplications = inverse.polynomialCost.scalarMultiplications
                    entry.additions = inverse.polynomialCost.additions
                }
            case let convolution as Conv2D<Float>:
                let g = convolution.geometry
                entry.kind = "conv2d"
                entry.image = [g.input.channels, g.input.height, g.input.width]
                (entry.kernelSize, entry.stride, entry.padding) = (g.kernelSize, g.stride, g.padding)
            case let pool as AvgPool2D<Float>:
                entry.kind = "avgpool"
                entry.image = [pool.input.channels, pool.input.height, pool.input.width]
                entry.kernelSize = pool.kernelSize
            case is Flatten<Float>: entry.kind = "flatten"
            case is Square<Float>: entry.kind = "square"
            case is PolynomialLayer<Float>: entry.kind = "poly"
            case is HermiteActivation<Float>: entry.kind = "hermite"
            default: break
            }
            return entry
        }
    }

    /// (k, m) as ``AddMultiplyEvaluator`` splits a polynomial of degree `n`.
    static func patersonStockmeyerSplit(_ n: Int) -> (Int, Int) {
        n < 5 ? (n + 1, 0) : EvaluationCost.patersonStockmeyerDegrees(n)
    }

    /// The manifest as `manifest.json` holds it: snake_case keys, sorted, indented.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

extension PolynomialNetworkManifest.Layer {
    /// Fills the polynomial's fields from `fit`.
    mutating func describe(_ fit: ActivationFit) {
        interval = [fit.interval.lowerBound, fit.interval.upperBound]
        method = fit.method.rawValue
        maxError = fit.maxError
        nonScalarMultiplications = fit.cost.nonScalarMultiplications
        scalarMultiplications = fit.cost.scalarMultiplications
        additions = fit.cost.additions
        if let composite = fit.composite {
            self.stages = CompositeReLU<Float>.stages(of: composite).map(PolynomialNetworkManifest.Series.init)
            band = composite.band
            return
        }
        degree = fit.polynomial.degree
        chebyshev = fit.polynomial.coefficients
        openfhe = [2 * fit.polynomial.coefficients[0]] + fit.polynomial.coefficients.dropFirst()
        (babySteps, giantSteps) = PolynomialNetworkManifest.patersonStockmeyerSplit(fit.polynomial.degree)
    }
}
