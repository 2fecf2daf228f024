import ArgumentParser
import Datasets
import FileSystem
import Foundation
import Interpretability
import Training
import LinearAlgebra
import Plotting
import PolynomialConversion

/// `polynet explain complexity`: R² of polynomial approximants (degree 1 … K) over training.
struct ExplainComplexityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complexity",
        abstract: "R² of the linear and quadratic (optionally cubic, quartic) approximants at every step checkpoint of a run (train with --checkpoint-steps).",
        discussion: "Steps are drawn on a logarithmic axis, so a step-0 checkpoint appears in the table but not on the chart.")

    @Option(name: .customLong("run"), help: "A run directory holding step-N.safetensors checkpoints.")
    var runDirectory: String

    @OptionGroup var data: ExplainRunDataOptions

    @Option(help: "How many test images to compute the empirical R² on.")
    var samples: Int = 2_000

    @Option(help: "Highest approximant degree (1–4): 3 adds the cubic curve, 4 the quartic.")
    var maxDegree: Int = 2

    @Option(help: "Directory for figures.")
    var out: String = "explain"

    func validate() throws {
        guard (1 ... 4).contains(maxDegree) else { throw ValidationError("--max-degree must be 1, 2, 3 or 4, got \(maxDegree)") }
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1") }
        try checkOutputDirectory(out)
    }

    func run() throws {
        try Directory.checkExists(runDirectory)
        let run = URL(fileURLWithPath: runDirectory)
        // The data set the run was trained on, from its first step checkpoint (one that does not
        // load is reported, with its path, by the analysis).
        let first = try RunDirectory.stepCheckpoints(in: run).first
        let configuration = data.dataset == nil ? first.flatMap { try? Checkpoint<Double>(contentsOf: $0.url).configuration } : nil
        let analysis = try Self.analyze(run: run, distribution: data.distribution,
                                        data: data.load(configuration: configuration, samples: samples), maxDegree: maxDegree)
        try ExplainContext.write(analysis, into: URL(fileURLWithPath: out, isDirectory: true))
    }

    /// The complexity analysis of the step checkpoints in `run`, each converted under
    /// `distribution` (fitted once, to the first checkpoint's inputs) and measured on `data`.
    static func analyze(run: URL, distribution: InputDistribution, data: ExplainData,
                        maxDegree: Int = 2) throws -> ReportAnalysis {
        let checkpoints = try RunDirectory.stepCheckpoints(in: run)
        guard !checkpoints.isEmpty else {
            throw ValidationError("\(run.path) has no step-N.safetensors checkpoints; train with --checkpoint-steps 1,2,4,8,…")
        }
        let inputs = data.test.images.converted(to: Double.self)
        var gaussian: GaussianDistribution?
        var points = [ComplexityCurve.Point]()
        for (index, checkpoint) in checkpoints.enumerated() {
            do {
                let block = try FeedforwardBlock(checkpoint: loadConvertibleCheckpoint(checkpoint.url))
                try data.check(block)
                let distribution = try gaussian
                    ?? distribution.gaussian(dimension: block.inputDimension, trainingInputs: data.training?.images)
                gaussian = distribution
                points.append(try ComplexityCurve.point(step: checkpoint.step, block: block, distribution: distribution,
                                                        inputs: inputs, maxDegree: maxDegree))
            } catch {
                throw CommandError.inFile(path: checkpoint.url.path, reason: PolyNetCommand.message(for: error))
            }
            print("[\(index + 1)/\(checkpoints.count)] step \(checkpoint.step)")
        }
        return ComplexityCurve.analysis(points, maxDegree: maxDegree)
    }
}
