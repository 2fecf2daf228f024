import LinearAlgebra
import Plotting

/// What every `polynet explain` analysis studies: one block of a trained network with its
/// approximants, the test inputs that reach it, and how to draw and name them.
public struct ExplainSubject: Sendable {
    /// The block and its degree-1 and degree-2 approximants.
    public let model: StudiedModel
    /// The test inputs of the block (test images pushed through the earlier layers), one per row.
    public let testInputs: Matrix<Double>
    /// The test labels.
    public let testLabels: [Int]
    /// The picture of one input: rows × columns = the block's input dimension.
    public let imageRows: Int
    /// See ``imageRows``.
    public let imageColumns: Int
    /// One name per output: class names for the last block, "unit k" otherwise.
    public let outputNames: [String]
    /// The 1-based number of the block studied.
    public let blockNumber: Int
    /// The network's number of blocks.
    public let blockCount: Int

    /// A subject of block `blockNumber` of `blockCount`; an input that is not `image` pixels is
    /// drawn as the near-square picture of ``nearSquare(_:)``, and inner blocks' outputs are
    /// named "unit k".
    /// - Precondition: `testInputs` has one row per label and the block's input dimension as
    ///   its columns, and `blockNumber` is in 1...`blockCount`.
    public init(model: StudiedModel, testInputs: Matrix<Double>, testLabels: [Int], image: (rows: Int, columns: Int),
                classNames: [String], blockNumber: Int = 1, blockCount: Int = 1) {
        precondition(testInputs.rows == testLabels.count && testInputs.columns == model.block.inputDimension,
                     "Test inputs \(testInputs.rows)×\(testInputs.columns) with \(testLabels.count) labels for a block of \(model.block.inputDimension) inputs")
        precondition((1 ... blockCount).contains(blockNumber), "Block \(blockNumber) of \(blockCount)")
        self.model = model
        self.testInputs = testInputs
        self.testLabels = testLabels
        let dimension = model.block.inputDimension
        (imageRows, imageColumns) = image.rows * image.columns == dimension ? image : Self.nearSquare(dimension)
        outputNames = blockNumber == blockCount ? classNames : (0 ..< model.block.outputCount).map { "unit \($0)" }
        self.blockNumber = blockNumber
        self.blockCount = blockCount
    }

    /// Whether the block's outputs are the network's (the class scores).
    public var isOutputBlock: Bool { blockNumber == blockCount }

    /// Refuses an analysis that reads the block's outputs as class scores on an inner block.
    ///
    /// - Throws: `InterpretabilityError.notOutputBlock`.
    public func requireOutputBlock(_ analysis: String) throws {
        guard isOutputBlock else {
            throw InterpretabilityError.notOutputBlock(analysis: analysis, block: blockNumber, blockCount: blockCount)
        }
    }

    /// rows × columns = n with rows the largest divisor of n up to √n: the picture of a hidden
    /// layer's inputs (128 → 8 × 16).
    public static func nearSquare(_ n: Int) -> (rows: Int, columns: Int) {
        var rows = Int(Double(n).squareRoot())
        while rows > 1 && n % rows != 0 { rows -= 1 }
        return (rows, n / rows)
    }

    /// The first four test inputs, each under every variant's transformation and captioned with
    /// it, one row per input labeled with its class.
    func examplesGrid(title: String, variants: [(caption: String, transform: (Matrix<Double>) -> Matrix<Double>)]) -> ImageGrid {
        let examples = (0 ..< min(4, testInputs.rows)).map { index in
            variants.map { (image: $0.transform(testInputs.rows(index ..< index + 1)).row(0), caption: $0.caption) }
        }
        return Figures.exampleGrid(title: title, examples: examples,
                                   rowLabels: examples.indices.map { "label \(testLabels[$0])" },
                                   imageRows: imageRows, imageColumns: imageColumns)
    }
}
