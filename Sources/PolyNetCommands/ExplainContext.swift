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

    init(_ options: ExplainOptions) throws {
        let checkpoint = try loadConvertibleCheckpoint(resolveCheckpoint(options.checkpoint))
        let data = try ExplainData(dataset: options.dataset, configuration: checkpoint.configuration, dataDirectory: options.dataDir,
                                   distribution: options.distribution, samples: options.samples)
        try self.init(checkpoint: checkpoint, distribution: options.distribution, data: data, out: options.out)
    }

    /// The context of `checkpoint`'s block converted under `distribution`, evaluated on `data`.
    ///
    /// - Throws: `ValidationError` when the block does not fit the data set's images and
    ///   classes, and the errors of the conversion.
    init(checkpoint: Checkpoint<Double>, distribution: DistributionChoice, data: ExplainData, out: String) throws {
        let block = try FeedforwardBlock(checkpoint: checkpoint)
        try data.check(block)
        let gaussian = try StudiedModel.distribution(distribution, dimension: block.inputDimension, training: data.training)
        if gaussian.regularization > 0 {
            print("data covariance is singular: regularized by adding \(String(format: "%.3g", gaussian.regularization))·I")
        }
        model = try StudiedModel(block: block, distribution: gaussian)
        testInputs = data.test.images.converted(to: Double.self)
        testLabels = data.test.labels
        imageRows = data.test.imageRows
        imageColumns = data.test.imageColumns
        outputDirectory = URL(fileURLWithPath: out, isDirectory: true)
        classNames = data.dataset.classNames
        try Directory.create(out)
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
