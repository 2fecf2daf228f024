import Datasets

/// Everything that defines a training run; stored as JSON in each checkpoint (`polynet.config`).
public struct TrainingConfiguration: Sendable, Codable, Equatable {
    /// Which optimizer to use.
    public enum OptimizerName: String, Sendable, Codable, CaseIterable {
        /// Stochastic gradient descent, Adam, and Adam with decoupled weight decay (AdamW).
        case sgd, adam, adamw
    }

    /// The architecture text (or preset name) as given.
    public var architecture: String
    /// The data set name (`mnist` or `fashion-mnist`).
    public var dataset: String = Dataset.mnist.name
    /// Passes over the training set.
    public var epochs: Int = 5
    /// Examples per optimizer step.
    public var batchSize: Int = 64
    /// The optimizer.
    public var optimizer: OptimizerName = .adam
    /// The base learning rate η.
    public var learningRate: Double = 1e-3
    /// SGD momentum.
    public var momentum: Double = 0.9
    /// Weight decay λ (L2 for SGD and Adam, decoupled for AdamW).
    public var weightDecay: Double = 0
    /// The learning-rate schedule.
    public var schedule: LearningRateSchedule = .constant
    /// Clip the joint gradient norm to this value when set.
    public var clipNorm: Double?
    /// The objective.
    public var loss: Loss = .crossEntropy
    /// Seeds initialization and shuffling.
    public var seed: UInt64 = 0
    /// Optimizer steps after which to save `step-N.safetensors` (0 saves the initialization).
    public var checkpointSteps: [Int] = []
    /// Use only the first n training examples (nil: all); for quick runs and tests.
    public var trainingLimit: Int?
    /// Use only the first n test examples (nil: all).
    public var testLimit: Int?

    /// The default settings for `architecture`.
    public init(architecture: String) {
        self.architecture = architecture
    }

    /// The most epochs a run may have: 10⁶ (a million passes over even 100 examples is far
    /// beyond any use, and the bound keeps every step count well inside `Int`).
    public static let maximumEpochs = 1_000_000

    /// Checks ranges (also of configurations read back from a file, which may have been
    /// edited); the architecture is checked when the model is built.
    ///
    /// Rates and norms are used as Float, so they must be positive normal Floats
    /// (1.2·10⁻³⁸ … 3.4·10³⁸): 1e-300 would become 0 (clipping to norm 0 divides by zero) and
    /// 1e300 infinity.
    ///
    /// - Throws: `TrainingError.outOfRange` naming the setting, its value and the range.
    public func validate() throws {
        func check(_ condition: Bool, _ setting: TrainingSetting, _ value: some CustomStringConvertible, _ requirement: String) throws {
            if !condition { throw TrainingError.outOfRange(setting: setting, value: value.description, requirement: requirement) }
        }
        func positiveFloat(_ value: Double) -> Bool { value > 0 && Float(value).isNormal && Float(value).isFinite }
        let floatRange = "a positive number representable as a normal Float (\(Float.leastNormalMagnitude) to \(Float.greatestFiniteMagnitude))"
        try check(epochs >= 1 && epochs <= Self.maximumEpochs, .epochs, epochs, "between 1 and \(Self.maximumEpochs)")
        try check(batchSize >= 1, .batchSize, batchSize, "at least 1")
        try check(positiveFloat(learningRate), .learningRate, learningRate, floatRange)
        try check(momentum >= 0 && momentum < 1, .momentum, momentum, "in [0, 1)")
        try check(weightDecay >= 0 && Float(weightDecay).isFinite, .weightDecay, weightDecay,
                  "zero or a positive number representable as a Float (at most \(Float.greatestFiniteMagnitude))")
        if let clipNorm { try check(positiveFloat(clipNorm), .clipNorm, clipNorm, floatRange) }
        if case let .step(epochs, factor) = schedule {
            try check(epochs >= 1 && factor > 0 && factor.isFinite, .schedule, schedule,
                      "step:EPOCHS:FACTOR with EPOCHS ≥ 1 and a positive finite FACTOR")
        }
        try check(checkpointSteps.allSatisfy { $0 >= 0 }, .checkpointSteps, checkpointSteps.map(String.init).joined(separator: ","),
                  "non-negative step numbers")
        if let trainingLimit { try check(trainingLimit >= 1, .trainingLimit, trainingLimit, "at least 1") }
        if let testLimit { try check(testLimit >= 1, .testLimit, testLimit, "at least 1") }
    }
}
