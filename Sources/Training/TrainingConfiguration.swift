/// Everything that defines a training run; stored as JSON in each checkpoint (`polynet.config`).
public struct TrainingConfiguration: Sendable, Codable, Equatable {
    /// Which optimizer to use.
    public enum OptimizerName: String, Sendable, Codable, CaseIterable {
        case sgd, adam, adamw
    }

    /// The architecture text (or preset name) as given.
    public var architecture: String
    /// The data set name (`mnist` or `fashion-mnist`).
    public var dataset: String = "mnist"
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

    public init(architecture: String) {
        self.architecture = architecture
    }

    /// Checks ranges; the architecture is checked when the model is built.
    public func validate() throws {
        func check(_ condition: Bool, _ message: String) throws {
            if !condition { throw TrainingError.invalidConfiguration(message) }
        }
        try check(epochs >= 1, "--epochs must be at least 1, got \(epochs)")
        try check(batchSize >= 1, "--batch-size must be at least 1, got \(batchSize)")
        try check(learningRate > 0 && learningRate.isFinite, "--learning-rate must be positive, got \(learningRate)")
        try check(clipNorm.map { $0 > 0 && $0.isFinite } ?? true, "--clip-norm must be positive")
        try check(checkpointSteps.allSatisfy { $0 >= 0 }, "--checkpoint-steps must be non-negative step numbers")
        try check((trainingLimit ?? 1) >= 1 && (testLimit ?? 1) >= 1, "example limits must be positive")
    }
}
