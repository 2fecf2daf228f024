extension Matrix {
    /// Gives the matrix the shape rows × columns, reallocating only when the shape differs,
    /// so buffers reused from step to step cost nothing in the steady state. The contents
    /// are unspecified afterwards unless the shape was already right.
    public mutating func ensureShape(rows: Int, columns: Int) {
        if self.rows != rows || self.columns != columns { self = Matrix(rows: rows, columns: columns) }
    }

    /// Sets every element to zero in place (a byte fill: +0.0 is all zero bits in IEEE 754,
    /// and a byte fill stays fast in unspecialized generic code, where a typed fill does not).
    public mutating func setZero() {
        elements.withUnsafeMutableBufferPointer { buffer in
            _ = UnsafeMutableRawBufferPointer(buffer).initializeMemory(as: UInt8.self, repeating: 0)
        }
    }

    /// Calls `body` with the elements' storage for writing, in place (shorthand for
    /// `elements.withUnsafeMutableBufferPointer`).
    public mutating func withUnsafeMutableElements<R>(
        _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R
    ) rethrows -> R {
        try elements.withUnsafeMutableBufferPointer(body)
    }
}
