import LinearAlgebra

// Row-vector broadcasts used by layers with a bias. Specialized for Float and Double so the
// loops run on machine floats even when the layer is called through `any Layer`.

extension Matrix {
    /// Adds the 1×columns row vector `row` to every row, in place.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    mutating func addToEachRow(_ row: Matrix) {
        precondition(row.elements.count == columns, "Adding a \(row.rows)×\(row.columns) row vector to each row of \(rows)×\(columns)")
        let (height, width) = (rows, columns)
        elements.withUnsafeMutableBufferPointer { target in
            row.elements.withUnsafeBufferPointer { vector in
                for i in 0 ..< height {
                    let base = i * width
                    for j in 0 ..< width { target[base + j] += vector[j] }
                }
            }
        }
    }

    /// Adds the sum of each column of `source` to the 1×columns row vector `self`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    mutating func addColumnSums(of source: Matrix) {
        precondition(elements.count == source.columns, "Accumulating column sums of \(source.rows)×\(source.columns) into \(rows)×\(columns)")
        let (height, width) = (source.rows, source.columns)
        elements.withUnsafeMutableBufferPointer { total in
            source.elements.withUnsafeBufferPointer { values in
                for i in 0 ..< height {
                    let base = i * width
                    for j in 0 ..< width { total[j] += values[base + j] }
                }
            }
        }
    }
}
