import ArgumentParser
import Datasets
import Foundation
import LinearAlgebra
import NeuralNetworks
import Training

extension TrainCommand {
    /// Trains a model loaded from `path`, its activations swapped by --swap-activations, and
    /// prints the test accuracy before the swap, right after it and after training.
    func startRun(from path: String) throws {
        let loaded = try Checkpoint<Float>(contentsOf: resolveCheckpoint(path))
        var base = TrainingConfiguration(architecture: loaded.model.specification)
        if let dataset = loaded.configuration?.dataset { base.dataset = dataset }
        for setting in try givenSettings() { setting.apply(&base) }
        if let epochs { base.epochs = epochs }
        var generator = SeededGenerator(seed: base.seed)
        var model = loaded.model
        if let swapActivations { model = try model.swappingActivations(for: swapActivations, using: &generator) }
        base.architecture = model.specification
        try base.validate()
        let url = out.map { URL(fileURLWithPath: $0) }
        let mode: RunDirectory.Mode = overwrite ? .overwrite : .new
        if let url { try RunDirectory.check(url, mode: mode) }
        let (training, test) = try loadData(base.dataset)
        var original = loaded.model
        let before = try Trainer.evaluate(&original, on: test).accuracy
        var trainer = try Trainer(configuration: base, model: model, training: training, test: test)
        let swapped = try trainer.evaluate(on: test).accuracy
        print("\(loaded.model.specification): test accuracy \(accuracyPercent(before))")
        if swapActivations != nil {
            print("swapped to \(model.specification): test accuracy \(accuracyPercent(swapped)) before training")
        }
        _ = try train(&trainer, into: try url.map { try RunDirectory($0, mode: mode) }, label: nil)
    }
}
