import ArgumentParser
import Datasets
import FileSystem
import Foundation
import Interpretability
import LinearAlgebra
import NeuralNetworks
import Plotting
import Training

/// `polynet explain boundaries`: decision boundaries of small classifiers with different
/// activations on the two-moons toy problem, side by side (seed 002's comparison).
struct ExplainBoundariesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boundaries",
        abstract: "Train dense(2,h) ACT dense(h,h) ACT dense(h,2) on two moons for each activation and draw the decision boundaries side by side (boundaries.png).",
        discussion: """
        polynet explain boundaries --activations relu 'hermite(deg=8,init=gelu)' 'fourier(deg=5)' 'tropical-rational(deg=5)'

        The points are generated with --seed (scikit-learn's make_moons construction); each classifier \
        trains with Adam on all of them for --epochs and is scored on the same points. The colour is the \
        probability of class 1 (white at ½: the boundary); class 0 points are black, class 1 white.
        """)

    @Option(parsing: .upToNextOption, help: "The activations, in the architecture language.")
    var activations = ["relu", "hermite(deg=8,init=gelu)", "fourier(deg=5)", "tropical-rational(deg=5)"]

    @Option(help: "Number of points.")
    var points = 1_000

    @Option(help: "Standard deviation of the noise added to each coordinate.")
    var noise = 0.15

    @Option(help: "Hidden width h.")
    var hidden = 32

    @Option(help: "Training epochs per classifier.")
    var epochs = 200

    @Option(help: "Adam's learning rate.")
    var learningRate = 1e-2

    @Option(help: "Seed of the points and of every classifier's initialization and shuffling.")
    var seed: UInt64 = 0

    @Option(help: "Directory for the figure.")
    var out: String = "explain"

    func validate() throws {
        guard !activations.isEmpty, activations.count <= 8 else { throw ValidationError("--activations: give 1 to 8 activations") }
        guard (2 ... 100_000).contains(points) else { throw ValidationError("--points must be in 2...100000, got \(points)") }
        guard noise >= 0, noise <= 10 else { throw ValidationError("--noise must be in 0...10, got \(noise)") }
        guard (1 ... 1024).contains(hidden) else { throw ValidationError("--hidden must be in 1...1024, got \(hidden)") }
        guard (1 ... 100_000).contains(epochs) else { throw ValidationError("--epochs must be in 1...100000, got \(epochs)") }
        guard learningRate > 0, learningRate <= 10 else { throw ValidationError("--learning-rate must be in (0, 10], got \(learningRate)") }
        for activation in activations {
            do {
                _ = try Architecture(parsing: DecisionBoundaries.architecture(activation: activation, hidden: hidden))
            } catch {
                throw ValidationError("--activations: '\(activation)': \(error)")
            }
        }
        try checkOutputDirectory(out)
    }

    func run() throws {
        var generator = SeededGenerator(seed: seed)
        let data = try TwoMoons.generate(count: points, noise: noise, using: &generator)
        var figure = DecisionBoundaries(points: data.images, labels: data.labels)
        var configuration = TrainingConfiguration(architecture: "")
        (configuration.epochs, configuration.learningRate, configuration.seed) = (epochs, learningRate, seed)
        configuration.dataset = "two moons"
        for activation in activations {
            try figure.addClassifier(activation: activation, hidden: hidden, configuration: configuration, data: data)
            let panel = figure.panels[figure.panels.count - 1]
            print(String(format: "%@: accuracy %.2f%%", activation, 100 * panel.accuracy))
        }
        try Directory.create(out)
        let path = out + "/boundaries.png"
        try RegularFile.write(Data(PNGCodec.encode(figure.image())), to: path)
        print("wrote \(path)")
    }
}
