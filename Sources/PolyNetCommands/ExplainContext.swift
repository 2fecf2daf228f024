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

/// A loaded model, its approximants and its data set's test images: what each analysis needs.
struct ExplainContext {
    let model: StudiedModel
    let testInputs: Matrix<Double>
    let testLabels: [Int]
    let imageRows: Int
    let imageColumns: Int
    let outputDirectory: URL
    let classNames: [String]
    /// The 1-based block studied and the network's number of blocks.
    let blockNumber: Int
    let blockCount: Int
    /// Whether the block's outputs are the network's (the class scores).
    var isOutputBlock: Bool { blockNumber == blockCount }

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
        model = try StudiedModel(block: block, distribution: gaussian)
        testInputs = index == 0 ? data.test.images.converted(to: Double.self) : network.blockInputs(data.test.images, block: index)
        testLabels = data.test.labels
        if block.inputDimension == data.test.imageRows * data.test.imageColumns {
            (imageRows, imageColumns) = (data.test.imageRows, data.test.imageColumns)
        } else {
            (imageRows, imageColumns) = Self.nearSquare(block.inputDimension)
        }
        outputDirectory = URL(fileURLWithPath: out, isDirectory: true)
        classNames = number == count ? data.dataset.classNames : (0 ..< block.outputCount).map { "unit \($0)" }
        (blockNumber, blockCount) = (number, count)
        try Directory.create(out)
    }

    /// Refuses an analysis that reads the block's outputs as class scores on an inner block.
    func requireOutputBlock(_ analysis: String) throws {
        guard isOutputBlock else {
            throw ValidationError("\(analysis) reads the block's outputs as class scores: use the last block, --block \(blockCount)")
        }
    }

    /// rows × columns = n with rows the largest divisor of n up to √n: the picture of a hidden
    /// layer's inputs (128 → 8 × 16).
    static func nearSquare(_ n: Int) -> (rows: Int, columns: Int) {
        var rows = Int(Double(n).squareRoot())
        while rows > 1 && n % rows != 0 { rows -= 1 }
        return (rows, n / rows)
    }

    /// Writes a grid as `name.png` and `name.svg`; returns the PNG bytes.
    @discardableResult
    func write(_ grid: ImageGrid, as name: String) throws -> [UInt8] {
        let png = PNGCodec.encode(grid.image())
        try RegularFile.write(Data(png), to: outputDirectory.appendingPathComponent("\(name).png"))
        try RegularFile.write(grid.svg(), to: outputDirectory.appendingPathComponent("\(name).svg").path)
        print("wrote \(outputDirectory.appendingPathComponent(name).path).png and .svg")
        return png
    }

    /// Writes the first four test images, each under every variant's transformation and captioned
    /// with it, one row per image labeled with its class, as `name.png` and `name.svg`; returns
    /// the PNG bytes.
    func writeExamples(title: String, variants: [(caption: String, transform: (Matrix<Double>) -> Matrix<Double>)],
                       as name: String) throws -> [UInt8] {
        let examples = (0 ..< min(4, testInputs.rows)).map { index in
            variants.map { (image: $0.transform(testInputs.rows(index ..< index + 1)).row(0), caption: $0.caption) }
        }
        return try write(Figures.exampleGrid(title: title, examples: examples,
                                             rowLabels: examples.indices.map { "label \(testLabels[$0])" },
                                             imageRows: imageRows, imageColumns: imageColumns), as: name)
    }

    /// Writes a chart as `name.svg`; returns the SVG text.
    @discardableResult
    func write(_ chart: LineChart, as name: String) throws -> String {
        let svg = chart.svg()
        try RegularFile.write(svg, to: outputDirectory.appendingPathComponent("\(name).svg").path)
        print("wrote \(outputDirectory.appendingPathComponent(name).path).svg")
        return svg
    }
}

/// Formats a fraction as a percentage with one decimal.
func percent(_ value: Double) -> String { String(format: "%.1f%%", 100 * value) }

/// Prints a table with right-aligned columns.
func printTable(header: [String], rows: [[String]]) {
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    for row in [header] + rows {
        print(row.enumerated().map { String(repeating: " ", count: widths[$0.offset] - $0.element.count) + $0.element }
            .joined(separator: "  "))
    }
}
