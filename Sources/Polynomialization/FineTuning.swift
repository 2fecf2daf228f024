import Datasets
import LinearAlgebra
import NeuralNetworks
import Training

/// Fine-tuning of a polynomial network: its dense and LayerNorm parameters are trained with
/// the replacement polynomials held fixed (their error bounds on their intervals stay valid)
/// and a ``RangePenalty`` on every polynomial's inputs that pulls them back inside the interval
/// it was fitted on.
///
/// Progressive replacement. With `progressive`, the nonlinearities are replaced in network
/// order (from the input side) while training: epoch e of N runs with the first ⌈e·L/N⌉ of the
/// L nonlinearities replaced and the others as trained, so the layers after each replacement
/// adapt to it before the next one; the last epoch always runs the whole polynomial network.
/// Each stage (consecutive epochs with the same replacements) is one trainer run with a fresh
/// optimizer state.
public enum FineTuning {
    /// What fine-tuning reports after each epoch.
    public enum Event: Sendable {
        /// Progress within an epoch.
        case step(StepProgress)
        /// An epoch's metrics, with the out-of-range shares on the test set.
        case epoch(FineTuningEpoch)
    }

    /// Trains `network` in place with `configuration` (optimizer, learning rate, epochs, batch
    /// size, seed; its architecture text only names the run) and penalty weight `penalty`;
    /// with `progressive`, `original` (the network `network` was made from, layer for layer)
    /// supplies the nonlinearities not yet replaced.
    /// - Returns: one record per epoch: its metrics (epochs numbered through the stages) and,
    ///   for every polynomial in use, the share of test inputs outside its interval.
    /// - Throws: the trainer's errors, or ``PolynomializationError/invalidSetting(_:)`` for a
    ///   negative or non-finite penalty, a weight decay (which would move the frozen
    ///   polynomials), or an `original` that does not match the network layer for layer.
    @discardableResult
    public static func run(_ network: inout PolynomialNetwork, configuration: TrainingConfiguration,
                           training: LabeledImages, test: LabeledImages, penalty: Double,
                           progressive original: Sequential<Float>? = nil,
                           observer: (Event) -> Void = { _ in }) throws -> [FineTuningEpoch] {
        guard penalty >= 0, penalty.isFinite else {
            throw PolynomializationError.invalidSetting("the range penalty must be zero or positive and finite, got \(penalty)")
        }
        guard configuration.weightDecay == 0 else {
            throw PolynomializationError.invalidSetting("fine-tuning keeps the polynomials fixed; weight decay would move them")
        }
        let replaced = network.model.layers.indices.filter { network.model.layers[$0] is any PolynomialReplacement<Float> }
        if let original {
            guard original.layers.count == network.model.layers.count,
                  replaced.allSatisfy({ original.layers[$0] is ActivationLayer<Float> || original.layers[$0] is GatedLinearUnit<Float> }) else {
                throw PolynomializationError.invalidSetting(
                    "progressive replacement needs the original network the polynomial one was made from")
            }
        }
        let epochs = configuration.epochs
        // Replaced nonlinearities per epoch: ⌈e·L/N⌉, or all of them without progression.
        let counts = (1 ... Swift.max(epochs, 1)).map { epoch in
            original == nil ? replaced.count : (epoch * replaced.count + epochs - 1) / Swift.max(epochs, 1)
        }
        let intervals = Dictionary(network.fits.map { ($0.layerIndex, $0.interval) }, uniquingKeysWith: { first, _ in first })
        var layers = network.model.layers
        var records = [FineTuningEpoch]()
        var (start, steps) = (0, 0)
        while start < epochs {
            let count = counts[start]
            let end = counts[start...].firstIndex { $0 != count } ?? epochs
            let active = Set(replaced.prefix(count))
            // The stage's model: the active polynomials frozen, with penalties on their inputs;
            // the nonlinearities not yet replaced as in the original network.
            var staged = [any Layer<Float>]()
            var tallies = [(layer: Int, tally: RangeTally)]()
            for (index, layer) in layers.enumerated() {
                guard var polynomial = layer as? any PolynomialReplacement<Float> else {
                    staged.append(layer)
                    continue
                }
                guard active.contains(index) else {
                    staged.append(original?.layers[index] ?? layer)
                    continue
                }
                polynomial.freezesPolynomial = true
                let tally = RangeTally()
                tallies.append((index, tally))
                // The fitted interval in Double (the layer holds its ends rounded to Float).
                if let interval = intervals[index] {
                    polynomial.rangePenalty = RangePenalty<Float>(interval: interval, weight: penalty, tally: tally)
                }
                staged.append(polynomial)
            }
            var stage = configuration
            stage.epochs = end - start
            var trainer = try Trainer(configuration: stage, model: Sequential(staged), training: training, test: test)
            let (offset, stepOffset) = (start, steps)
            try trainer.run { event in
                switch event {
                case let .step(progress):
                    var progress = progress
                    (progress.epoch, progress.epochs, progress.step) = (progress.epoch + offset, epochs, progress.step + stepOffset)
                    observer(.step(progress))
                case let .epoch(metrics):
                    var metrics = metrics
                    (metrics.epoch, metrics.step) = (metrics.epoch + offset, metrics.step + stepOffset)
                    let record = FineTuningEpoch(metrics: metrics, replacedLayers: tallies.map(\.layer),
                                                 excursions: tallies.map { layer, tally in
                                                     let (share, largest) = tally.take()
                                                     return NetworkComparison.Excursion(layerIndex: layer, outsideShare: share,
                                                                                        largestExcursion: largest)
                                                 })
                    records.append(record)
                    observer(.epoch(record))
                case .checkpoint:
                    break
                }
            }
            // Back to the network's layers: penalties off, polynomials unfrozen, the
            // nonlinearities not yet replaced restored to their polynomials.
            layers = zip(layers, trainer.model.layers).map { layer, trained in
                guard var polynomial = trained as? any PolynomialReplacement<Float> else {
                    return layer is any PolynomialReplacement<Float> ? layer : trained
                }
                polynomial.freezesPolynomial = false
                polynomial.rangePenalty = nil
                return polynomial
            }
            (start, steps) = (end, steps + trainer.step)
        }
        network.model = Sequential(layers)
        return records
    }
}
