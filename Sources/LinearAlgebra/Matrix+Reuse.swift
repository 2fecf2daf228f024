#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Matrix {
    /// Gives the matrix the shape rows × columns, reallocating only when the shape differs,
    /// so buffers reused from step to step cost nothing in the steady state. The contents
    /// are unspecified afterwards unless the shape was already right.
    public mutating func ensureShape(rows: Int, columns: Int) {
        if self.rows != rows || self.columns != columns { self = Matrix(rows: rows, columns: columns) }
    }

    /// Sets every element to +0.0 in place (one memset, fast in unspecialized generic code too).
    public mutating func setZero() {
        elements.withUnsafeMutableBufferPointer { $0.zeroBytes() }
    }

    /// Calls `body` with the elements' storage for writing, in place (shorthand for
    /// `elements.withUnsafeMutableBufferPointer`).
    public mutating func withUnsafeMutableElements<R>(
        _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R
    ) rethrows -> R {
        try elements.withUnsafeMutableBufferPointer(body)
    }
}

extension UnsafeMutableBufferPointer where Element: BLASScalar {
    /// Sets every element to +0.0 (all zero bits in IEEE 754) with `memset`, which writes bytes
    /// without rebinding the memory's type.
    func zeroBytes() {
        guard let base = baseAddress, count > 0 else { return }
        memset(base, 0, count * MemoryLayout<Element>.stride)
    }
}
