import LinearAlgebra

/// Every block of a `FeedforwardNetwork` converted under the Gaussian fitted to its own input
/// (the training data pushed through the earlier layers), with exact and empirical R² per
/// block and the test accuracy of the network when blocks are replaced by their approximants.
///
/// ```swift
/// let conversion = try NetworkConversion(network: network, degree: 2, training: train.images,
///                                        test: (test.images, test.labels))
/// conversion.blocks[1].gaussianPooledRSquared   // exact R² of block 2 at degrees 1 and 2
/// conversion.allReplacedAccuracy                // every activation replaced by its polynomials
/// ```
public struct NetworkConversion: Sendable {
    /// One block's conversion.
    public struct Block: Sendable {
        /// The Gaussian fitted to the block's training inputs.
        public let distribution: GaussianDistribution
        /// The approximant of the requested degree.
        public let approximant: PolynomialApproximant
        /// The exact variance decomposition of the block's outputs under `distribution`.
        public let variance: GaussianVarianceDecomposition
        /// The approximants of each degree in `degrees` compared with the block on its own test
        /// inputs (empty without test data). Labels are used for the last block only.
        public let data: [EmpiricalComparison]
        /// Test accuracy of the network with only this block's activation replaced by the
        /// approximant's unit polynomials (nil without test data).
        public let replacedAccuracy: Double?
    }

    /// The network converted.
    public let network: FeedforwardNetwork
    /// The requested degree K.
    public let degree: Int
    /// The degrees reported: 1...K, or just 0 for K = 0.
    public var degrees: [Int] { degree == 0 ? [0] : Array(1 ... degree) }
    /// The blocks, in order.
    public let blocks: [Block]
    /// Test accuracy of the network itself (nil without test data).
    public let modelAccuracy: Double?
    /// Test accuracy with every block replaced (nil without test data).
    public let allReplacedAccuracy: Double?

    /// Converts each block of `network` at `degree` under the Gaussian of its own training inputs.
    ///
    /// - Parameters:
    ///   - network: the MLP, as a chain of blocks.
    ///   - degree: the degree of every block's approximant.
    ///   - training: network inputs (one per row) the Gaussians are fitted to.
    ///   - test: network inputs and labels for the empirical R² and the accuracies, if any.
    ///   - truncation: see `PolynomialApproximant.gaussianVariance(truncation:)`.
    ///   - progress: called with a line after each block.
    /// - Throws: the errors of `GaussianDistribution(fitting:)`, `PolynomialApproximant` and
    ///   `gaussianVariance`.
    /// - Complexity: one pass of the training data through the network per block, plus each
    ///   block's conversion (O(N·d²) to fit its Gaussian).
    public init<Scalar: BLASScalar>(network: FeedforwardNetwork, degree: Int, training: Matrix<Scalar>,
                                    test: (inputs: Matrix<Scalar>, labels: [Int])?,
                                    truncation: Int = PolynomialApproximant.defaultVarianceTruncation,
                                    progress: (String) -> Void = { _ in }) throws {
        precondition(training.columns == network.inputDimension && (test?.inputs.columns ?? network.inputDimension) == network.inputDimension,
                     "Data of \(training.columns) columns for a network of input dimension \(network.inputDimension)")
        self.network = network
        self.degree = degree
        let reported = degree == 0 ? [0] : Array(1 ... degree)
        let testInputs = test.map { network.blockInputs($0.inputs, block: 0) }
        let labels = test?.labels
        var blocks = [Block]()
        for (k, block) in network.blocks.enumerated() {
            let distribution = k == 0 ? try GaussianDistribution(fitting: training)
                                      : try GaussianDistribution(fitting: network.blockInputs(training, block: k))
            let approximant = try PolynomialApproximant(of: block, degree: degree, under: distribution)
            let variance = try approximant.gaussianVariance(truncation: truncation)
            var data = [EmpiricalComparison]()
            var replacedAccuracy: Double?
            if let testInputs, let labels {
                let inputs = network.blockInputs(testInputs, block: k)
                let isLast = k == network.blocks.count - 1
                data = try reported.map { j in
                    let lower = j == degree ? approximant : try PolynomialApproximant(of: block, degree: j, under: distribution)
                    return lower.compare(on: inputs, labels: isLast ? labels : nil)
                }
                replacedAccuracy = Self.accuracy(network(testInputs, replacing: [k: approximant]), labels)
            }
            blocks.append(Block(distribution: distribution, approximant: approximant, variance: variance,
                                data: data, replacedAccuracy: replacedAccuracy))
            progress("block \(k + 1)/\(network.blocks.count) converted")
        }
        self.blocks = blocks
        if let testInputs, let labels {
            modelAccuracy = Self.accuracy(network(testInputs), labels)
            let all = Dictionary(uniqueKeysWithValues: blocks.enumerated().map { ($0.offset, $0.element.approximant) })
            allReplacedAccuracy = Self.accuracy(network(testInputs, replacing: all), labels)
        } else {
            modelAccuracy = nil
            allReplacedAccuracy = nil
        }
    }

    /// The fraction of rows whose largest output is at the label's index.
    static func accuracy(_ outputs: Matrix<Double>, _ labels: [Int]) -> Double {
        let correct = zip(outputs.argmaxOfRows(), labels).filter { $0 == $1 }.count
        return Double(correct) / Double(Swift.max(labels.count, 1))
    }
}

extension NetworkConversion.Block {
    /// Exact pooled R² under the block's Gaussian for each of `degrees`.
    public func gaussianPooledRSquared(degrees: [Int]) -> [Double] { degrees.map { variance.pooledRSquared(degree: $0) } }
}
