import ArgumentParser
import Datasets
import Interpretability

/// The data options of the explain commands that read a whole run (`complexity`, `report`).
struct ExplainRunDataOptions: ParsableArguments {
    @Option(help: "Input distribution: standard or data.")
    var distribution: DistributionChoice = .data

    @Option(help: "Directory holding MNIST.")
    var dataDir: String?

    /// The first `samples` MNIST test images (all when nil) and, for the data distribution, the
    /// training images.
    func loadMNIST(samples: Int?) throws -> (training: LabeledImages?, test: LabeledImages) {
        try ExplainContext.loadMNIST(dataDirectory: dataDir, distribution: distribution, samples: samples)
    }
}
