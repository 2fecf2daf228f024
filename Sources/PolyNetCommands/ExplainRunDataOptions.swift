import ArgumentParser
import Datasets
import Interpretability
import PolynomialConversion
import Training

/// The data options of the explain commands that read a whole run (`complexity`, `report`).
struct ExplainRunDataOptions: ParsableArguments {
    @Option(help: "Input distribution: standard or data.")
    var distribution: InputDistribution = .data

    @Option(help: "The data set: \(datasetChoices()) (default: the one the run was trained on).")
    var dataset: String?

    @Option(help: "Directory holding the data set's IDX files.")
    var dataDir: String?

    func validate() throws {
        if let dataset { _ = try knownDataset(named: dataset) }
    }

    /// The data set (`--dataset`, else the one `configuration` names, else MNIST): its first
    /// `samples` test images (all when nil) and, for the data distribution, its training images.
    func load(configuration: TrainingConfiguration?, samples: Int?) throws -> ExplainData {
        try ExplainData(dataset: dataset, configuration: configuration, dataDirectory: dataDir,
                        distribution: distribution, samples: samples)
    }
}
