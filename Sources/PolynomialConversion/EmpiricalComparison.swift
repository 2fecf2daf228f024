import LinearAlgebra

/// How well an approximant reproduces its block on real data.
public struct EmpiricalComparison: Sendable, Equatable {
    /// 1 − Σᵢ(fᵢₒ − pᵢₒ)²/Σᵢ(fᵢₒ − f̄ₒ)² per output (see ``EmpiricalRSquared`` for a constant output).
    public let rSquared: [Double]
    /// The same with both sums taken over all outputs (``EmpiricalRSquared/pooled``).
    public let pooledRSquared: Double
    /// Accuracy of argmax f against the labels (when labels were given).
    public let modelAccuracy: Double?
    /// Accuracy of argmax p used as a classifier.
    public let approximantAccuracy: Double?
    /// Mean over samples of KL(softmax f ‖ softmax p), in nats.
    public let klDivergence: Double
    /// The number of samples.
    public let sampleCount: Int
}

extension PolynomialApproximant {
    /// Compares the block and the approximant on `inputs` (one sample per row), in chunks that
    /// share the projection X·W₁ᵀ between the two.
    /// - Precondition: `inputs` has the block's input dimension and `labels`, if given, one
    ///   entry per row.
    public func compare<Scalar: BLASScalar>(on inputs: Matrix<Scalar>, labels: [Int]? = nil) -> EmpiricalComparison {
        compare(on: inputs, labels: labels, chunkSize: EmpiricalComparison.defaultChunkSize)
    }

    /// The same in chunks of `chunkSize` rows.
    func compare<Scalar: BLASScalar>(on inputs: Matrix<Scalar>, labels: [Int]?, chunkSize: Int) -> EmpiricalComparison {
        EmpiricalComparison(block: block, inputs: inputs, labels: labels, chunkSize: chunkSize) { _, h, l in
            hiddenValues(preactivations: h, linearBranchValues: l)
        } outputFromHidden: { block.output(fromHidden: $0) }
    }
}

extension MixtureLinearFit {
    /// Compares `block` with this linear fit p(x) = constant + linear·x on `inputs`.
    public func compare<Scalar: BLASScalar>(_ block: FeedforwardBlock, on inputs: Matrix<Scalar>,
                                            labels: [Int]? = nil) -> EmpiricalComparison {
        EmpiricalComparison(block: block, inputs: inputs, labels: labels) { x, _, _ in
            var y = x.multiplied(by: linear, transposingOther: true)
            y.addToEachRow(constant)
            return y
        } outputFromHidden: { $0 }
    }
}

extension EmpiricalComparison {
    /// The rows per chunk: each chunk holds its inputs in Double and the block's values, 3.2 MB
    /// for 784 inputs. With 2048 rows `polynet convert --explicit --json` on a 784→64→10 block
    /// and the 10,000 MNIST test images peaked at 96,300–96,700 KiB resident; with 512, at
    /// 86,900–87,200 KiB in the same time (0.82–0.87 s, 5 runs each, AMD EPYC Zen 4).
    static let defaultChunkSize = 512

    /// Evaluates the block and an approximation (from inputs, pre-activations and linear-branch
    /// values, then mapped by `outputFromHidden`) chunk by chunk and accumulates the statistics.
    init<Scalar: BLASScalar>(block: FeedforwardBlock, inputs: Matrix<Scalar>, labels: [Int]?, chunkSize: Int = defaultChunkSize,
                             approximation: (Matrix<Double>, Matrix<Double>, Matrix<Double>?) -> Matrix<Double>,
                             outputFromHidden: (Matrix<Double>) -> Matrix<Double>) {
        precondition(inputs.columns == block.inputDimension,
                     "Data of \(inputs.columns) columns for a block of input dimension \(block.inputDimension)")
        precondition(labels.map { $0.count == inputs.rows } ?? true, "\(labels?.count ?? 0) labels for \(inputs.rows) rows")
        var rSquared = EmpiricalRSquared(outputs: block.outputCount)
        var (modelCorrect, approximantCorrect, divergence) = (0, 0, 0.0)
        for start in stride(from: 0, to: inputs.rows, by: chunkSize) {
            let x = Self.doubleRows(inputs, start ..< Swift.min(start + chunkSize, inputs.rows))
            let h = block.preactivations(x)
            let l = block.linearBranchValues(x)
            let f = block.output(fromHidden: block.hidden(preactivations: h, linearBranchValues: l))
            let p = outputFromHidden(approximation(x, h, l))
            rSquared.add(model: f, approximation: p)
            for i in 0 ..< f.rows { divergence += Self.softmaxDivergence(f, p, row: i) }
            if let labels {
                let truth = labels[start ..< start + f.rows]
                modelCorrect += zip(f.argmaxOfRows(), truth).filter { $0 == $1 }.count
                approximantCorrect += zip(p.argmaxOfRows(), truth).filter { $0 == $1 }.count
            }
        }
        let count = Double(Swift.max(inputs.rows, 1))
        self.init(
            rSquared: rSquared.perOutput, pooledRSquared: rSquared.pooled,
            modelAccuracy: labels.map { _ in Double(modelCorrect) / count },
            approximantAccuracy: labels.map { _ in Double(approximantCorrect) / count },
            klDivergence: divergence / count, sampleCount: inputs.rows)
    }

    /// Rows of `inputs` in Double, by a specialized loop (`converted(to:)` is not specialized
    /// across modules and costs more than the rest of a comparison).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func doubleRows<Scalar: BLASScalar>(_ inputs: Matrix<Scalar>, _ range: Range<Int>) -> Matrix<Double> {
        var result = Matrix<Double>(rows: range.count, columns: inputs.columns)
        let offset = range.lowerBound * inputs.columns
        inputs.elements.withUnsafeBufferPointer { source in
            result.withUnsafeMutableElements { target in
                for index in 0 ..< target.count { target[index] = Double(source[offset + index]) }
            }
        }
        return result
    }

    /// KL(softmax(f row) ‖ softmax(p row)) = Σ qᵢ(log qᵢ − log rᵢ) with log-softmax computed stably.
    static func softmaxDivergence(_ f: Matrix<Double>, _ p: Matrix<Double>, row i: Int) -> Double {
        let logQ = logSoftmax(f.row(i)), logR = logSoftmax(p.row(i))
        return zip(logQ, logR).reduce(0) { $0 + Double.exp($1.0) * ($1.0 - $1.1) }
    }

    /// log softmax(z) = z − max z − log Σ exp(z − max z).
    static func logSoftmax(_ z: [Double]) -> [Double] {
        let top = z.max() ?? 0
        let logSum = Double.log(z.reduce(0) { $0 + Double.exp($1 - top) })
        return z.map { $0 - top - logSum }
    }
}
