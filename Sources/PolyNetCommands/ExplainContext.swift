import ArgumentParser
import Datasets
import FileSystem
import Foundation
import Interop
import Interpretability
import LinearAlgebra
import Plotting
import PolynomialConversion
import Training

/// The subject of an explain analysis (a loaded block, its approximants and its test inputs)
/// and the directory its figures go to.
struct ExplainContext {
    let subject: ExplainSubject
    let outputDirectory: URL

    init(_ options: ExplainOptions) throws {
        let checkpoint = try loadConvertibleCheckpoint(resolveCheckpoint(options.checkpoint))
        let data = try ExplainData(dataset: options.dataset, configuration: checkpoint.configuration, dataDirectory: options.dataDir,
                                   distribution: options.distribution, samples: options.samples)
        try self.init(checkpoint: checkpoint, distribution: options.distribution, data: data, out: options.out,
                      block: options.block)
    }

    /// The context of `checkpoint`'s block converted under `distribution`, evaluated on `data`.
    ///
    /// - Throws: `ValidationError` when the block does not fit the data set's images and
    ///   classes, and the errors of the conversion.
    /// For a network of several blocks, `block` (1-based) picks the block studied: its Gaussian is
    /// fitted to the training images pushed through the earlier layers, and its test inputs are the
    /// test images pushed the same way.
    init(checkpoint: Checkpoint<Double>, distribution: InputDistribution, data: ExplainData, out: String,
         block requested: Int? = nil) throws {
        let network = try FeedforwardNetwork(model: checkpoint.model)
        try data.check(network)
        let count = network.blocks.count
        guard let number = requested ?? (count == 1 ? 1 : nil) else {
            throw ValidationError("the model has \(count) blocks (\(checkpoint.model.specification)); pick one with --block 1…\(count)")
        }
        guard number <= count else {
            throw ValidationError("--block \(number): the model has \(count) block\(count == 1 ? "" : "s")")
        }
        let index = number - 1
        let block = network.blocks[index]
        let gaussian: GaussianDistribution
        if index > 0, distribution == .data, let training = data.training {
            gaussian = try GaussianDistribution(fitting: network.blockInputs(training.images, block: index))
        } else {
            gaussian = try distribution.gaussian(dimension: block.inputDimension, trainingInputs: data.training?.images)
        }
        if gaussian.regularization > 0 {
            print("data covariance is singular: regularized by adding \(String(format: "%.3g", gaussian.regularization))·I")
        }
        subject = ExplainSubject(
            model: try StudiedModel(block: block, distribution: gaussian),
            testInputs: index == 0 ? data.test.images.converted(to: Double.self) : network.blockInputs(data.test.images, block: index),
            testLabels: data.test.labels, image: (data.test.imageRows, data.test.imageColumns),
            classNames: data.dataset.classNames, blockNumber: number, blockCount: count)
        outputDirectory = URL(fileURLWithPath: out, isDirectory: true)
        try Directory.create(out)
    }

    /// Writes the analysis's figure files into the output directory and prints its table.
    func write(_ analysis: ReportAnalysis) throws {
        try Self.write(analysis, into: outputDirectory)
    }

    /// Writes `analysis`'s figure files into `directory` (created if missing) and prints its table.
    static func write(_ analysis: ReportAnalysis, into directory: URL) throws {
        try Directory.create(directory.path)
        for file in analysis.files {
            let url = directory.appendingPathComponent(file.name)
            try RegularFile.write(Data(file.contents), to: url)
            print("wrote \(url.path)")
        }
        printTable(header: analysis.header, rows: analysis.rows)
    }
}

/// Prints a table with right-aligned columns.
func printTable(header: [String], rows: [[String]]) {
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    for row in [header] + rows {
        print(row.enumerated().map { String(repeating: " ", count: widths[$0.offset] - $0.element.count) + $0.element }
            .joined(separator: "  "))
    }
}
