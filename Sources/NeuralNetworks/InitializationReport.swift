import LinearAlgebra

/// Per-layer second moments of activations and gradients of a freshly initialized model, to
/// see whether signal explodes or vanishes with depth (seed 002's forward and backward gains).
///
/// N(0, 1) inputs go forward through every layer; N(0, 1) values are then back-propagated as
/// ∂loss/∂output. Each row gives, at one layer's output, E[a²] (the mean of the squared
/// activations over batch and width) and E[g²] (the mean squared ∂loss/∂a); the first row is
/// the model input. Gains per layer are ratios of consecutive rows.
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let model = try Architecture(parsing: "dense(64,64) hermite(deg=4) dense(64,10)")
///     .makeModel(as: Double.self, using: &generator)
/// let report = InitializationReport(model, batchSize: 1024, using: &generator)
/// for row in report.rows { print(row.specification, row.activationSecondMoment, row.gradientSecondMoment) }
/// ```
public struct InitializationReport: Sendable {
    /// One measurement point: the model input (index nil) or a layer's output.
    public struct Row: Sendable, Equatable {
        /// The layer index, nil for the model input.
        public var layer: Int?
        /// The layer in the architecture language, or `input`.
        public var specification: String
        /// The width at this point.
        public var width: Int
        /// E[a²] over batch and width.
        public var activationSecondMoment: Double
        /// E[(∂loss/∂a)²] over batch and width.
        public var gradientSecondMoment: Double
    }

    /// The input row followed by one row per layer.
    public var rows: [Row]

    /// Measures `model` on `input` with ∂loss/∂output = `outputGradient`.
    public init<Scalar: BLASScalar>(_ model: Sequential<Scalar>, input: Matrix<Scalar>,
                                    outputGradient: Matrix<Scalar>) {
        var layers = model.layers
        var activations = [input]
        for index in layers.indices {
            var output = Matrix<Scalar>(rows: 0, columns: 0)
            layers[index].forward(activations[index], into: &output, training: true)
            activations.append(output)
        }
        precondition(outputGradient.rows == activations.last!.rows && outputGradient.columns == activations.last!.columns,
                     "Output gradient \(outputGradient.rows)×\(outputGradient.columns) does not match the output \(activations.last!.rows)×\(activations.last!.columns)")
        var gradients = Array(repeating: Matrix<Scalar>(rows: 0, columns: 0), count: layers.count + 1)
        gradients[layers.count] = outputGradient
        for index in layers.indices.reversed() {
            layers[index].backward(gradients[index + 1], input: activations[index], output: activations[index + 1],
                                   inputGradient: &gradients[index], needsInputGradient: true)
        }
        rows = activations.indices.map { index in
            Row(layer: index == 0 ? nil : index - 1,
                specification: index == 0 ? "input" : layers[index - 1].specification,
                width: activations[index].columns,
                activationSecondMoment: Self.secondMoment(activations[index]),
                gradientSecondMoment: Self.secondMoment(gradients[index]))
        }
    }

    /// Measures `model` on a batch of N(0, 1) inputs with N(0, 1) output gradients.
    ///
    /// - Precondition: the model's first layer has a fixed input width, or `inputWidth` is given.
    /// - Throws: `ModelError.inputWidth` when `inputWidth` does not fit a layer of the model,
    ///   `ModelError.activationsTooLarge` when batch × a layer's width exceeds `limits`.
    public init<Scalar: BLASScalar, G: RandomNumberGenerator>(_ model: Sequential<Scalar>, batchSize: Int,
                                                              inputWidth: Int? = nil, limits: ArchitectureLimits = .standard,
                                                              using generator: inout G) throws(ModelError) {
        guard let width = inputWidth ?? model.inputWidth else {
            preconditionFailure("The model '\(model.specification)' accepts any input width; pass inputWidth")
        }
        precondition(batchSize >= 1, "The batch needs at least one row, got \(batchSize)")
        try model.checkBuffers(rows: batchSize, inputWidth: width, within: limits)
        let input = Matrix<Scalar>.randomNormal(rows: batchSize, columns: width, using: &generator)
        let outputGradient = Matrix<Scalar>.randomNormal(rows: batchSize, columns: model.outputWidth(forInputWidth: width),
                                                         using: &generator)
        self.init(model, input: input, outputGradient: outputGradient)
    }

    private static func secondMoment<Scalar: BLASScalar>(_ matrix: Matrix<Scalar>) -> Double {
        guard !matrix.elements.isEmpty else { return 0 }
        return matrix.elements.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(matrix.elements.count)
    }
}
