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

    static func convolution(size: Int = 8, seed: UInt64 = 11) -> Conv2D<Double> {
        var generator = SeededGenerator(seed: seed)
        return Conv2D<Double>(geometry: geometry(size: size), outputChannels: 3, using: &generator)
    }

    @Test(arguments: [7, 8])
    func conv2dGradients(size: Int) {
        var layer = Self.convolution(size: size)
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
    @Test func forwardMatchesDirectSum() {
        let layer = Self.convolution()
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

    @Test func cryptonetsPresetHasPyTorchShapes() throws {
        var generator = SeededGenerator(seed: 0)
        let model: Sequential<Float> = try Architecture(parsing: "cryptonets").makeModel(using: &generator)
        #expect(model.parameterInfo.map(\.description) == ["0.weight [5, 1, 5, 5]", "0.bias [5]", "3.weight [100, 845]",
                                                           "3.bias [100]", "5.weight [10, 100]", "5.bias [10]"])
        #expect(try model.widths(forInputWidth: 784) == [845, 845, 845, 100, 100, 10])
        #expect(model.specification == "conv2d(1,5,k=5,stride=2,pad=1,size=28) square flatten dense(845,100) square dense(100,10)")
    }

    /// Inference batches shrink to fit the limit: 4·64·64 = 16 384 inputs and a workspace of
    /// 65² windows × 4·16² = 4 326 400 values per row leave room for ⌊2²⁴/4 326 400⌋ = 3 rows.
    @Test func inferenceRowsFitTheActivationLimit() throws {
        var generator = SeededGenerator(seed: 0)
        let model: Sequential<Float> = try Architecture(parsing: "conv2d(4,1,k=16,pad=8,size=64)").makeModel(using: &generator)
        let limits = ArchitectureLimits(maximumActivationElements: 1 << 24)
        #expect(model.rowsFitting(1000, inputWidth: 16_384, within: limits) == 3)
        #expect(model.rowsFitting(2, inputWidth: 16_384, within: limits) == 2)
    }

    /// A huge patch matrix is refused by the activation limit before anything is allocated.
    @Test func workspaceCountsAgainstTheActivationLimit() throws {
        var generator = SeededGenerator(seed: 0)
        let model: Sequential<Float> = try Architecture(parsing: "conv2d(4,1,k=16,pad=8,size=64)").makeModel(using: &generator)
        #expect(throws: ModelError.self) {
            try model.checkBuffers(rows: 64, inputWidth: 64 * 64 * 4, within: ArchitectureLimits(maximumActivationElements: 1 << 20))
        }
    }
}
