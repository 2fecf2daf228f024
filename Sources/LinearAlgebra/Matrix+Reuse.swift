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
            UnsafeMutableRawBufferPointer(buffer).initializeMemory(as: UInt8.self, repeating: 0)
        }
    }

    /// Calls `body` with the elements' storage for writing, in place.
    ///
    /// Use this instead of `elements.withUnsafeMutableBufferPointer` outside this module:
    /// because `elements` has a `didSet` observer, another module's mutation of it goes
    /// through get-then-set, which copies the whole buffer first (measured: one full copy per
    /// call). This method runs inside the module, where the access is in place.
    public mutating func withUnsafeMutableElements<R>(
        _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R
    ) rethrows -> R {
        try elements.withUnsafeMutableBufferPointer(body)
    }
}
