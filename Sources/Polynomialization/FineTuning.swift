import Datasets
import LinearAlgebra
import NeuralNetworks
import Training

/// Fine-tuning of a polynomial network: its dense and LayerNorm parameters are trained with
/// the replacement polynomials held fixed (their error bounds on their intervals stay valid)
/// and a ``RangePenalty`` before every polynomial that pulls pre-activations back inside the
/// interval it was fitted on.
public enum FineTuning {
    /// Trains `network` in place with `configuration` (optimizer, learning rate, epochs, batch
    /// size, seed; its architecture text only names the run) and penalty weight `penalty`.
    /// - Returns: the metrics of every epoch.
    /// - Throws: the trainer's errors, or ``PolynomializationError/invalidSetting(_:)`` for a
    ///   negative or non-finite penalty or a weight decay (which would move the frozen
    ///   polynomials).
    @discardableResult
    public static func run(_ network: inout PolynomialNetwork, configuration: TrainingConfiguration,
                           training: LabeledImages, test: LabeledImages, penalty: Double,
                           observer: (TrainingEvent) -> Void = { _ in }) throws -> [EpochMetrics] {
        guard penalty >= 0, penalty.isFinite else {
            throw PolynomializationError.invalidSetting("the range penalty must be zero or positive and finite, got \(penalty)")
        }
        guard configuration.weightDecay == 0 else {
            throw PolynomializationError.invalidSetting("fine-tuning keeps the polynomials fixed; weight decay would move them")
        }
        var layers = [any Layer<Float>]()
        for layer in network.model.layers {
            if var polynomial = layer as? ChebyshevActivation<Float> {
                polynomial.freezesPolynomial = true
                layers.append(RangePenalty<Float>(interval: polynomial.polynomial.basis.interval, weight: penalty))
                layers.append(polynomial)
            } else {
                layers.append(layer)
            }
        }
        var trainer = try Trainer(configuration: configuration, model: Sequential(layers), training: training, test: test)
        let metrics = try trainer.run(observer: observer)
        network.model = Sequential(trainer.model.layers.compactMap { layer -> (any Layer<Float>)? in
            if layer is RangePenalty<Float> { return nil }
            guard var polynomial = layer as? ChebyshevActivation<Float> else { return layer }
            polynomial.freezesPolynomial = false
            return polynomial
        })
        return metrics
    }
}
