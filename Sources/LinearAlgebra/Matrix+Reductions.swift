/// Which index a reduction runs over.
public enum Axis: Sendable {
    /// Reduce over the rows: one result per column (like `sum(dim=0)` in PyTorch).
    case rows
    /// Reduce over the columns: one result per row (like `sum(dim=1)`).
    case columns
}

extension Matrix {
    /// The sum of all elements.
    @inlinable
    public func sum() -> Scalar {
        elements.withUnsafeBufferPointer { buffer in
            var total: Scalar = 0
            for value in buffer { total += value }
            return total
        }
    }

    /// The mean of all elements.
    @inlinable
    public func mean() -> Scalar { sum() / Scalar(Swift.max(elements.count, 1)) }

    /// Sums over `axis`: over `.rows` gives a vector of `columns` entries.
    @inlinable
    public func sum(over axis: Axis) -> [Scalar] {
        let width = columns
        switch axis {
        case .rows:
            var result = [Scalar](repeating: 0, count: columns)
            elements.withUnsafeBufferPointer { source in
                result.withUnsafeMutableBufferPointer { total in
                    for i in 0..<rows {
                        let base = i * width
                        for j in 0..<width { total[j] += source[base + j] }
                    }
                }
            }
            return result
        case .columns:
            return elements.withUnsafeBufferPointer { source in
                (0..<rows).map { i in
                    var total: Scalar = 0
                    for j in 0..<width { total += source[i * width + j] }
                    return total
                }
            }
        }
    }

    /// Means over `axis`: over `.rows` gives the column means.
    @inlinable
    public func mean(over axis: Axis) -> [Scalar] {
        let count = Scalar(Swift.max(axis == .rows ? rows : columns, 1))
        return sum(over: axis).map { $0 / count }
    }

    /// The index of the largest element of each row (the predicted class of a logit matrix).
    public func argmaxOfRows() -> [Int] {
        precondition(columns > 0, "argmax of a \(rows)×0 matrix")
        return (0..<rows).map { i in
            var best = 0
            for j in 1..<columns where elements[i * columns + j] > elements[i * columns + best] { best = j }
            return best
        }
    }

    /// The Frobenius norm ‖A‖_F.
    @inlinable
    public func frobeniusNorm() -> Scalar {
        elements.withUnsafeBufferPointer { buffer in
            var total: Scalar = 0
            for value in buffer { total += value * value }
            return total.squareRoot()
        }
    }
}
