import LinearAlgebra
import NeuralNetworks
import Polynomials

/// Evaluates an exported polynomial network (``PolynomialNetworkManifest`` and its weights)
/// with ``SlotVector``s only — additions and multiplications, as a homomorphic evaluator
/// would — and measures the depth and products it consumes.
///
/// Dense layers are plaintext linear combinations (one level); a gated linear unit is two of
/// them, its gate polynomial, one product of two values and a third. A Chebyshev series on [a, b] is
/// evaluated as OpenFHE's `EvalChebyshevSeries` does: the affine map t = (2x − a − b)/(b − a)
/// (one level), then for degree n < 5 the linear scheme Σ cⱼTⱼ(t), and otherwise
/// Paterson–Stockmeyer with OpenFHE's (k, m): baby steps T₁…T_k by T_{a+b} = 2T_aT_b − T_{|a−b|},
/// giant steps T_{2^i k} by squaring, and the polynomial split recursively as
/// p = q·T_{2^i k} + r (from T_{M+j} = 2T_M·T_j − T_{M−j}). A polynomial of degree
/// < k(2^m − 1) then has depth ⌈log₂ k⌉ + m, as ``/Polynomials/EvaluationCost`` reports.
public enum AddMultiplyEvaluator {
    /// The outputs (one row per example), the depth of the result, and the products used.
    public struct Result {
        /// The outputs, one row per example.
        public var outputs: Matrix<Double>
        /// The multiplicative depth of the outputs.
        public var depth: Int
        /// Products of two values.
        public var nonScalarMultiplications: Int
        /// Products with a constant that consume a level.
        public var scalarMultiplications: Int
    }

    /// Runs `manifest` on `inputs` (one example per row), taking each dense layer's tensors
    /// from `tensors` by their manifest names (`[out, in]` weights and `[out]` biases as
    /// matrices of one row).
    public static func evaluate(_ manifest: PolynomialNetworkManifest, tensors: [String: Matrix<Double>],
                                inputs: Matrix<Double>) throws -> Result {
        let counter = OperationCounter()
        var values = (0 ..< inputs.columns).map { column in
            SlotVector(encrypting: (0 ..< inputs.rows).map { inputs[$0, column] }, counter: counter)
        }
        for layer in manifest.layers {
            switch layer.kind {
            case "dense":
                guard layer.tensors.count == 2, let weight = tensors[layer.tensors[0]], let bias = tensors[layer.tensors[1]],
                      weight.columns == values.count, bias.elements.count == weight.rows else {
                    throw PolynomializationError.invalidSetting("layer \(layer.index): dense tensors \(layer.tensors) missing or of the wrong shape")
                }
                values = linear(values, weight: weight, bias: bias)
            case "chebyshev":
                guard let interval = layer.interval, interval.count == 2, let coefficients = layer.chebyshev,
                      !coefficients.isEmpty else {
                    throw PolynomializationError.invalidSetting("layer \(layer.index): Chebyshev layer without interval or coefficients")
                }
                values = values.map { chebyshevSeries(coefficients, on: interval[0] ... interval[1], at: $0) }
            case "conv2d":
                guard layer.tensors.count == 2, let weight = tensors[layer.tensors[0]], let bias = tensors[layer.tensors[1]],
                      let image = layer.image, image.count == 3, let k = layer.kernelSize, let stride = layer.stride,
                      let padding = layer.padding,
                      let geometry = ConvolutionGeometry(input: ImageShape(channels: image[0], height: image[1], width: image[2]),
                                                         kernelSize: k, stride: stride, padding: padding),
                      values.count == geometry.input.count, weight.columns == geometry.patchWidth, bias.elements.count == weight.rows else {
                    throw PolynomializationError.invalidSetting("layer \(layer.index): conv2d entry or tensors incomplete or of the wrong shape")
                }
                values = convolution(values, weight: weight, bias: bias, geometry: geometry)
            case "avgpool":
                guard let image = layer.image, image.count == 3, let k = layer.kernelSize,
                      let pool = AvgPool2D<Double>(input: ImageShape(channels: image[0], height: image[1], width: image[2]), kernelSize: k),
                      values.count == pool.input.count else {
                    throw PolynomializationError.invalidSetting("layer \(layer.index): avgpool entry incomplete or of the wrong shape")
                }
                values = averagePool(values, input: pool.input, kernelSize: k)
            case "flatten":
                break
            case "square":
                values = values.map { $0 * $0 }
            case "chebyshev-channels":
                guard let channels = layer.channels, !channels.isEmpty, channels.allSatisfy(\.isWellFormed),
                      let plane = layer.plane, plane >= 1, values.count == channels.count * plane else {
                    throw PolynomializationError.invalidSetting("layer \(layer.index): chebyshev-channels layer without channels for its \(values.count) inputs")
                }
                values = values.enumerated().map { column, x in
                    let series = channels[column / plane]
                    return chebyshevSeries(series.chebyshev, on: series.interval[0] ... series.interval[1], at: x)
                }
            case "composite-relu":
                guard let stages = layer.stages, !stages.isEmpty, stages.allSatisfy(\.isWellFormed) else {
                    throw PolynomializationError.invalidSetting("layer \(layer.index): composite-relu layer without stages")
                }
                values = values.map { x in
                    x * stages.reduce(x) { value, stage in
                        chebyshevSeries(stage.chebyshev, on: stage.interval[0] ... stage.interval[1], at: value)
                    }
                }
            case "glu", "bilinear":
                // W_gate, b_gate, W_up, b_up, W_down, b_down.
                let found = layer.tensors.compactMap { tensors[$0] }
                guard found.count == 6, found[0].columns == values.count, found[2].columns == values.count,
                      found[0].rows == found[2].rows, found[4].columns == found[0].rows,
                      found[1].elements.count == found[0].rows, found[3].elements.count == found[2].rows,
                      found[5].elements.count == found[4].rows else {
                    throw PolynomializationError.invalidSetting("layer \(layer.index): \(layer.kind) tensors \(layer.tensors) missing or of the wrong shape")
                }
                var gate = linear(values, weight: found[0], bias: found[1])
                if layer.kind == "glu" {
                    guard let interval = layer.interval, interval.count == 2, let coefficients = layer.chebyshev, !coefficients.isEmpty else {
                        throw PolynomializationError.invalidSetting("layer \(layer.index): glu layer without interval or coefficients")
                    }
                    gate = gate.map { chebyshevSeries(coefficients, on: interval[0] ... interval[1], at: $0) }
                }
                let value = linear(values, weight: found[2], bias: found[3])
                values = linear(zip(gate, value).map { $0 * $1 }, weight: found[4], bias: found[5])
            case "layernorm":
                guard layer.tensors.count == 2, let gamma = tensors[layer.tensors[0]], let beta = tensors[layer.tensors[1]],
                      gamma.elements.count == values.count, beta.elements.count == values.count,
                      let interval = layer.interval, interval.count == 2, let coefficients = layer.chebyshev,
                      !coefficients.isEmpty, let steps = layer.newtonSteps, let epsilon = layer.epsilon else {
                    throw PolynomializationError.invalidSetting("layer \(layer.index): layernorm entry or tensors incomplete")
                }
                values = layerNorm(values, gamma: Array(gamma.elements), beta: Array(beta.elements), epsilon: epsilon,
                                   inverse: coefficients, on: interval[0] ... interval[1], newtonSteps: steps)
            default:
                throw PolynomializationError.invalidSetting("layer \(layer.index): the add/multiply evaluator does not handle '\(layer.kind)' layers yet")
            }
        }
        var outputs = Matrix<Double>(rows: inputs.rows, columns: values.count)
        for (column, value) in values.enumerated() {
            for (row, slot) in value.decrypted().enumerated() { outputs[row, column] = slot }
        }
        return Result(outputs: outputs, depth: values.map(\.level).max() ?? 0,
                      nonScalarMultiplications: counter.nonScalarMultiplications,
                      scalarMultiplications: counter.scalarMultiplications)
    }

    /// W·x + b for plaintext W [out, in] and b (one row), one level.
    static func linear(_ x: [SlotVector], weight: Matrix<Double>, bias: Matrix<Double>) -> [SlotVector] {
        (0 ..< weight.rows).map { unit in SlotVector.linearCombination(x, weights: weight.row(unit), bias: bias.elements[unit]) }
    }

    /// LayerNorm over the features `x` with 1/√v replaced: μ = Σx/n, c = x − μ,
    /// v = Σc²/n + ε, y = Newton steps from the Chebyshev series, then γ ⊙ c·y + β.
    /// out[o, y, x] = b_o + Σ w[o, i, dy, dx]·in[i, y·s + dy − p, x·s + dx − p] over the taps inside
    /// the image (padding contributes nothing): one plaintext product level, like a dense layer.
    static func convolution(_ x: [SlotVector], weight: Matrix<Double>, bias: Matrix<Double>,
                            geometry g: ConvolutionGeometry) -> [SlotVector] {
        let (k, shape) = (g.kernelSize, g.input)
        var outputs = [SlotVector]()
        outputs.reserveCapacity(weight.rows * g.positions)
        for o in 0 ..< weight.rows {
            let row = weight.row(o)
            for y in 0 ..< g.outputHeight {
                for x0 in 0 ..< g.outputWidth {
                    var (terms, weights) = ([SlotVector](), [Double]())
                    for i in 0 ..< shape.channels {
                        for dy in 0 ..< k {
                            for dx in 0 ..< k {
                                let (py, px) = (y * g.stride + dy - g.padding, x0 * g.stride + dx - g.padding)
                                guard (0 ..< shape.height).contains(py), (0 ..< shape.width).contains(px) else { continue }
                                terms.append(x[i * shape.planeCount + py * shape.width + px])
                                weights.append(row[(i * k + dy) * k + dx])
                            }
                        }
                    }
                    // A window wholly in the padding is the bias alone: 0·x + b.
                    if terms.isEmpty { (terms, weights) = ([x[0]], [0]) }
                    outputs.append(SlotVector.linearCombination(terms, weights: weights, bias: bias.elements[o]))
                }
            }
        }
        return outputs
    }

    /// Each output the sum of its k×k window times the plaintext 1/k² (one level).
    static func averagePool(_ x: [SlotVector], input shape: ImageShape, kernelSize k: Int) -> [SlotVector] {
        let (height, width) = (shape.height / k, shape.width / k)
        return (0 ..< shape.channels).flatMap { c in
            (0 ..< height).flatMap { y in
                (0 ..< width).map { x0 in
                    let window = (0 ..< k * k).map { x[c * shape.planeCount + (y * k + $0 / k) * shape.width + x0 * k + $0 % k] }
                    return SlotVector.linearCombination(window, weights: Array(repeating: 1 / Double(k * k), count: k * k), bias: 0)
                }
            }
        }
    }

    static func layerNorm(_ x: [SlotVector], gamma: [Double], beta: [Double], epsilon: Double,
                          inverse coefficients: [Double], on interval: ClosedRange<Double>, newtonSteps: Int) -> [SlotVector] {
        let n = Double(x.count)
        let mean = SlotVector.linearCombination(x, weights: Array(repeating: 1 / n, count: x.count), bias: 0)
        let centred = x.map { $0 - mean }
        let variance = SlotVector.linearCombination(centred.map { $0 * $0 }, weights: Array(repeating: 1 / n, count: x.count),
                                                    bias: epsilon)
        var y = chebyshevSeries(coefficients, on: interval, at: variance)
        for _ in 0 ..< newtonSteps {
            // y·(3 − v·y²)/2, with y/2 computed alongside v·y².
            let inner = (-1) * (variance * (y * y)) + 3
            y = inner * y.scaled(by: 0.5)
        }
        return centred.indices.map { i in (centred[i] * y).scaled(by: gamma[i]) + beta[i] }
    }

    /// Σ cⱼ·Tⱼ(t(x)) on `interval`, by the scheme in the type's discussion.
    public static func chebyshevSeries(_ coefficients: [Double], on interval: ClosedRange<Double>, at x: SlotVector) -> SlotVector {
        let n = coefficients.count - 1
        if n == 0 { return 0 * x + coefficients[0] }
        let width = interval.upperBound - interval.lowerBound
        let t = (2 / width) * x + (-(interval.lowerBound + interval.upperBound) / width)
        let (k, m) = PolynomialNetworkManifest.patersonStockmeyerSplit(n)
        // Baby steps T_1 … T_k at indices 1 … k (index 0 holds t too, as a placeholder: the
        // constant T_0 = 1 is added as a plaintext).
        var baby = [t, t]
        for j in stride(from: 2, through: k, by: 1) {
            let a = 1 << (Int.bitWidth - (j - 1).leadingZeroBitCount - 1)  // the largest power of 2 below j
            let b = j - a
            // T_{a+b} = 2·T_a·T_b − T_{a−b}; T_{2a} = 2T_a² − 1. Depth of T_j: ⌈log₂ j⌉ above t.
            let product = 2 * (baby[a] * baby[b])
            baby.append(a == b ? product + (-1) : product - baby[a - b])
        }
        // Giant steps T_k, T_2k, …, T_{2^{m−1}k}.
        var giant = [SlotVector]()
        if m > 0 {
            giant.append(baby[k])
            for _ in 1 ..< m { giant.append(2 * (giant[giant.count - 1] * giant[giant.count - 1]) + (-1)) }
        }
        return evaluate(Array(coefficients), baby: baby, giant: giant, k: k, giantCount: m, oddMultiple: true)
    }

    /// Evaluates Σ cⱼTⱼ using the giant steps G_0 … G_{g−1}: for an "odd multiple" polynomial
    /// (degree < k·(2^g − 1), the top level) within depth ⌈log₂ k⌉ + g, otherwise (degree
    /// < k·2^g) within ⌈log₂ k⌉ + g + 1. Splitting p = q·G_{g−1} + r, the remainder is always of
    /// the second kind and the quotient of the same kind as p.
    private static func evaluate(_ c: [Double], baby: [SlotVector], giant: [SlotVector], k: Int, giantCount g: Int,
                                 oddMultiple: Bool) -> SlotVector {
        let degree = (c.lastIndex { $0 != 0 } ?? 0)
        if degree < k || g == 0 { return linearSum(Array(c.prefix(degree + 1)), baby: baby) }
        let split = g - 1
        let m = (1 << split) * k
        // Below M = 2^{g−1}·k the smaller giant steps suffice (within either depth).
        if degree < m {
            return evaluate(c, baby: baby, giant: giant, k: k, giantCount: split, oddMultiple: false)
        }
        // T_{M+j} = 2·T_M·T_j − T_{M−j}: cᵢTᵢ (i > M) adds 2cᵢ to q_{i−M} and −cᵢ to r_{2M−i}.
        var q = [Double](repeating: 0, count: degree - m + 1)
        var r = Array(c.prefix(m))
        for i in m ... degree where c[i] != 0 {
            if i == m {
                q[0] += c[i]
            } else {
                q[i - m] += 2 * c[i]
                r[2 * m - i] -= c[i]
            }
        }
        let quotient = evaluate(q, baby: baby, giant: giant, k: k, giantCount: split, oddMultiple: oddMultiple)
        let remainder = evaluate(r, baby: baby, giant: giant, k: k, giantCount: split, oddMultiple: false)
        return quotient * giant[split] + remainder
    }

    /// c₀ + Σⱼ≥₁ cⱼ·Tⱼ with the baby steps.
    private static func linearSum(_ c: [Double], baby: [SlotVector]) -> SlotVector {
        var sum: SlotVector?
        for j in stride(from: 1, to: c.count, by: 1) where c[j] != 0 {
            let term = c[j] * baby[j]
            sum = sum.map { $0 + term } ?? term
        }
        // A constant alone still needs a value to live in: 0·T₁ + c₀ (no level: 0 is an integer).
        return (sum ?? 0 * baby[1]) + c[0]
    }
}
