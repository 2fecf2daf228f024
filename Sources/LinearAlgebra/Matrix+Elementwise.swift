extension Matrix {
    /// Applies `transform` to every element in place, over a raw buffer.
    @inlinable
    public mutating func apply(_ transform: (Scalar) -> Scalar) {
        elements.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] = transform(buffer[i]) }
        }
    }

    /// A matrix with `transform` applied to every element.
    @inlinable
    public func map(_ transform: (Scalar) -> Scalar) -> Matrix {
        var result = self
        result.apply(transform)
        return result
    }

    /// Combines two matrices of the same shape element by element.
    @inlinable
    public func combined(with other: Matrix, _ combine: (Scalar, Scalar) -> Scalar) -> Matrix {
        precondition(rows == other.rows && columns == other.columns,
                     "Elementwise operation on \(rows)×\(columns) and \(other.rows)×\(other.columns)")
        var result = self
        result.elements.withUnsafeMutableBufferPointer { target in
            other.elements.withUnsafeBufferPointer { source in
                for i in target.indices { target[i] = combine(target[i], source[i]) }
            }
        }
        return result
    }

    /// Multiplies every element by `factor`.
    @inlinable
    public mutating func scale(by factor: Scalar) { apply { $0 * factor } }

    /// `self += factor · other` (an axpy), in place.
    @inlinable
    public mutating func add(_ other: Matrix, scaledBy factor: Scalar = 1) {
        precondition(rows == other.rows && columns == other.columns,
                     "Adding \(other.rows)×\(other.columns) to \(rows)×\(columns)")
        elements.withUnsafeMutableBufferPointer { target in
            other.elements.withUnsafeBufferPointer { source in
                for i in target.indices { target[i] += factor * source[i] }
            }
        }
    }

    /// Adds `vector` to every row (broadcasting a row vector), in place.
    @inlinable
    public mutating func addToEachRow(_ vector: [Scalar]) { combineEachRow(with: vector, +) }

    /// Multiplies every row elementwise by `vector` (broadcasting a row vector), in place.
    @inlinable
    public mutating func multiplyEachRow(by vector: [Scalar]) { combineEachRow(with: vector, *) }

    /// Replaces each element (i, j) with `combine(element, vector[j])`.
    @inlinable
    mutating func combineEachRow(with vector: [Scalar], _ combine: (Scalar, Scalar) -> Scalar) {
        precondition(vector.count == columns,
                     "Broadcasting a row vector of \(vector.count) over a \(rows)×\(columns) matrix")
        let (height, width) = (rows, columns)
        elements.withUnsafeMutableBufferPointer { target in
            vector.withUnsafeBufferPointer { row in
                for i in 0..<height {
                    let base = i * width
                    for j in 0..<width { target[base + j] = combine(target[base + j], row[j]) }
                }
            }
        }
    }

    /// Elementwise sum.
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.combined(with: rhs, +) }
    /// Elementwise difference.
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.combined(with: rhs, -) }
    /// Elementwise (Hadamard) product; the matrix product is `multiplied(by:)`.
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.combined(with: rhs, *) }
    /// Elementwise quotient.
    public static func / (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.combined(with: rhs, /) }
    /// Every element times a scalar.
    public static func * (lhs: Scalar, rhs: Matrix) -> Matrix { rhs.map { lhs * $0 } }
    /// Every element plus a scalar.
    public static func + (lhs: Matrix, rhs: Scalar) -> Matrix { lhs.map { $0 + rhs } }
    /// Elementwise negation.
    public static prefix func - (operand: Matrix) -> Matrix { operand.map { -$0 } }
    /// In-place elementwise sum.
    public static func += (lhs: inout Matrix, rhs: Matrix) { lhs.add(rhs) }
    /// In-place elementwise difference.
    public static func -= (lhs: inout Matrix, rhs: Matrix) { lhs.add(rhs, scaledBy: -1) }
}
