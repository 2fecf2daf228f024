import LinearAlgebra
import RealModule

/// A training objective over a batch of network outputs and integer class labels.
public enum Loss: String, Sendable, Codable, CaseIterable {
    /// Softmax cross-entropy on logits, fused with the log-softmax for stability:
    /// ℓ = mean over rows of (log Σⱼ e^{zⱼ} − z_y), ∂ℓ/∂z = (softmax(z) − onehot(y)) / batch.
    case crossEntropy = "cross-entropy"
    /// Mean squared error against one-hot targets, averaged over every element as in
    /// PyTorch's `MSELoss`: ℓ = Σ (z − t)² / (batch·classes), ∂ℓ/∂z = 2(z − t) / (batch·classes).
    case meanSquaredError = "mse"

    /// The mean loss of a batch and how many rows it classified right (argmax = label).
    public struct Evaluation: Sendable {
        /// The batch-mean loss.
        public var loss: Double
        /// Rows whose largest output is at the label.
        public var correct: Int
    }

    /// Evaluates the loss of `outputs` (batch × classes) against `labels` and writes
    /// ∂loss/∂outputs into `gradient` (reallocated only when its shape does not fit).
    ///
    /// Each row's log-sum-exp subtracts the row maximum first, so logits of any size give a
    /// finite loss; a NaN or infinite output gives a non-finite loss (the divergence guard's cue).
    ///
    /// - Parameters:
    ///   - outputs: The network's outputs, one row per example.
    ///   - labels: Each row's class, in 0 ..< `outputs.columns`.
    ///   - gradient: Receives ∂loss/∂outputs.
    ///   - batchRows: The number of rows the mean is taken over, `outputs.rows` by default. A
    ///     slice of a larger batch passes the whole batch's row count: its loss and gradient are
    ///     then its share of the batch's, so the slices' values add up to the batch's (each
    ///     row's gradient is the same expression, hence the same number, either way).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func evaluate<Scalar: BLASScalar>(_ outputs: Matrix<Scalar>, labels: [Int],
                                             gradient: inout Matrix<Scalar>, batchRows: Int? = nil) -> Evaluation {
        let (rows, columns) = (outputs.rows, outputs.columns)
        let batchRows = batchRows ?? rows
        precondition(labels.count == rows, "\(labels.count) labels for \(rows) outputs")
        precondition(batchRows >= rows, "A slice of \(rows) rows of a batch of \(batchRows)")
        precondition(labels.allSatisfy { $0 >= 0 && $0 < columns }, "A label lies outside 0..<\(columns)")
        gradient.ensureShape(rows: rows, columns: columns)
        var total = 0.0
        var correct = 0
        outputs.elements.withUnsafeBufferPointer { z in
            gradient.withUnsafeMutableElements { dz in
                for row in 0 ..< rows {
                    let base = row * columns
                    var best = 0
                    for j in 1 ..< columns where z[base + j] > z[base + best] { best = j }
                    if best == labels[row] { correct += 1 }
                    switch self {
                    case .crossEntropy:
                        let maximum = z[base + best]
                        var sum: Scalar = 0
                        for j in 0 ..< columns {
                            let e = Scalar.exp(z[base + j] - maximum)
                            dz[base + j] = e
                            sum += e
                        }
                        let scale = 1 / (sum * Scalar(batchRows))
                        for j in 0 ..< columns { dz[base + j] *= scale }
                        dz[base + labels[row]] -= 1 / Scalar(batchRows)
                        // log Σ e^{z−max} − (z_y − max): no cancellation of the large max.
                        total += Double(Scalar.log(sum) - (z[base + labels[row]] - maximum))
                    case .meanSquaredError:
                        let scale = 2 / Scalar(batchRows * columns)
                        for j in 0 ..< columns {
                            let difference = z[base + j] - (j == labels[row] ? 1 : 0)
                            dz[base + j] = scale * difference
                            total += Double(difference * difference)
                        }
                    }
                }
            }
        }
        let loss = self == .crossEntropy ? total / Double(batchRows) : total / Double(batchRows * columns)
        return Evaluation(loss: loss, correct: correct)
    }
}
