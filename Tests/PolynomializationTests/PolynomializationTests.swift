import Datasets
import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks
import Polynomials
import Testing
import Training
@testable import Polynomialization

/// A seeded dense(d, n) ACT dense(n, o) network with weights of order 1/√width.
func smallNetwork(_ activation: String, inputs d: Int = 6, hidden n: Int = 16, outputs o: Int = 4,
                  seed: UInt64 = 7) throws -> Sequential<Float> {
    var generator = SeededGenerator(seed: seed)
    return try Architecture(parsing: "dense(\(d),\(n)) \(activation) dense(\(n),\(o))").makeModel(as: Float.self, using: &generator)
}

func gaussianInputs(rows: Int, columns: Int, seed: UInt64) -> Matrix<Float> {
    var generator = SeededGenerator(seed: seed)
    return Matrix<Float>.randomNormal(rows: rows, columns: columns, standardDeviation: 1.5, using: &generator)
}

@Suite("Range profiles")
struct RangeProfileTests {
    /// Percentiles from the 4096-bin histogram lie within one bin width of the sorted values'.
    @Test func percentilesAreWithinOneBin() {
        var generator = SeededGenerator(seed: 3)
        let values = (0 ..< 100_000).map { _ in Float.standardNormal(using: &generator) * 3 + 1 }
        let distribution = values.withUnsafeBufferPointer { ValueDistribution($0) }
        let sorted = values.sorted()
        let bin = (distribution.maximum - distribution.minimum) / Double(ValueDistribution.binCount)
        for percent in ValueDistribution.reportedPercentiles {
            let rank = Int((percent / 100 * Double(values.count)).rounded(.up)) - 1
            let exact = Double(sorted[max(rank, 0)])
            #expect(abs(distribution.percentile(percent) - exact) <= bin, "p\(percent)")
        }
        #expect(distribution.minimum == Double(sorted.first!) && distribution.maximum == Double(sorted.last!))
        #expect(distribution.histogram.reduce(0, +) == values.count)
    }

    /// The profile's extremes are those of W₁x + b₁ computed independently in Double; Float
    /// products of length 6 differ from them by at most 6·2⁻²⁴·Σ|wᵢxᵢ| (here ≤ 1e-5).
    @Test func extremesMatchDirectPreactivations() throws {
        let model = try smallNetwork("tanh")
        let inputs = gaussianInputs(rows: 500, columns: 6, seed: 4)
        let ranges = try RangeProfile.measure(model, on: inputs, batchSize: 128)
        #expect(ranges.count == 1 && ranges[0].layerIndex == 1 && ranges[0].function == .tanh)
        let dense = try #require(model.layers[0] as? Dense<Float>)
        var (low, high) = (Double.infinity, -Double.infinity)
        var (unitLow, unitHigh) = ([Double](repeating: .infinity, count: 16), [Double](repeating: -.infinity, count: 16))
        for r in 0 ..< inputs.rows {
            for unit in 0 ..< 16 {
                var sum = Double(dense.bias[0, unit])
                for i in 0 ..< 6 { sum += Double(dense.weight[unit, i]) * Double(inputs[r, i]) }
                (low, high) = (min(low, sum), max(high, sum))
                (unitLow[unit], unitHigh[unit]) = (min(unitLow[unit], sum), max(unitHigh[unit], sum))
            }
        }
        #expect(abs(ranges[0].distribution.minimum - low) <= 1e-5 && abs(ranges[0].distribution.maximum - high) <= 1e-5)
        #expect(ranges[0].distribution.count == 500 * 16 && ranges[0].channels == nil)
        // Per channel: each unit's extremes, and profile.json lists them.
        let perChannel = try RangeProfile.measureAll(model, on: inputs, batchSize: 128, perChannel: true).activations[0]
        let channels = try #require(perChannel.channels)
        #expect(channels.count == 16 && channels.allSatisfy { $0.count == 500 })
        for unit in 0 ..< 16 {
            #expect(abs(channels[unit].minimum - unitLow[unit]) <= 1e-5 && abs(channels[unit].maximum - unitHigh[unit]) <= 1e-5)
        }
        let profile = try JSONSerialization.jsonObject(with: RangeProfile.encoded([perChannel])) as? [[String: Any]]
        let listed = try #require(profile?.first?["channels"] as? [[String: Any]])
        // Foundation's JSON writer and reader on Linux round-trip a Double to within a few ulps,
        // not always exactly.
        func close(_ value: Any?, _ expected: Double) -> Bool {
            (value as? Double).map { abs($0 - expected) <= 8 * Double.ulpOfOne * abs(expected) } ?? false
        }
        #expect(listed.count == 16 && close(listed[3]["maximum"], channels[3].maximum))
        #expect(close(profile?.first?["standard_deviation"], perChannel.distribution.standardDeviation))
    }

    @Test func unsupportedLayersAndBadDataAreNamed() throws {
        var generator = SeededGenerator(seed: 1)
        let fourier = try Architecture(parsing: "dense(6,8) fourier(deg=3) dense(8,2)").makeModel(as: Float.self, using: &generator)
        #expect {
            try RangeProfile.measure(fourier, on: gaussianInputs(rows: 4, columns: 6, seed: 1))
        } throws: { "\($0)".hasPrefix("layer 1 (fourier(deg=3)) cannot be made polynomial") }
        let model = try smallNetwork("relu")
        #expect(throws: PolynomializationError.inputWidthMismatch(network: 6, data: 5)) {
            try RangeProfile.measure(model, on: gaussianInputs(rows: 4, columns: 5, seed: 1))
        }
        #expect(throws: PolynomializationError.noData) { try RangeProfile.measure(model, on: Matrix(rows: 0, columns: 6)) }
    }
}

@Suite("Polynomial networks")
struct PolynomialNetworkTests {
    /// Replacing tanh by its minimax polynomial p with |tanh − p| ≤ E on the interval changes
    /// output o by at most Σₙ|W₂[o,n]|·E while every input stays inside; Float evaluation adds
    /// rounding of order 16·2⁻²⁴·Σ|W₂||h| (≤ 1e-5 here).
    @Test func outputsMoveByAtMostTheCertifiedError() throws {
        let model = try smallNetwork("tanh")
        let inputs = gaussianInputs(rows: 400, columns: 6, seed: 5)
        let ranges = try RangeProfile.measure(model, on: inputs)
        let fit = try ActivationFit.fit(ranges[0], interval: IntervalRule(margin: 1.05), degree: .degree(21))
        let network = try PolynomialNetwork(replacingIn: model, with: [fit])
        var (original, replaced) = (model, network.model)
        let (expected, actual) = (original(inputs), replaced(inputs))
        let output = try #require(model.layers[2] as? Dense<Float>)
        for o in 0 ..< 4 {
            let bound = (0 ..< 16).reduce(0.0) { $0 + abs(Double(output.weight[o, $1])) } * fit.maxError + 1e-5
            for r in 0 ..< inputs.rows { #expect(abs(Double(expected[r, o]) - Double(actual[r, o])) <= bound) }
        }
        #expect(fit.maxError > 0 && fit.maxError < 1e-2)
        #expect(try #require(fit.lowerBound) <= fit.maxError)
    }

    /// Depth: one level per dense layer plus OpenFHE's Paterson–Stockmeyer depth of degree 15
    /// (8 products at depth 5) and one level for the affine map onto [−1, 1].
    @Test func depthFollowsTheStatedRule() throws {
        let model = try smallNetwork("relu")
        let ranges = try RangeProfile.measure(model, on: gaussianInputs(rows: 200, columns: 6, seed: 6))
        let fit = try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(15))
        #expect(fit.cost.depth == 6 && fit.cost.nonScalarMultiplications == 8)
        let network = try PolynomialNetwork(replacingIn: model, with: [fit])
        #expect(network.layerDepths == [1, 6, 1] && network.totalDepth == 8)
        #expect(PolynomialNetwork.ceilLog2(1) == 0 && PolynomialNetwork.ceilLog2(3) == 2 && PolynomialNetwork.ceilLog2(8) == 3)
    }

    /// --max-error picks the smallest degree that meets the bound: it meets it and the degree
    /// below does not.
    @Test func smallestDegreeMeetingAnErrorBound() throws {
        let model = try smallNetwork("gelu")
        let ranges = try RangeProfile.measure(model, on: gaussianInputs(rows: 200, columns: 6, seed: 8))
        let fit = try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .maxError(1e-3))
        #expect(fit.maxError <= 1e-3)
        let below = try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(fit.polynomial.degree - 1))
        #expect(below.maxError > 1e-3)
        #expect(throws: PolynomializationError.self) {
            try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .maxError(1e-300))
        }
    }

    /// The Gaussian fit is the least-squares polynomial under N(μ, σ²) with the measured mean
    /// and standard deviation: its residual f − p is orthogonal to 1, t, …, tⁿ in that measure
    /// (here tanh, n = 7). The inner products are computed independently of the fit, by the
    /// trapezoid rule on μ ± 12σ with 24,001 points (for an analytic integrand decaying like a
    /// Gaussian the rule's error is far below rounding; the tails beyond 12σ weigh < 1e-31).
    /// Bound: the projection's own tolerance and the Chebyshev conversion's rounding, each a
    /// few ulps of Σ|cₖ| per term, give |⟨f − p, tᵏ⟩| ≲ 1e-10 for these O(1) quantities.
    @Test func gaussianFitIsOrthogonalToLowerDegrees() throws {
        let model = try smallNetwork("tanh")
        let ranges = try RangeProfile.measure(model, on: gaussianInputs(rows: 400, columns: 6, seed: 9))
        let fit = try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(7), method: .gaussian)
        #expect(fit.method == .gaussian && fit.lowerBound == nil && fit.polynomial.degree == 7)
        let (mean, sigma) = (ranges[0].distribution.mean, ranges[0].distribution.standardDeviation)
        let count = 24_000
        let step = 24 * sigma / Double(count)
        for k in 0 ... 7 {
            var product = 0.0
            for i in 0 ... count {
                let x = mean - 12 * sigma + Double(i) * step
                let z = (x - mean) / sigma
                let weight = (i == 0 || i == count ? 0.5 : 1) * step * exp(-z * z / 2) / (sigma * (2 * Double.pi).squareRoot())
                product += weight * (tanh(x) - fit.polynomial(x)) * pow(z, Double(k))
            }
            #expect(abs(product) <= 1e-10, "moment \(k): \(product)")
        }
        // Its max error on the interval is measured, and at least the minimax error there.
        let minimax = try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(7))
        let certified = try #require(minimax.lowerBound)
        #expect(fit.maxError >= certified)
        // --max-error with the Gaussian method: the smallest degree meeting the bound.
        let bounded = try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .maxError(1e-2), method: .gaussian)
        #expect(bounded.maxError <= 1e-2)
        for degree in 1 ..< bounded.polynomial.degree {
            #expect(try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(degree), method: .gaussian).maxError > 1e-2)
        }
        #expect(throws: PolynomializationError.self) {
            try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(7), method: .taylor)
        }
    }

    /// The exported OpenFHE coefficients, evaluated as OpenFHE documents it (c₀/2 + Σ cₖTₖ(t),
    /// t = (2x − a − b)/(b − a), re-implemented here by the three-term recurrence), give the
    /// fitted polynomial: the same Chebyshev sum in another order, so a few ulps of the largest
    /// term (1e-12 relative to Σ|cₖ|).
    @Test func manifestCoefficientsFollowOpenFHEsConvention() throws {
        let model = try smallNetwork("silu")
        let ranges = try RangeProfile.measure(model, on: gaussianInputs(rows: 200, columns: 6, seed: 9))
        let fit = try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(13))
        let network = try PolynomialNetwork(replacingIn: model, with: [fit])
        let manifest = PolynomialNetworkManifest(network, original: model)
        #expect(manifest.layers.map(\.kind) == ["dense", "chebyshev", "dense"])
        #expect(manifest.layers[0].tensors == ["0.weight", "0.bias"] && manifest.totalDepth == network.totalDepth)
        let layer = manifest.layers[1]
        let (a, b) = (try #require(layer.interval)[0], try #require(layer.interval)[1])
        let coefficients = try #require(layer.openfhe)
        let size = coefficients.reduce(0) { $0 + abs($1) }
        for step in 0 ... 50 {
            let x = a + (b - a) * Double(step) / 50
            let t = (2 * x - a - b) / (b - a)
            var (previous, current) = (1.0, t)
            var sum = coefficients[0] / 2 + coefficients[1] * t
            for k in 2 ..< coefficients.count {
                (previous, current) = (current, 2 * t * current - previous)
                sum += coefficients[k] * current
            }
            #expect(abs(sum - fit.polynomial(x)) <= 1e-12 * size)
        }
    }
}

@Suite("Add/multiply-only evaluation")
struct AddMultiplyEvaluatorTests {
    /// The Paterson–Stockmeyer evaluation gives the Chebyshev series (Clenshaw in Double) to
    /// within n²·ε·Σ|cⱼ| (each Tⱼ by ≤ n products and sums with |Tⱼ| ≤ 1 on the interval, the
    /// splits add O(n) terms), and consumes exactly the depth OpenFHE's scheme reports
    /// (`EvaluationCost`, affine map included) for every degree up to 120.
    @Test func chebyshevSeriesMatchesClenshawAndTheReportedDepth() {
        var generator = SeededGenerator(seed: 12)
        let interval = -3.0 ... 5.0
        let points = (0 ... 40).map { interval.lowerBound + 8 * Double($0) / 40 }
        for n in 1 ... 120 {
            let coefficients = (0 ... n).map { _ in Double.random(in: 0.5 ... 1, using: &generator) * (Bool.random(using: &generator) ? 1 : -1) }
            let polynomial = Polynomial(coefficients: coefficients, basis: .chebyshev(on: interval))
            let counter = OperationCounter()
            let result = AddMultiplyEvaluator.chebyshevSeries(coefficients, on: interval,
                                                              at: SlotVector(encrypting: points, counter: counter))
            let size = coefficients.reduce(0) { $0 + abs($1) }
            for (x, value) in zip(points, result.decrypted()) {
                #expect(abs(value - polynomial(x)) <= Double(n * n) * Double.ulpOfOne * size, "degree \(n) at \(x)")
            }
            let cost = EvaluationCost.chebyshevPatersonStockmeyer(degree: n, needsAffineMap: true)
            #expect(result.level == cost.depth, "degree \(n): depth \(result.level), reported \(cost.depth)")
        }
    }

    /// The exported network run on SlotVectors equals the polynomial network computed in
    /// Double with the same weights (dense products in another order: 1e-9 relative to the
    /// logits' size covers n·ε·Σ|w||h| for these widths), and its depth is the manifest's.
    @Test func exportedNetworkRunsWithAdditionsAndMultiplicationsOnly() throws {
        let model = try smallNetwork("gelu", inputs: 6, hidden: 12, outputs: 3, seed: 21)
        let inputs = gaussianInputs(rows: 50, columns: 6, seed: 22)
        let ranges = try RangeProfile.measure(model, on: inputs)
        let fit = try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(15))
        let network = try PolynomialNetwork(replacingIn: model, with: [fit])
        let manifest = PolynomialNetworkManifest(network, original: model)
        let first = try #require(model.layers[0] as? Dense<Float>), last = try #require(model.layers[2] as? Dense<Float>)
        let tensors = ["0.weight": first.weight.converted(to: Double.self), "0.bias": first.bias.converted(to: Double.self),
                       "2.weight": last.weight.converted(to: Double.self), "2.bias": last.bias.converted(to: Double.self)]
        let result = try AddMultiplyEvaluator.evaluate(manifest, tensors: tensors, inputs: inputs.converted(to: Double.self))
        var reference = Sequential<Double>([Dense(weight: tensors["0.weight"]!, bias: tensors["0.bias"]!),
                                            ChebyshevActivation<Double>(fit.polynomial),
                                            Dense(weight: tensors["2.weight"]!, bias: tensors["2.bias"]!)])
        let expected = reference(inputs.converted(to: Double.self))
        let scale = expected.elements.reduce(0) { max($0, abs($1)) }
        for (a, b) in zip(result.outputs.elements, expected.elements) { #expect(abs(a - b) <= 1e-9 * scale) }
        #expect(result.depth == manifest.totalDepth)
        #expect(result.nonScalarMultiplications > 0)
    }
}

@Suite("Convolutional networks made polynomial")
struct ConvolutionalPolynomializationTests {
    /// conv2d relu avgpool square flatten dense: the ReLU after the convolution is profiled and
    /// replaced; the add/multiply-only evaluator (its own convolution and pooling over slots)
    /// agrees with the Float network within 1e-6 of the largest logit (Float storage: a few
    /// 2⁻²⁴ of sums of ≤ 48 terms) and measures the depth reported: conv 1, the polynomial's,
    /// pool 1, square 1, dense 1.
    @Test func convolutionalNetworkRunsWithAdditionsAndMultiplicationsOnly() throws {
        var generator = SeededGenerator(seed: 51)
        let model = try Architecture(parsing: "conv2d(1,3,k=3,stride=2,pad=1,size=8) relu avgpool(2) square flatten dense(12,3)")
            .makeModel(as: Float.self, using: &generator)
        let inputs = gaussianInputs(rows: 30, columns: 64, seed: 52)
        let ranges = try RangeProfile.measure(model, on: inputs)
        #expect(ranges.count == 1 && ranges[0].layerIndex == 1 && ranges[0].distribution.count == 30 * 48)
        // Per channel: one distribution per output channel of the convolution, its 16 positions
        // of every example, whose extremes together are the layer's.
        let channels = try #require(try RangeProfile.measureAll(model, on: inputs, perChannel: true).activations[0].channels)
        #expect(channels.count == 3 && channels.allSatisfy { $0.count == 30 * 16 })
        #expect(channels.map(\.minimum).min() == ranges[0].distribution.minimum
                && channels.map(\.maximum).max() == ranges[0].distribution.maximum)
        let fit = try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(9))
        let network = try PolynomialNetwork(replacingIn: model, with: [fit])
        #expect(network.layerDepths == [1, fit.cost.depth, 1, 1, 0, 1])
        // Fitted per output channel instead: one series per image plane of 16 columns.
        let perChannel = try ActivationFit.fitPerChannel(try RangeProfile.measureAll(model, on: inputs, perChannel: true).activations[0],
                                                         interval: IntervalRule(), degree: .degree(9))
        let channelNetwork = try PolynomialNetwork(replacingIn: model, with: [perChannel])
        #expect((channelNetwork.model.layers[1] as? ChannelChebyshevActivation<Float>)?.plane == 16)
        let channelCheck = try AddMultiplyEvaluator.verify(channelNetwork, original: model, inputs: inputs)
        #expect(channelCheck.measuredDepth == channelCheck.reportedDepth && channelCheck.largestRelativeDifference <= 1e-6)
        let manifest = PolynomialNetworkManifest(network, original: model)
        #expect(manifest.layers.map(\.kind) == ["conv2d", "chebyshev", "avgpool", "square", "flatten", "dense"])
        #expect(manifest.layers[0].image == [1, 8, 8] && manifest.layers[0].stride == 2 && manifest.layers[2].image == [3, 4, 4])
        let check = try AddMultiplyEvaluator.verify(network, original: model, inputs: inputs)
        #expect(check.measuredDepth == check.reportedDepth && check.reportedDepth == network.totalDepth)
        #expect(check.largestRelativeDifference <= 1e-6)
    }
}

@Suite("Per-channel fits")
struct PerChannelFitTests {
    /// dense tanh dense with one minimax polynomial per unit, each on that unit's interval:
    /// output o moves by at most Σₙ|W₂[o,n]|·Eₙ (Eₙ unit n's certified error) plus Float
    /// rounding of order 16·2⁻²⁴·Σ|W₂||h| (≤ 1e-5 here); every unit's interval lies inside the
    /// layer-wide one, so the layer-wide fit at the same degree is no better than the worst unit.
    @Test func outputsMoveByAtMostEachChannelsError() throws {
        let model = try smallNetwork("tanh")
        let inputs = gaussianInputs(rows: 400, columns: 6, seed: 61)
        let ranges = try RangeProfile.measureAll(model, on: inputs, perChannel: true).activations
        let fit = try ActivationFit.fitPerChannel(ranges[0], interval: IntervalRule(), degree: .degree(9))
        let channels = try #require(fit.channels)
        #expect(channels.count == 16 && channels.allSatisfy { $0.degree == 9 })
        let network = try PolynomialNetwork(replacingIn: model, with: [fit])
        let layer = try #require(network.model.layers[1] as? ChannelChebyshevActivation<Float>)
        #expect(layer.plane == 1 && layer.specification == "chebyshev-channels(channels=16,plane=1,deg=9)")
        var (original, replaced) = (model, network.model)
        let (expected, actual) = (original(inputs), replaced(inputs))
        let output = try #require(model.layers[2] as? Dense<Float>)
        let errors = try channels.map { polynomial in
            try ApproximationErrorReport(of: { polynomial($0) }, against: { tanh($0) }, on: polynomial.basis.interval).maxError
        }
        for o in 0 ..< 4 {
            let bound = (0 ..< 16).reduce(0.0) { $0 + abs(Double(output.weight[o, $1])) * errors[$1] } + 1e-5
            for r in 0 ..< inputs.rows { #expect(abs(Double(expected[r, o]) - Double(actual[r, o])) <= bound) }
        }
        #expect(try #require(fit.comparisonError) > 0)
        // The export: the evaluator applies each unit's series and measures the reported depth.
        let check = try AddMultiplyEvaluator.verify(network, original: model, inputs: inputs.rows(0 ..< 50))
        #expect(check.measuredDepth == check.reportedDepth && check.largestRelativeDifference <= 1e-6)
        #expect(PolynomialNetworkManifest(network, original: model).layers[1].kind == "chebyshev-channels")
        // As a checkpoint, read back with the polynomial layer kinds: the same outputs.
        let file = Checkpoint(model: network.model).safeTensors
        var reloaded = try Checkpoint<Float>(SafeTensors(decoding: file.encoded()), registry: .polynomialNetworks).model
        #expect(reloaded(inputs).elements == actual.elements)
    }

    /// ∂x = ∂y·p_c′(x) per channel (planes of 3 columns) against central differences in Double
    /// (1e-6 relative: truncation h²|p‴|/6 and rounding ε|p|/h are both below 1e-9 here).
    @Test func backwardMatchesCentralDifferences() throws {
        let series = (0 ..< 2).map { c in
            Polynomial(coefficients: [0.3, 1, -0.4, 0.2, 0.1 * Double(c)], basis: .chebyshev(on: -2.0 - Double(c) ... 3.0))
        }
        let layer = ChannelChebyshevActivation<Double>(channels: series, plane: 3)
        var generator = SeededGenerator(seed: 62)
        let inputs = Matrix<Double>.randomNormal(rows: 4, columns: 6, standardDeviation: 1, using: &generator)
        let weights = Matrix<Double>.randomNormal(rows: 4, columns: 6, standardDeviation: 1, using: &generator)
        _ = expectInputGradientMatchesCentralDifferences(layer, inputs: inputs, weights: weights) { layer, x in
            let copy = layer
            return zip(copy(x).elements, weights.elements).reduce(0) { $0 + $1.0 * $1.1 }
        }
        // Channel 1 is columns 3…5: its series, not channel 0's.
        let copy = layer
        let value = copy(Matrix(rows: 1, columns: 6, elements: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]))
        #expect(abs(value[0, 0] - series[0](0.5)) <= 1e-15 && abs(value[0, 4] - series[1](0.5)) <= 1e-15)
    }
}

@Suite("Depth allocation")
struct DepthAllocationTests {
    /// The dynamic programme's choice respects the budget and no pair of degrees of the same
    /// or smaller total depth has a smaller weighted error bound (checked by enumerating every
    /// pair of per-layer depths).
    @Test func allocationIsOptimalWithinTheBudget() throws {
        var generator = SeededGenerator(seed: 41)
        let model = try Architecture(parsing: "dense(6,10) gelu dense(10,8) tanh dense(8,3)").makeModel(as: Float.self, using: &generator)
        let ranges = try RangeProfile.measure(model, on: gaussianInputs(rows: 300, columns: 6, seed: 42))
        let rule = IntervalRule()
        #expect(try DepthAllocation.minimumDepth(of: model, activationCount: 2) == 3 + 2 * 2)
        for budget in [7, 9, 12] {
            let fits = try DepthAllocation.fits(for: ranges, in: model, interval: rule, budget: budget)
            let network = try PolynomialNetwork(replacingIn: model, with: fits)
            #expect(network.totalDepth <= budget)
            let weights = try ranges.map { try DepthAllocation.sensitivity(after: $0.layerIndex, in: model) }
            let chosen = zip(fits, weights).reduce(0) { $0 + $1.1 * $1.0.maxError }
            let shared = budget - 3
            for first in 2 ... shared - 2 {
                for second in 2 ... shared - first {
                    let degrees = [first, second].map { EvaluationCost.largestDegree(forDepth: $0, needsAffineMap: true, limit: 200)! }
                    let cost = try zip(ranges, degrees).enumerated().reduce(0.0) { total, item in
                        total + weights[item.offset] * (try ActivationFit.fit(item.element.0, interval: rule, degree: .degree(item.element.1)).maxError)
                    }
                    #expect(chosen <= cost * (1 + 1e-12), "budget \(budget): depths \(first), \(second) do better")
                }
            }
        }
        #expect {
            try DepthAllocation.fits(for: ranges, in: model, interval: rule, budget: 6)
        } throws: { "\($0)".hasPrefix("a depth budget of 6 is below this network's minimum of 7") }
    }
}

extension DepthAllocationTests {
    /// With a LayerNorm, the budget pays its division's replacement first
    /// (``PolynomialNetwork/layerNormDepth(_:)``): the minimum grows by it, every allocation's
    /// network stays within the budget, and a LayerNorm without a replacement is refused.
    @Test func layerNormDepthIsPaidFromTheBudget() throws {
        var generator = SeededGenerator(seed: 43)
        let model = try Architecture(parsing: "dense(6,10) layernorm(10) gelu dense(10,3)").makeModel(as: Float.self, using: &generator)
        let (ranges, variances) = try RangeProfile.measureAll(model, on: gaussianInputs(rows: 200, columns: 6, seed: 44))
        let d = variances[0].distribution
        let inverse = try InverseSquareRoot(on: (d.minimum / 1.05) ... (d.maximum * 1.05), degree: 7, newtonSteps: 1)
        let inverses = [1: inverse]
        let minimum = try DepthAllocation.minimumDepth(of: model, activationCount: 1, inverseSquareRoots: inverses)
        #expect(minimum == 2 + PolynomialNetwork.layerNormDepth(inverse) + DepthAllocation.minimumActivationDepth)
        for budget in [minimum, minimum + 3, minimum + 8] {
            let fits = try DepthAllocation.fits(for: ranges, in: model, interval: IntervalRule(), budget: budget,
                                                inverseSquareRoots: inverses)
            let network = try PolynomialNetwork(replacingIn: model, with: fits, inverseSquareRoots: inverses)
            #expect(network.totalDepth <= budget)
            #expect(network.totalDepth > budget - 2, "budget \(budget) left unused: depth \(network.totalDepth)")
        }
        #expect(throws: PolynomializationError.self) {
            try DepthAllocation.fits(for: ranges, in: model, interval: IntervalRule(), budget: minimum - 1, inverseSquareRoots: inverses)
        }
        #expect(throws: PolynomializationError.self) {
            try DepthAllocation.fits(for: ranges, in: model, interval: IntervalRule(), budget: 40)
        }
    }
}

@Suite("LayerNorm without division")
struct PolynomialLayerNormTests {
    static func layerNorm(width: Int, seed: UInt64) -> LayerNorm<Double> {
        var generator = SeededGenerator(seed: seed)
        var layer = LayerNorm<Double>(width: width)
        layer.weight = .randomNormal(rows: 1, columns: width, using: &generator)
        layer.bias = .randomNormal(rows: 1, columns: width, using: &generator)
        return layer
    }

    /// Each output differs from exact LayerNorm by |γⱼ·cⱼ|·|y − 1/√v| ≤ |γⱼ·cⱼ|·e/√v with e the
    /// reported relative error (sampled for the polynomial, carried exactly through the Newton
    /// steps), plus rounding of a few ulps of the terms (1e-12 of the largest).
    @Test func outputsStayWithinTheCertifiedRelativeError() throws {
        let exact = Self.layerNorm(width: 9, seed: 51)
        var generator = SeededGenerator(seed: 52)
        var inputs = Matrix<Double>.randomNormal(rows: 200, columns: 9, standardDeviation: 2, using: &generator)
        for row in 0 ..< 200 { for j in 0 ..< 9 { inputs[row, j] *= 0.2 + Double(row) / 40 } }  // variances from 0.04 to 100
        let variances = (0 ..< 200).map { row -> Double in
            let values = inputs.row(row)
            let mean = values.reduce(0, +) / 9
            return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 9 + Double(exact.epsilon)
        }
        let inverse = try InverseSquareRoot(on: (variances.min()! / 1.1) ... (variances.max()! * 1.1), degree: 31, newtonSteps: 2)
        #expect(inverse.relativeError < 1e-3)
        let exactCopy = exact
        let replaced = PolynomialLayerNorm(exact, inverse: inverse)
        let (expected, actual) = (exactCopy(inputs), replaced(inputs))
        for row in 0 ..< 200 {
            let values = inputs.row(row)
            let mean = values.reduce(0, +) / 9
            for j in 0 ..< 9 {
                let term = abs(exact.weight[0, j] * (values[j] - mean)) / variances[row].squareRoot()
                #expect(abs(actual[row, j] - expected[row, j]) <= term * inverse.relativeError + 1e-12 * max(term, 1))
            }
        }
        #expect(throws: PolynomializationError.self) { try InverseSquareRoot(on: 0 ... 1, degree: 5, newtonSteps: 1) }
        #expect(throws: PolynomializationError.self) { try InverseSquareRoot(on: 1e-6 ... 1000, degree: 2, newtonSteps: 1) }
    }

    /// Backward against central differences in Double (h = 1e-6: truncation h²·|f‴| and
    /// rounding ε·|f|/h both below 1e-8 for these O(1) values), for ∂x, ∂γ and ∂β.
    @Test func backwardMatchesCentralDifferences() throws {
        let base = Self.layerNorm(width: 6, seed: 53)
        var generator = SeededGenerator(seed: 54)
        let inputs = Matrix<Double>.randomNormal(rows: 4, columns: 6, using: &generator)
        let weights = Matrix<Double>.randomNormal(rows: 4, columns: 6, using: &generator)
        let inverse = try InverseSquareRoot(on: 0.05 ... 8, degree: 11, newtonSteps: 1)
        func loss(_ layer: PolynomialLayerNorm<Double>, _ x: Matrix<Double>) -> Double {
            let copy = layer
            let y = copy(x)
            return zip(y.elements, weights.elements).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let layer = expectInputGradientMatchesCentralDifferences(PolynomialLayerNorm(base, inverse: inverse), inputs: inputs,
                                                                 weights: weights, loss: loss)
        let h = centralDifferenceStep
        for j in 0 ..< 6 {
            var (plus, minus) = (layer, layer)
            plus.weight[0, j] += h
            minus.weight[0, j] -= h
            let numeric = (loss(plus, inputs) - loss(minus, inputs)) / (2 * h)
            #expect(abs(numeric - layer.weightGradient[0, j]) <= 1e-6 * max(1, abs(numeric)))
            #expect(abs(layer.biasGradient[0, j] - (0 ..< 4).reduce(0) { $0 + weights[$1, j] }) <= 1e-12)
        }
    }

    /// A network with a LayerNorm runs on SlotVectors with the manifest's depth and the
    /// polynomial network's outputs (Double, 1e-9 of the outputs' size).
    @Test func layerNormNetworkRunsWithAdditionsAndMultiplicationsOnly() throws {
        var generator = SeededGenerator(seed: 55)
        let model = try Architecture(parsing: "dense(6,10) layernorm(10) gelu dense(10,3)").makeModel(as: Float.self, using: &generator)
        let inputs = gaussianInputs(rows: 60, columns: 6, seed: 56)
        let (ranges, variances) = try RangeProfile.measureAll(model, on: inputs)
        #expect(ranges.count == 1 && variances.count == 1 && variances[0].layerIndex == 1)
        let fit = try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(13))
        let d = variances[0].distribution
        let inverse = try InverseSquareRoot(on: (d.minimum / 1.05) ... (d.maximum * 1.05), degree: 7, newtonSteps: 1)
        let network = try PolynomialNetwork(replacingIn: model, with: [fit], inverseSquareRoots: [1: inverse])
        #expect(network.layerDepths[1] == 3 + inverse.depth + 2)
        let manifest = PolynomialNetworkManifest(network, original: model)
        #expect(manifest.layers.map(\.kind) == ["dense", "layernorm", "chebyshev", "dense"])
        let tensors = doubleTensors(of: model)
        let result = try AddMultiplyEvaluator.evaluate(manifest, tensors: tensors, inputs: inputs.converted(to: Double.self))
        #expect(result.depth == manifest.totalDepth)
        let layerNorm = try #require(model.layers[1] as? LayerNorm<Float>)
        var doubleNorm = LayerNorm<Double>(width: 10)
        doubleNorm.weight = tensors["1.weight"]!
        doubleNorm.bias = tensors["1.bias"]!
        doubleNorm.epsilon = Double(layerNorm.epsilon)
        var reference = Sequential<Double>([Dense(weight: tensors["0.weight"]!, bias: tensors["0.bias"]!),
                                            PolynomialLayerNorm(doubleNorm, inverse: inverse),
                                            ChebyshevActivation<Double>(fit.polynomial),
                                            Dense(weight: tensors["3.weight"]!, bias: tensors["3.bias"]!)])
        let expected = reference(inputs.converted(to: Double.self))
        let scale = expected.elements.reduce(0) { max($0, abs($1)) }
        for (a, b) in zip(result.outputs.elements, expected.elements) { #expect(abs(a - b) <= 1e-9 * scale) }
    }
}

@Suite("Verification against the network")
struct VerificationTests {
    /// The export run with SlotVectors reproduces the (Float) polynomial network: the outputs
    /// differ by the network's own Float rounding, a few units of 2⁻²⁴ times the sums of
    /// absolute terms (1e-5 of the largest output covers these small widths), and the depth
    /// consumed is the depth reported.
    @Test func verificationReportsDepthAndAgreement() throws {
        var generator = SeededGenerator(seed: 61)
        let model = try Architecture(parsing: "dense(6,10) layernorm(10) silu dense(10,3)").makeModel(as: Float.self, using: &generator)
        let inputs = gaussianInputs(rows: 30, columns: 6, seed: 62)
        let (ranges, variances) = try RangeProfile.measureAll(model, on: inputs)
        let fit = try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(9))
        let d = variances[0].distribution
        let inverse = try InverseSquareRoot(on: (d.minimum / 1.05) ... (d.maximum * 1.05), degree: 7, newtonSteps: 1)
        let network = try PolynomialNetwork(replacingIn: model, with: [fit], inverseSquareRoots: [1: inverse])
        let check = try AddMultiplyEvaluator.verify(network, original: model, inputs: inputs)
        #expect(check.measuredDepth == check.reportedDepth && check.reportedDepth == network.totalDepth)
        #expect(check.largestRelativeDifference <= 1e-5)
        #expect(check.count == 30 && check.nonScalarMultiplications > 0)
    }
}

@Suite("Fine-tuning")
struct FineTuningTests {
    /// RangePenalty adds the gradient of λ/B·Σ max(0, |x − c| − h)²: checked against central
    /// differences of that penalty in Double (h = 1e-6 on a piecewise quadratic away from its
    /// kinks: truncation 0, rounding ε·|P|/h ≈ 1e-9).
    @Test func penaltyGradientMatchesCentralDifferences() {
        var layer = RangePenalty<Double>(interval: -1 ... 2, weight: 0.7)
        let x = Matrix<Double>([[-3.0, 0.5, 2.25], [1.9, -1.4, 7.0]])
        func penalty(_ x: Matrix<Double>) -> Double {
            x.elements.reduce(0) { $0 + pow(max(0, abs($1 - 0.5) - 1.5), 2) } * 0.7 / 2
        }
        var output = Matrix<Double>(rows: 0, columns: 0), gradient = Matrix<Double>(rows: 0, columns: 0)
        layer.forward(x, into: &output, training: true)
        #expect(output == x)
        layer.backward(Matrix(rows: 2, columns: 3), input: x, output: output, inputGradient: &gradient, needsInputGradient: true)
        for index in x.elements.indices {
            var (plus, minus) = (x, x)
            plus.elements[index] += 1e-6
            minus.elements[index] -= 1e-6
            #expect(abs((penalty(plus) - penalty(minus)) / 2e-6 - gradient.elements[index]) <= 1e-6)
        }
    }

    /// Fine-tuning moves the dense weights and keeps every polynomial exactly as fitted.
    @Test func polynomialsStayFixed() throws {
        let model = try smallNetwork("tanh", inputs: 6, hidden: 8, outputs: 3, seed: 71)
        let inputs = gaussianInputs(rows: 120, columns: 6, seed: 72)
        let labels = (0 ..< 120).map { $0 % 3 }
        let data = try LabeledImages(images: inputs, labels: labels, classCount: 3, imageRows: 2, imageColumns: 3)
        let ranges = try RangeProfile.measure(model, on: inputs)
        let fit = try ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(7))
        var network = try PolynomialNetwork(replacingIn: model, with: [fit])
        let before = try #require(network.model.layers[1] as? ChebyshevActivation<Float>)
        var configuration = TrainingConfiguration(architecture: network.model.specification)
        configuration.epochs = 2
        configuration.batchSize = 16
        try FineTuning.run(&network, configuration: configuration, training: data, test: data, penalty: 1)
        #expect(network.model.layers.count == 3)
        let after = try #require(network.model.layers[1] as? ChebyshevActivation<Float>)
        #expect(after.coefficients == before.coefficients && after.bounds == before.bounds)
        let (old, new) = (try #require(model.layers[0] as? Dense<Float>), try #require(network.model.layers[0] as? Dense<Float>))
        #expect(old.weight != new.weight)
        configuration.weightDecay = 0.1
        #expect(throws: PolynomializationError.self) {
            try FineTuning.run(&network, configuration: configuration, training: data, test: data, penalty: 1)
        }
    }

    /// Progressive replacement: with 3 epochs and 2 nonlinearities, epoch e runs with the first
    /// ⌈2e/3⌉ replaced (1, 2, 2), epochs and steps count on across the stages, the result is the
    /// whole polynomial network, and each epoch's out-of-range share is the share of test
    /// inputs outside the interval. The last epoch's shares are compared with a separate pass
    /// (`NetworkComparison`) over the same test set with the fine-tuned network: the same
    /// Float forward pass in batches of 1,000, so the counts agree exactly.
    @Test func progressiveReplacementReportsEveryEpoch() throws {
        var generator = SeededGenerator(seed: 73)
        let model = try Architecture(parsing: "dense(6,12) tanh dense(12,8) gelu dense(8,3)").makeModel(as: Float.self, using: &generator)
        let inputs = gaussianInputs(rows: 150, columns: 6, seed: 74)
        let data = try LabeledImages(images: inputs, labels: (0 ..< 150).map { $0 % 3 }, classCount: 3, imageRows: 2, imageColumns: 3)
        let ranges = try RangeProfile.measure(model, on: inputs)
        // A narrow interval on the second nonlinearity, so that some inputs fall outside.
        let fits = try [ActivationFit.fit(ranges[0], interval: IntervalRule(), degree: .degree(5)),
                        ActivationFit.fit(ranges[1], interval: IntervalRule(tailPercent: 10, margin: 1), degree: .degree(5))]
        var network = try PolynomialNetwork(replacingIn: model, with: fits)
        var configuration = TrainingConfiguration(architecture: network.model.specification)
        configuration.epochs = 3
        configuration.batchSize = 50
        var steps = [Int]()
        let records = try FineTuning.run(&network, configuration: configuration, training: data, test: data, penalty: 0,
                                         progressive: model) { event in
            if case let .step(progress) = event { steps.append(progress.step) }
        }
        #expect(records.map(\.replacedLayers) == [[1], [1, 3], [1, 3]])
        #expect(records.map(\.metrics.epoch) == [1, 2, 3] && records.map(\.metrics.step) == [3, 6, 9])
        #expect(steps == Array(1 ... 9))
        #expect(network.model.layers.filter { $0 is ChebyshevActivation<Float> }.count == 2)
        #expect(!network.model.layers.contains { $0 is RangePenalty<Float> || $0 is ActivationLayer<Float> })
        let comparison = try NetworkComparison(original: model, polynomial: network, inputs: inputs, labels: data.labels)
        let last = try #require(records.last)
        #expect(last.excursions == comparison.excursions)
        #expect(last.excursions[1].outsideShare > 0)
        let line = try JSONSerialization.jsonObject(with: JSONEncoder().encode(last)) as? [String: Any]
        #expect((line?["outside_share"] as? [String: Double])?["3"] == comparison.excursions[1].outsideShare)
        #expect(line?["test_accuracy"] as? Double == last.metrics.testAccuracy)
        #expect(throws: PolynomializationError.self) {
            try FineTuning.run(&network, configuration: configuration, training: data, test: data, penalty: 0,
                               progressive: try smallNetwork("tanh"))
        }
    }
}
