import LinearAlgebra
import NeuralNetworks

/// Updates a model's parameters along their accumulated gradients.
///
/// The learning rate is an argument of each step, so a `LearningRateSchedule` can drive it.
/// State (moments) is kept per parameter in visiting order and allocated on the first step.
public protocol Optimizer<Scalar> {
    /// The model's element type.
    associatedtype Scalar: BLASScalar

    /// Takes one step on every parameter of `model` using its gradients.
    mutating func update<Model: Layer>(_ model: inout Model, learningRate: Scalar) where Model.Scalar == Scalar

    /// The state a resumed run needs to continue exactly (moments, step count).
    var state: OptimizerState<Scalar> { get }

    /// Replaces the state with a saved one, checked against `model`'s parameters.
    ///
    /// - Throws: `OptimizerError` when the slots, buffer shapes or step count do not fit.
    mutating func restore<Model: Layer>(_ state: OptimizerState<Scalar>, for model: inout Model) throws
    where Model.Scalar == Scalar
}

/// Hyperparameters that make no sense.
public struct OptimizerError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Which hyperparameter and why.
    public var description: String

    init(_ description: String) { self.description = description }

    static func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw OptimizerError(message()) }
    }
}
