import LinearAlgebra
import NeuralNetworks
import Testing
import TestSupport

/// The image layers: backward passes against central differences (tolerances in
/// GradientCheck.swift), the convolution's forward pass against a direct sum, and the
/// cryptonets preset (shapes that do not fit are in ArchitectureTests). PyTorch agreement is in TrainingTests
/// (ConvolutionCheckpointTests).
struct ConvolutionTests {
    /// A geometry that exercises padding, a stride that skips the last row and column
    /// (7 + 2 − 3 = 6 is even, so windows end exactly; 8 + 2 − 3 = 7 is not), and two channels.
    static func geometry(size: Int = 8) -> ConvolutionGeometry {
        ConvolutionGeometry(input: ImageShape(channels: 2, height: size, width: size), kernelSize: 3, stride: 2, padding: 1)!
    }

    static func convolution(size: Int = 8, seed: UInt64 = 11, scheme: ConvolutionScheme) -> Conv2D<Double> {
        var generator = SeededGenerator(seed: seed)
        return Conv2D<Double>(geometry: geometry(size: size), outputChannels: 3, scheme: scheme, using: &generator)
    }

    @Test(arguments: [7, 8], ConvolutionScheme.allCases)
    func conv2dGradients(size: Int, scheme: ConvolutionScheme) {
        var layer = Self.convolution(size: size, scheme: scheme)
        randomizeParameters(&layer, seed: 12)
        expectGradientsMatchFiniteDifferences(layer, input: LayerGradientTests.input(rows: 2, columns: 2 * size * size))
    }

    @Test func avgPoolSquareAndFlattenGradients() throws {
        // 2×5×5 with k = 2 drops the last row and column, whose gradient must be zero.
        let pool = try #require(AvgPool2D<Double>(input: ImageShape(channels: 2, height: 5, width: 5), kernelSize: 2))
        expectGradientsMatchFiniteDifferences(pool, input: LayerGradientTests.input(rows: 3, columns: 50))
        expectGradientsMatchFiniteDifferences(Square<Double>(), input: LayerGradientTests.input())
        expectGradientsMatchFiniteDifferences(Flatten<Double>(), input: LayerGradientTests.input())
    }

    @Test func convolutionalModelGradients() throws {
        var generator = SeededGenerator(seed: 13)
        var model: Sequential<Double> = try Architecture(
            parsing: "conv2d(2,3,k=3,stride=2,pad=1,size=8) square conv2d(3,2,k=2) hermite(deg=3) avgpool(1) flatten dense(18,3)")
            .makeModel(using: &generator)
        randomizeParameters(&model, scale: 0.3, seed: 14)
        expectGradientsMatchFiniteDifferences(model, input: LayerGradientTests.input(rows: 2, columns: 128))
    }

    /// `channels=C` after a convolution with C output channels keeps one coefficient set per
    /// channel, shared by the channel's positions: backward checked by central differences.
    @Test func perChannelActivationsAfterAConvolution() throws {
        var generator = SeededGenerator(seed: 15)
        var model: Sequential<Double> = try Architecture(
            parsing: "conv2d(2,3,k=3,stride=2,pad=1,size=8) fourier(deg=3,channels=3) conv2d(3,2,k=2) hermite(deg=3,channels=2) avgpool(3) flatten dense(2,3)")
            .makeModel(using: &generator)
        #expect(model.parameterInfo.map(\.description).filter { $0.hasPrefix("1.") || $0.hasPrefix("3.") }
                == ["1.constant [3, 1]", "1.cosine [3, 3]", "1.sine [3, 3]", "3.coefficients [2, 4]"])
        randomizeParameters(&model, scale: 0.3, seed: 14)
        expectGradientsMatchFiniteDifferences(model, input: LayerGradientTests.input(rows: 2, columns: 128))
    }

    /// One set per image channel computes what one set per column does with each channel's
    /// set repeated over its positions (the same arithmetic, so the results are identical).
    @Test func perPlaneSharingRepeatsEachSetOverItsPlane() {
        var generator = SeededGenerator(seed: 16)
        let coefficients = Matrix<Double>.randomNormal(rows: 3, columns: 4, using: &generator)
        let repeated = Matrix<Double>(rows: 12, columns: 4, elements: (0 ..< 12).flatMap { coefficients.row($0 / 4) })
        let perPlane = HermiteActivation(coefficients: coefficients, sharing: .perPlane(channels: 3, planeSize: 4))
        let perColumn = HermiteActivation(coefficients: repeated, sharing: .perChannel(12))
        let input = LayerGradientTests.input(rows: 2, columns: 12)
        #expect(perPlane(input) == perColumn(input))
    }

    /// The GEMM formulation against the definition, a direct sum over channels and window
    /// offsets with zeros outside the image. Both sum at most 2·3·3 + 1 = 19 products of
    /// O(1) Doubles, so each is within γ₁₉·Σ|w·x| ≲ 19·1.1e-16·19 ≈ 4e-14 of the exact value;
    /// 1e-12 leaves margin while an index error (a wrong window or channel) moves values by O(0.1).
    @Test(arguments: ConvolutionScheme.allCases)
    func forwardMatchesDirectSum(scheme: ConvolutionScheme) {
        let layer = Self.convolution(scheme: scheme)
        let input = LayerGradientTests.input(rows: 2, columns: 128)
        let output = layer(input)
        let g = layer.geometry
        var expected = Matrix<Double>(rows: 2, columns: 3 * g.positions)
        for row in 0 ..< 2 {
            for o in 0 ..< 3 {
                for i in 0 ..< g.outputHeight {
                    for j in 0 ..< g.outputWidth {
                        var total = layer.bias[0, o]
                        for c in 0 ..< 2 {
                            for u in 0 ..< 3 {
                                for v in 0 ..< 3 {
                                    let (y, x) = (i * 2 - 1 + u, j * 2 - 1 + v)
                                    guard (0 ..< 8).contains(y), (0 ..< 8).contains(x) else { continue }
                                    total += layer.weight[o, (c * 3 + u) * 3 + v] * input[row, (c * 8 + y) * 8 + x]
                                }
                            }
                        }
                        expected[row, (o * g.outputHeight + i) * g.outputWidth + j] = total
                    }
                }
            }
        }
        expectClose(output, expected, absolute: 1e-12, "conv2d forward")
        #expect(g.outputHeight == 4 && g.outputWidth == 4)
    }

    /// Geometries (channels, height, width, k, stride, pad, out) for comparing the schemes:
    /// stride above k (phases no window reads), stride equal to k, no padding, padding k − 1,
    /// stride 1, a non-square image, one output channel, cryptonets' layer, and 13 outputs with
    /// 27 patch rows (several full register blocks of the C kernels and a partial one of each kind).
    static let schemeGeometries = [
        (2, 9, 9, 2, 3, 0, 3), (1, 8, 8, 2, 2, 1, 2), (3, 6, 5, 3, 1, 0, 4), (1, 5, 7, 3, 2, 2, 1),
        (2, 7, 6, 3, 1, 1, 3), (1, 28, 28, 5, 2, 1, 5), (3, 6, 6, 3, 1, 1, 13),
    ]

    /// Phase planes against the patch matrix on the same weights, input and ∂loss/∂y, all four
    /// results. Each result element is a sum of at most n products of factors at most 1.5 in
    /// size (inputs in ±[0.1, 1.5], weights and ∂y in ±1): n = in·k² + 1 for y, 2·P for ∂W
    /// and ∂b, out·k² for ∂x. Both schemes are within γ_n·n·1.5 of the exact sum in any
    /// summation order, so they differ by at most 2·γ_n·n·1.5 (< 2e-11 here); a wrong window,
    /// phase or offset moves values by O(0.1).
    @Test(arguments: schemeGeometries)
    func schemesAgree(_ shape: (Int, Int, Int, Int, Int, Int, Int)) throws {
        let (channels, height, width, k, stride, padding, outputs) = shape
        let geometry = try #require(ConvolutionGeometry(input: ImageShape(channels: channels, height: height, width: width),
                                                        kernelSize: k, stride: stride, padding: padding))
        var generator = SeededGenerator(seed: 21)
        let weight = Matrix<Double>.randomUniform(rows: outputs, columns: geometry.patchWidth, in: -1 ... 1, using: &generator)
        let bias = Matrix<Double>.randomUniform(rows: 1, columns: outputs, in: -1 ... 1, using: &generator)
        let input = LayerGradientTests.input(rows: 2, columns: geometry.input.count, seed: 22)
        let outputGradient = Matrix<Double>.randomUniform(rows: 2, columns: outputs * geometry.positions, in: -1 ... 1,
                                                          using: &generator)
        let results = ConvolutionScheme.allCases.map { scheme in
            var layer = Conv2D(geometry: geometry, weight: weight, bias: bias, scheme: scheme)
            #expect(layer.scheme == scheme)
            var (output, inputGradient) = (Matrix<Double>(rows: 0, columns: 0), Matrix<Double>(rows: 0, columns: 0))
            layer.forward(input, into: &output, training: true)
            layer.backward(outputGradient, input: input, output: output, inputGradient: &inputGradient, needsInputGradient: true)
            return [output, layer.weightGradient, layer.biasGradient, inputGradient]
        }
        let n = max(geometry.patchWidth + 1, 2 * geometry.positions, outputs * k * k)
        let tolerance = 2 * gamma(n, Double.self) * Double(n) * 1.5
        for (name, (planes, patches)) in zip(["y", "∂W", "∂b", "∂x"], zip(results[1], results[0])) {
            expectClose(planes, patches, absolute: tolerance, "\(name), \(shape)")
        }
    }

    @Test func cryptonetsPresetHasPyTorchShapes() throws {
        var generator = SeededGenerator(seed: 0)
        let model: Sequential<Float> = try Architecture(parsing: "cryptonets").makeModel(using: &generator)
        #expect(model.parameterInfo.map(\.description) == ["0.weight [5, 1, 5, 5]", "0.bias [5]", "3.weight [100, 845]",
                                                           "3.bias [100]", "5.weight [10, 100]", "5.bias [10]"])
        #expect(try model.widths(forInputWidth: 784) == [845, 845, 845, 100, 100, 10])
        #expect(model.specification == "conv2d(1,5,k=5,stride=2,pad=1,size=28) square flatten dense(845,100) square dense(100,10)")
        #expect((model.layers.first as? Conv2D<Float>)?.scheme == .phasePlanes)
    }

    /// Inference batches shrink to fit the limit: 4·64·64 = 16 384 inputs and a workspace of
    /// 65² windows × 4·16² = 4 326 400 values per row (64 outputs: a patch matrix; the output is
    /// 64·65² = 270 400 values) leave room for ⌊2²⁴/4 326 400⌋ = 3 rows.
    @Test func inferenceRowsFitTheActivationLimit() throws {
        var generator = SeededGenerator(seed: 0)
        let model: Sequential<Float> = try Architecture(parsing: "conv2d(4,64,k=16,pad=8,size=64)").makeModel(using: &generator)
        #expect((model.layers.first as? Conv2D<Float>)?.scheme == .patchMatrix)
        let limits = ArchitectureLimits(maximumActivationElements: 1 << 24)
        #expect(model.rowsFitting(1000, inputWidth: 16_384, within: limits) == 3)
        #expect(model.rowsFitting(2, inputWidth: 16_384, within: limits) == 2)
    }

    /// A huge patch matrix is refused by the activation limit before anything is allocated: one
    /// row's input (16 384) and output (270 400) fit 2²² values, its 4 326 400-value patch block
    /// does not (and fits 2²³).
    @Test func workspaceCountsAgainstTheActivationLimit() throws {
        var generator = SeededGenerator(seed: 0)
        let model: Sequential<Float> = try Architecture(parsing: "conv2d(4,64,k=16,pad=8,size=64)").makeModel(using: &generator)
        #expect(throws: ModelError.self) {
            try model.checkBuffers(rows: 1, inputWidth: 64 * 64 * 4, within: ArchitectureLimits(maximumActivationElements: 1 << 22))
        }
        #expect(throws: Never.self) {
            try model.checkBuffers(rows: 1, inputWidth: 64 * 64 * 4, within: ArchitectureLimits(maximumActivationElements: 1 << 23))
        }
    }
}
