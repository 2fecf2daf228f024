import Foundation
import LinearAlgebra
import NeuralNetworks

/// What one nonlinearity of a network receives on a data set.
public struct LayerRange: Sendable, Equatable {
    /// The layer's index in the network.
    public var layerIndex: Int
    /// The nonlinearity.
    public var function: ActivationFunction
    /// Its inputs over every example and unit.
    public var distribution: ValueDistribution
    /// Its inputs per channel, in order, when profiled per channel: per unit after a dense layer,
    /// per image plane (output channel) after a convolution.
    public var channels: [ValueDistribution]?
}

/// What one LayerNorm's division sees: the distribution of v = var(row) + ε over the rows.
public struct VarianceRange: Sendable, Equatable {
    /// The LayerNorm's index in the network.
    public var layerIndex: Int
    /// Its ε.
    public var epsilon: Double
    /// The distribution of var(row) + ε.
    public var distribution: ValueDistribution
}

/// Range profiling: push data through a trained network and record, for every nonlinearity,
/// the distribution of its inputs — the interval a polynomial replacement must cover.
///
/// ```swift
/// let ranges = try RangeProfile.measure(model, on: training.images)
/// ranges[0].distribution.percentile(99.9)
/// ```
public enum RangeProfile {
    /// Runs `model` over `inputs` (one example per row) in batches and returns the input
    /// distribution of every `ActivationLayer` and of every gated linear unit's gate, in layer
    /// order.
    /// - Throws: ``PolynomializationError`` for a layer PolyNet cannot replace or keep
    ///   (see ``PolynomialNetwork/check(_:)``), a width mismatch, no data, or non-finite values.
    /// - Complexity: one forward pass over the data, plus O(values) per nonlinearity.
    public static func measure(_ model: Sequential<Float>, on inputs: Matrix<Float>,
                               batchSize: Int = 1_000) throws -> [LayerRange] {
        try measureAll(model, on: inputs, batchSize: batchSize).activations
    }

    /// The activations' ranges and, for every LayerNorm, the range of the variance its
    /// division sees; with `perChannel`, each activation's distribution per unit too.
    /// - Complexity: as ``measure(_:on:batchSize:)``; per channel, one more pass over the values.
    public static func measureAll(_ model: Sequential<Float>, on inputs: Matrix<Float>, batchSize: Int = 1_000,
                                  perChannel: Bool = false) throws -> (activations: [LayerRange], variances: [VarianceRange]) {
        try PolynomialNetwork.check(model)
        guard inputs.rows > 0 else { throw PolynomializationError.noData }
        if let width = model.inputWidth, width != inputs.columns {
            throw PolynomializationError.inputWidthMismatch(network: width, data: inputs.columns)
        }
        var layers = model.layers
        // One slot per nonlinearity: its layer, function and every input value seen.
        var slots = [(index: Int, function: ActivationFunction, width: Int, plane: Int, values: [Float])]()
        var slotOfLayer = [Int: Int]()
        var variances = [(index: Int, epsilon: Double, values: [Float])]()
        var varianceOfLayer = [Int: Int]()
        var width = inputs.columns
        var image: ImageShape?
        for (index, layer) in layers.enumerated() {
            if let function = (layer as? ActivationLayer<Float>)?.function ?? (layer as? GatedLinearUnit<Float>)?.gate {
                // An activation's inputs, or a gated linear unit's gate inputs (its hidden width).
                let slotWidth = (layer as? GatedLinearUnit<Float>)?.gateProjection.weight.rows ?? width
                slotOfLayer[index] = slots.count
                // After a convolution a channel is an image plane: H·W consecutive columns.
                slots.append((index, function, slotWidth, image?.planeCount ?? 1, []))
                slots[slots.count - 1].values.reserveCapacity(inputs.rows * slotWidth)
            }
            if let layerNorm = layer as? LayerNorm<Float> {
                varianceOfLayer[index] = variances.count
                variances.append((index, Double(layerNorm.epsilon), []))
            }
            width = layer.outputWidth(forInputWidth: width)
            image = layer.outputImageShape(for: image)
        }
        let step = Swift.max(batchSize, 1)
        for start in stride(from: 0, to: inputs.rows, by: step) {
            var current = inputs.rows(start ..< Swift.min(start + step, inputs.rows))
            for index in layers.indices {
                if let slot = slotOfLayer[index], let values = PolynomialNetwork.replacedInputs(of: layers[index], for: current) {
                    slots[slot].values.append(contentsOf: values.elements)
                }
                if let slot = varianceOfLayer[index] {
                    let epsilon = variances[slot].epsilon
                    for row in 0 ..< current.rows {
                        let values = current.row(row).map(Double.init)
                        let mean = values.reduce(0, +) / Double(values.count)
                        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
                        variances[slot].values.append(Float(variance + epsilon))
                    }
                }
                var output = Matrix<Float>(rows: 0, columns: 0)
                layers[index].forward(current, into: &output, training: false)
                current = output
            }
        }
        let activations = try slots.map { slot in
            guard slot.values.allSatisfy({ $0.isFinite }) else { throw PolynomializationError.nonFiniteInputs(layer: slot.index) }
            return LayerRange(layerIndex: slot.index, function: slot.function,
                              distribution: slot.values.withUnsafeBufferPointer { ValueDistribution($0) },
                              channels: perChannel ? channelDistributions(slot.values, width: slot.width, plane: slot.plane) : nil)
        }
        let varianceRanges = try variances.map { slot in
            guard slot.values.allSatisfy({ $0.isFinite }) else { throw PolynomializationError.nonFiniteInputs(layer: slot.index) }
            return VarianceRange(layerIndex: slot.index, epsilon: slot.epsilon,
                                 distribution: slot.values.withUnsafeBufferPointer { ValueDistribution($0) })
        }
        return (activations, varianceRanges)
    }

    /// The distribution of each channel of `values` (rows of `width`): channel c is columns
    /// c·plane ..< (c + 1)·plane of every row (one column per channel for dense layers, an
    /// image plane after a convolution).
    static func channelDistributions(_ values: [Float], width: Int, plane: Int = 1) -> [ValueDistribution] {
        let plane = Swift.max(plane, 1)
        let rows = values.count / Swift.max(width, 1)
        var channel = [Float](repeating: 0, count: rows * plane)
        return (0 ..< width / plane).map { c in
            for row in 0 ..< rows {
                for j in 0 ..< plane { channel[row * plane + j] = values[row * width + c * plane + j] }
            }
            return channel.withUnsafeBufferPointer { ValueDistribution($0) }
        }
    }

    /// `ranges` as `profile.json` holds them: per nonlinearity its layer, function, count,
    /// extremes, mean, standard deviation and ``ValueDistribution/reportedPercentiles``, and
    /// the same per channel when profiled per channel (snake_case keys, sorted, indented).
    public static func encoded(_ ranges: [LayerRange]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(ranges.map { range in
            ProfileEntry(layer: range.layerIndex, function: range.function.rawValue, summary: .init(range.distribution),
                         channels: range.channels?.map(ProfileEntry.Summary.init))
        })
    }

    /// One nonlinearity's measured inputs, as profile.json lists them.
    private struct ProfileEntry: Encodable {
        struct Summary: Encodable {
            var count: Int
            var minimum, maximum, mean, standardDeviation: Double
            var percentiles: [String: Double]

            init(_ distribution: ValueDistribution) {
                (count, minimum, maximum) = (distribution.count, distribution.minimum, distribution.maximum)
                (mean, standardDeviation) = (distribution.mean, distribution.standardDeviation)
                percentiles = Dictionary(uniqueKeysWithValues: ValueDistribution.reportedPercentiles.map {
                    (String($0), distribution.percentile($0))
                })
            }
        }

        var layer: Int
        var function: String
        var summary: Summary
        var channels: [Summary]?

        private enum CodingKeys: String, CodingKey { case layer, function, channels }

        func encode(to encoder: any Encoder) throws {
            try summary.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(layer, forKey: .layer)
            try container.encode(function, forKey: .function)
            try container.encodeIfPresent(channels, forKey: .channels)
        }
    }
}
