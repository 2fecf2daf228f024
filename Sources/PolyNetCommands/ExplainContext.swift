import Datasets
import FileSystem
import Foundation
import Interop
import Interpretability
import LinearAlgebra
import Plotting
import PolynomialConversion

/// A loaded model, its approximants and the MNIST test data: what each analysis needs.
struct ExplainContext {
    let model: StudiedModel
    let testInputs: Matrix<Double>
    let testLabels: [Int]
    let imageRows: Int
    let imageColumns: Int
    let outputDirectory: URL
    let classNames: [String]

    init(_ options: ExplainOptions) throws {
        let (training, test) = try Self.loadMNIST(dataDirectory: options.dataDir, distribution: options.distribution,
                                                  samples: options.samples)
        try self.init(checkpoint: Self.checkpointURL(options.checkpoint), distribution: options.distribution,
                      training: training, test: test, out: options.out)
    }

    init(checkpoint: URL, distribution: DistributionChoice, training: LabeledImages?, test: LabeledImages, out: String) throws {
        let block = try FeedforwardBlock(checkpoint: SafeTensors(contentsOf: checkpoint))
        let gaussian = try StudiedModel.distribution(distribution, dimension: block.inputDimension, training: training)
        if gaussian.regularization > 0 {
            print("data covariance is singular: regularized by adding \(String(format: "%.3g", gaussian.regularization))·I")
        }
        model = try StudiedModel(block: block, distribution: gaussian)
        testInputs = test.images.converted(to: Double.self)
        testLabels = test.labels
        imageRows = test.imageRows
        imageColumns = test.imageColumns
        outputDirectory = URL(fileURLWithPath: out, isDirectory: true)
        classNames = (0 ..< block.outputCount).map { "digit \($0)" }
        try Directory.create(out)
    }

    /// The first `samples` MNIST test images (all when nil) and, for the data distribution, the
    /// training images it is fitted to.
    static func loadMNIST(dataDirectory: String?, distribution: DistributionChoice,
                          samples: Int?) throws -> (training: LabeledImages?, test: LabeledImages) {
        let directory = try DataLocator.mnistDirectory(dataDirectory: dataDirectory)
        let test = try MNIST.load(.test, from: directory).prefix(samples ?? Int.max)
        return (distribution == .data ? try MNIST.load(.train, from: directory) : nil, test)
    }

    /// A checkpoint path, or a run directory's `model.safetensors`.
    static func checkpointURL(_ path: String) -> URL {
        var isDirectory: ObjCBool = false
        let url = URL(fileURLWithPath: path)
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return url.appendingPathComponent("model.safetensors")
        }
        return url
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
