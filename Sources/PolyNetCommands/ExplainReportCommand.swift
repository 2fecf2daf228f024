import ArgumentParser
import FileSystem
import Datasets
import Foundation
import Interpretability
import Training

/// `polynet explain report`: every analysis on one self-contained HTML page.
struct ExplainReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Run every analysis on a run's final model and its checkpoints; write one self-contained HTML page.")

    @Option(name: .customLong("run"), help: "A run directory (model.safetensors, else its latest epoch-K, and step-N.safetensors).")
    var runDirectory: String

    @OptionGroup var data: ExplainRunDataOptions

    @Option(help: "Output directory for index.html and the figures.")
    var out: String = "report"

    @Option(help: "How many test images to evaluate on (default: all 10,000).")
    var samples: Int?

    @Option(help: "Target class of the eigen attack.")
    var target: Int = 3

    func validate() throws {
        let classCount = Dataset.known.map(\.classCount).max() ?? 0
        guard (0 ..< classCount).contains(target) else { throw ValidationError("--target must be a class in 0...\(classCount - 1)") }
        if let samples, samples < 1 { throw ValidationError("--samples must be at least 1") }
        try checkOutputDirectory(out)
    }

    func run() throws {
        try Directory.checkExists(runDirectory)
        let checkpoint = try loadConvertibleCheckpoint(resolveCheckpoint(runDirectory))
        let loaded = try data.load(configuration: checkpoint.configuration, samples: samples)
        let distribution = data.distribution
        let runURL = URL(fileURLWithPath: runDirectory, isDirectory: true)
        let context = try ExplainContext(checkpoint: checkpoint, distribution: distribution, data: loaded, out: out)
        let complexity = try RunDirectory.stepCheckpoints(in: runURL).isEmpty ? nil
            : try ExplainComplexityCommand.analyze(run: runURL, distribution: distribution, data: loaded.prefix(2_000))
        let (page, analyses) = try context.subject.report(
            title: "PolyNet: \(runURL.lastPathComponent) as polynomials", distributionName: "\(distribution)",
            datasetName: loaded.dataset.name, target: target, complexity: complexity)
        for analysis in analyses { try context.write(analysis) }
        let index = context.outputDirectory.appendingPathComponent("index.html")
        try RegularFile.write(page.html(), to: index.path)
        print("wrote \(index.path)")
    }
}
