/// A dense, row-major matrix of `Float` or `Double` with value semantics.
///
/// Storage is one `ContiguousArray`, so copies are free until one side mutates
/// (copy-on-write). Products and decompositions go through OpenBLAS and LAPACKE; elementwise
/// work runs over buffer pointers so the compiler vectorizes it.
///
/// ```swift
/// let a = Matrix<Double>(rows: 2, columns: 2, elements: [1, 2, 3, 4])
/// let b = a.multiplied(by: a, transposingOther: true)  // A·Aᵀ
/// ```
public struct Matrix<Scalar: BLASScalar>: Sendable, Equatable {
    /// The number of rows.
    public private(set) var rows: Int
    /// The number of columns.
    public private(set) var columns: Int
    /// The elements in row-major order: element (i, j) is `elements[i * columns + j]`.
    ///
    /// Write through it freely (in place, with no copy when the storage is not shared), but
    /// keep `rows · columns` elements: every operation checks shapes against that count.
    public var elements: ContiguousArray<Scalar>

    /// A matrix of the given shape with every element equal to `value`.
    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix shape \(rows)×\(columns) is negative")
        self.rows = rows
        self.columns = columns
        if value == 0 && value.sign == .plus {
            // +0.0 is all zero bits: one memset. Layers called through `any Layer` run this as
            // unspecialized generic code, where a typed fill copies element by element through
            // value witnesses.
            elements = ContiguousArray(unsafeUninitializedCapacity: rows * columns) { buffer, initialized in
                buffer.zeroBytes()
                initialized = buffer.count
            }
        } else {
            elements = ContiguousArray(repeating: value, count: rows * columns)
        }
    }

    /// A matrix from row-major elements; `elements.count` must equal `rows * columns`.
    public init<S: Sequence>(rows: Int, columns: Int, elements: S) where S.Element == Scalar {
        let storage = ContiguousArray(elements)
        precondition(rows >= 0 && columns >= 0 && storage.count == rows * columns,
                     "\(storage.count) elements do not fill a \(rows)×\(columns) matrix")
        self.rows = rows
        self.columns = columns
        self.elements = storage
    }

    /// A matrix from an array of equally long rows.
    public init(_ rowArrays: [[Scalar]]) {
        let width = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == width }, "Rows have different lengths")
        self.init(rows: rowArrays.count, columns: width, elements: rowArrays.joined())
    }

    /// The n×n identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var result = Matrix(rows: n, columns: n)
        for i in 0..<n { result[i, i] = 1 }
        return result
    }

    /// A matrix with `values` on its diagonal.
    public static func diagonal(_ values: [Scalar]) -> Matrix {
        var result = Matrix(rows: values.count, columns: values.count)
        for (i, value) in values.enumerated() { result[i, i] = value }
        return result
    }

    /// The shape as (rows, columns).
    public var shape: (rows: Int, columns: Int) { (rows, columns) }

    /// Element (row, column).
    @inlinable
    public subscript(row: Int, column: Int) -> Scalar {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "Index (\(row), \(column)) outside a \(rows)×\(columns) matrix")
            return elements[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "Index (\(row), \(column)) outside a \(rows)×\(columns) matrix")
            elements[row * columns + column] = newValue
        }
    }

    /// Row `index` as an array.
    public func row(_ index: Int) -> [Scalar] {
        precondition(index >= 0 && index < rows, "Row \(index) outside a \(rows)×\(columns) matrix")
        return Array(elements[index * columns ..< (index + 1) * columns])
    }

    /// Column `index` as an array.
    public func column(_ index: Int) -> [Scalar] {
        precondition(index >= 0 && index < columns, "Column \(index) outside a \(rows)×\(columns) matrix")
        return (0..<rows).map { elements[$0 * columns + index] }
    }

    /// The rows in `range` as a new matrix (a contiguous batch).
    public func rows(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows,
                     "Rows \(range) outside a \(rows)×\(columns) matrix")
        return Matrix(rows: range.count, columns: columns,
                      elements: elements[range.lowerBound * columns ..< range.upperBound * columns])
    }

    /// The rows at `indices`, in that order, as a new matrix (a shuffled batch).
    public func rows<C: Collection>(at indices: C) -> Matrix where C.Element == Int {
        var result = Matrix(rows: indices.count, columns: columns)
        gatherRows(at: indices, into: &result)
        return result
    }

    /// Copies the rows at `indices` into `destination` without allocating when its shape fits.
    ///
    /// Inlinable so that the loop over `indices` is specialized for the caller's collection
    /// (unspecialized, every element costs generic witness calls).
    @inlinable
    public func gatherRows<C: Collection>(at indices: C, into destination: inout Matrix)
    where C.Element == Int {
        if destination.rows != indices.count || destination.columns != columns {
            destination = Matrix(rows: indices.count, columns: columns)
        }
        let width = columns
        elements.withUnsafeBufferPointer { source in
            destination.elements.withUnsafeMutableBufferPointer { target in
                for (slot, index) in indices.enumerated() {
                    precondition(index >= 0 && index < rows, "Row \(index) outside a \(rows)×\(width) matrix")
                    let from = source.baseAddress! + index * width
                    (target.baseAddress! + slot * width).update(from: from, count: width)
                }
            }
        }
    }

    /// Changes the shape, keeping the row-major elements.
    public func reshaped(rows newRows: Int, columns newColumns: Int) -> Matrix {
        precondition(newRows * newColumns == rows * columns,
                     "Cannot reshape \(rows)×\(columns) to \(newRows)×\(newColumns)")
        return Matrix(rows: newRows, columns: newColumns, elements: elements)
    }

    /// The transpose.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func transposed() -> Matrix {
        var result = Matrix(rows: columns, columns: rows)
        let (r, c) = (rows, columns)
        elements.withUnsafeBufferPointer { source in
            result.elements.withUnsafeMutableBufferPointer { target in
                // Blocked so both sides stay in cache for large matrices.
                let block = 32
                for i0 in stride(from: 0, to: r, by: block) {
                    for j0 in stride(from: 0, to: c, by: block) {
                        for i in i0 ..< Swift.min(i0 + block, r) {
                            for j in j0 ..< Swift.min(j0 + block, c) {
                                target[j * r + i] = source[i * c + j]
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Transposes in place.
    public mutating func transpose() { self = transposed() }

    /// Each element converted to another precision.
    @_specialize(where Scalar == Float, Other == Double)
    @_specialize(where Scalar == Double, Other == Float)
    public func converted<Other: BLASScalar>(to _: Other.Type = Other.self) -> Matrix<Other> {
        var result = Matrix<Other>(rows: rows, columns: columns)
        elements.withUnsafeBufferPointer { source in
            result.elements.withUnsafeMutableBufferPointer { target in
                for i in source.indices { target[i] = Other(source[i]) }
            }
        }
        return result
    }

    /// True when no element is NaN or infinite.
    @inlinable
    public var isFinite: Bool {
        elements.withUnsafeBufferPointer { buffer in
            var sum: Scalar = 0
            for value in buffer { sum += value * 0 }  // NaN·0 and ∞·0 are NaN; vectorizes.
            return !sum.isNaN
        }
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        let shown = (0..<Swift.min(rows, 6)).map { i in
            (0..<Swift.min(columns, 6)).map { "\(self[i, $0])" }.joined(separator: " ")
                + (columns > 6 ? " …" : "")
        }
        return "Matrix<\(Scalar.self)> \(rows)×\(columns)\n" + shown.joined(separator: "\n")
            + (rows > 6 ? "\n…" : "")
    }
}

extension Matrix {
    /// Gives the matrix the shape rows × columns in the storage it has: elements are dropped from
    /// the end or zeros appended, and the storage is reallocated only when it lacks the
    /// capacity. For workspaces whose shape changes from step to step (a count that depends on
    /// the data): in the steady state they neither allocate nor fill. The contents are
    /// unspecified afterwards; the capacity is kept when the matrix shrinks. (Here rather than
    /// beside `ensureShape` because it sets the shape.)
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func reshapeInPlace(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "Matrix shape \(rows)×\(columns) is negative")
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        precondition(!overflow, "Matrix shape \(rows)×\(columns) overflows")
        if count < elements.count {
            elements.removeLast(elements.count - count)
        } else if count > elements.count {
            elements.append(contentsOf: repeatElement(0, count: count - elements.count))
        }
        (self.rows, self.columns) = (rows, columns)
    }
}
