import LinearAlgebra

// Row-vector broadcasts used by layers with a bias. The loops are free functions with their
// own generic parameter so that `@_specialize` dispatches to machine-float code even when
// the layer is called through `any Layer` (it does not for methods of a generic type, nor for private functions).

extension Matrix {
    /// Adds the 1×columns row vector `row` to every row, in place.
    mutating func addToEachRow(_ row: Matrix) {
        precondition(row.elements.count == columns, "Adding a \(row.rows)×\(row.columns) row vector to each row of \(rows)×\(columns)")
        let (height, width) = (rows, columns)
        withUnsafeMutableElements { target in
            row.elements.withUnsafeBufferPointer { vector in
                guard height > 0 else { return }
                addRowVector(vector.baseAddress!, to: target.baseAddress!, rows: height, columns: width)
            }
        }
    }

    /// Adds the sum of each column of `source` to the 1×columns row vector `self`.
    mutating func addColumnSums(of source: Matrix) {
        precondition(elements.count == source.columns, "Accumulating column sums of \(source.rows)×\(source.columns) into \(rows)×\(columns)")
        let (height, width) = (source.rows, source.columns)
        withUnsafeMutableElements { total in
            source.elements.withUnsafeBufferPointer { values in
                guard height > 0 else { return }
                accumulateColumnSums(values.baseAddress!, into: total.baseAddress!, rows: height, columns: width)
            }
        }
    }
}

@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func addRowVector<Scalar: BLASScalar>(_ vector: UnsafePointer<Scalar>, to target: UnsafeMutablePointer<Scalar>,
                                              rows: Int, columns: Int) {
    for i in 0 ..< rows {
        let row = target + i * columns
        for j in 0 ..< columns { row[j] += vector[j] }
    }
}

@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func accumulateColumnSums<Scalar: BLASScalar>(_ values: UnsafePointer<Scalar>, into total: UnsafeMutablePointer<Scalar>,
                                                      rows: Int, columns: Int) {
    for i in 0 ..< rows {
        let row = values + i * columns
        for j in 0 ..< columns { total[j] += row[j] }
    }
}
