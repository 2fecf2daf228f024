import LinearAlgebra
import NeuralNetworks

/// The optimizer a `Trainer` runs, chosen by `TrainingConfiguration.optimizer`.
///
/// Held as a concrete type rather than `any Optimizer` so that its update loop is specialized
/// for Float (through an existential it runs as slow generic code). Each mutation moves the
/// optimizer out of the enum (`switch consume self`), so its moment buffers stay uniquely
/// referenced and are updated in place.
enum TrainingOptimizer {
    /// Adam or AdamW.
    case adam(Adam<Float>)
    /// SGD with momentum.
    case sgd(SGD<Float>)

    /// The optimizer `configuration` names, with its hyperparameters.
    ///
    /// - Throws: `OptimizerError` for hyperparameters that make no sense.
    init(_ configuration: TrainingConfiguration) throws {
        let weightDecay = Float(configuration.weightDecay)
        switch configuration.optimizer {
        case .sgd: self = .sgd(try SGD(momentum: Float(configuration.momentum), weightDecay: weightDecay))
        case .adam: self = .adam(try Adam(weightDecay: weightDecay))
        case .adamw: self = .adam(try Adam.adamW(weightDecay: weightDecay))
        }
    }

    /// One step on every parameter of `model` along its gradients, Adam's split across
    /// `threads` (see `Adam.update(_:learningRate:threads:)`; SGD's is too light to split).
    mutating func update(_ model: inout Sequential<Float>, learningRate: Float, threads: WorkerThreads) {
        switch consume self {
        case var .adam(adam):
            adam.update(&model, learningRate: learningRate, threads: threads)
            self = .adam(adam)
        case var .sgd(sgd):
            sgd.update(&model, learningRate: learningRate)
            self = .sgd(sgd)
        }
    }

    /// The state a resumed run continues from.
    var state: OptimizerState<Float> {
        switch self {
        case let .adam(adam): return adam.state
        case let .sgd(sgd): return sgd.state
        }
    }

    /// Replaces the state with a saved one, checked against `model`'s parameters.
    ///
    /// - Throws: `OptimizerError` when the saved state does not fit.
    mutating func restore(_ state: OptimizerState<Float>, for model: inout Sequential<Float>) throws {
        switch consume self {
        case var .adam(adam):
            defer { self = .adam(adam) }
            try adam.restore(state, for: &model)
        case var .sgd(sgd):
            defer { self = .sgd(sgd) }
            try sgd.restore(state, for: &model)
        }
    }
}
