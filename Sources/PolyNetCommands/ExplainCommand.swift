import ArgumentParser
import FileSystem
import Interpretability
import PolynomialConversion

/// `polynet explain …`: interpret a trained MLP through its polynomial approximants.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Interpret a trained Dense–activation–Dense (or GLU) model through its linear and quadratic approximants.",
        discussion: """
            Each analysis writes PNG/SVG figures into --out and prints its table. `report` runs them all and \
            writes one self-contained HTML page.
            """,
        subcommands: [ExplainEigenCommand.self, ExplainSVDAttackCommand.self, ExplainEigenAttackCommand.self,
                      ExplainComplexityCommand.self, ExplainReportCommand.self, ExplainBoundariesCommand.self])
}

/// The options every explain analysis shares.
struct ExplainOptions: ParsableArguments {
    @Option(help: "A checkpoint file, or a run directory (its model.safetensors, else its latest epoch-K).")
    var checkpoint: String

    @Option(help: "Input distribution for the conversion: standard (N(0,I)) or data (mean and covariance of the training images).")
    var distribution: InputDistribution = .data

    @Option(help: "The data set: \(datasetChoices()) (default: the one the checkpoint was trained on).")
    var dataset: String?

    @Option(help: "Directory holding the data set's IDX files (default: $POLYNET_DATA, then the repository's Data/).")
    var dataDir: String?

    @Option(help: "How many test images to evaluate on (default: all 10,000).")
    var samples: Int?

    @Option(help: "Directory for figures.")
    var out: String = "explain"

    @Option(help: "Which block of a deeper MLP to study (1-based; block K is the activation K with the dense layers around it), under the Gaussian of its own inputs. Default: the only block.")
    var block: Int?

    func validate() throws {
        if let samples, samples < 1 { throw ValidationError("--samples must be at least 1") }
        if let block, block < 1 { throw ValidationError("--block must be at least 1, got \(block)") }
        if let dataset { _ = try knownDataset(named: dataset) }
        try checkOutputDirectory(out)
    }
}

/// `--distribution` of the explain commands: `standard` or `data` (a mixture or a file is
/// `polynet convert`'s).
extension InputDistribution: ExpressibleByArgument {
    public init?(argument: String) {
        guard let parsed = try? InputDistribution(parsing: argument), Self.allValueStrings.contains(argument) else { return nil }
        self = parsed
    }

    public static var allValueStrings: [String] { ["standard", "data"] }
}

/// Refuses, as a usage error before any work, an `--out` folder that cannot be made.
func checkOutputDirectory(_ path: String) throws {
    do {
        try Directory.checkCreatable(path)
    } catch {
        throw ValidationError("--out: \(error)")
    }
}
