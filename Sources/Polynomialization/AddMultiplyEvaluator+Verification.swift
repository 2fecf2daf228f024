import LinearAlgebra
import NeuralNetworks

extension AddMultiplyEvaluator {
    /// The add/multiply-only evaluation of a network's export set against the network itself.
    public struct Verification: Sendable {
        /// The depth the evaluator consumed, and the depth the network reports.
        public var measuredDepth: Int
        /// The depth the network reports (its manifest's total).
        public var reportedDepth: Int
        /// max |evaluator − network| over max |network| (the network runs in Float).
        public var largestRelativeDifference: Double
        /// Products of two values per example (each covers every example at once).
        public var nonScalarMultiplications: Int
        /// The number of examples.
        public var count: Int
    }

    /// Exports `network` (its manifest, with `original` naming the layers it replaced, and its
    /// own weights), runs the export on `inputs` with ``SlotVector``s only, and compares with
    /// the polynomial network's own forward pass.
    public static func verify(_ network: PolynomialNetwork, original: Sequential<Float>,
                              inputs: Matrix<Float>) throws -> Verification {
        let manifest = PolynomialNetworkManifest(network, original: original)
        var parameters = [Matrix<Double>]()
        var copy = network.model
        copy.visitParameters { value, _ in parameters.append(value.converted(to: Double.self)) }
        let tensors = Dictionary(zip(network.model.parameterInfo.map(\.name), parameters), uniquingKeysWith: { first, _ in first })
        let result = try evaluate(manifest, tensors: tensors, inputs: inputs.converted(to: Double.self))
        var model = network.model
        let expected = model(inputs).converted(to: Double.self)
        let scale = expected.elements.reduce(0) { Swift.max($0, Swift.abs($1)) }
        let difference = zip(result.outputs.elements, expected.elements).reduce(0) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
        return Verification(measuredDepth: result.depth, reportedDepth: manifest.totalDepth,
                            largestRelativeDifference: difference / Swift.max(scale, .leastNormalMagnitude),
                            nonScalarMultiplications: result.nonScalarMultiplications, count: inputs.rows)
    }
}
