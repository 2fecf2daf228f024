import CKernels
import LinearAlgebra

/// A dense layer's training-time products for a sparse input: the forward product and the
/// weight gradient computed from the input's nonzero entries only.
///
/// A zero input entry adds nothing to x·Wᵀ nor to the weight gradient, so when at most a quarter
/// of a batch's entries are nonzero the layer keeps them as compressed sparse rows (and, for the
/// weight gradient, columns) and sums over them alone. Pixel images are such inputs: an MNIST
/// digit has about 150 nonzero pixels of 784 (19 %). Each output is one sum in the order of the
/// input's columns and the weight gradient one sum in the order of the rows (starting from its
/// old value), so the results differ from the dense products only by the order of rounding (and
/// the sign of an exact zero). The kernels sum over rows copied to aligned scratch: the weight's
/// used columns, the output gradient, the weight gradient's used columns.
///
/// Used when the layer has at least ``minimumOutputs`` outputs. `scripts/bench-sparse-kernels.sh`
/// times the forward product and the weight gradient together (sparse rows and columns
/// included) against OpenBLAS's two full products, one thread, medians of 31: on an AMD EPYC
/// (Zen 4, AVX-512), MNIST rows (148 nonzero of 784), three runs, OpenBLAS takes 1.98–2.09× as
/// long with 128 outputs at batch 256 and 1024 (1.63× at 64), 1.49–1.89× with 64 outputs, and
/// 0.66–0.79× with 32 (too little work per entry to pay for reading it); random rows a quarter
/// nonzero, 128 outputs, batch 256: 1.48×.
struct SparseInputProducts<Scalar: BLASScalar>: Sendable {
    /// The fewest outputs for which the sparse products are used.
    static var minimumOutputs: Int { 64 }

    private var rowStarts = [Int32]()
    private var columnIndices = [Int32]()
    private var values = [Scalar]()
    private var columnStarts = [Int32]()
    private var cursors = [Int32]()
    private var rowIndices = [Int32]()
    private var columnValues = [Scalar]()
    /// The kernels' aligned copies: the weight's used columns as rows (forward), the output
    /// gradient and the weight gradient's used columns as rows (backward).
    private var scratch = [Scalar]()
    private var entryCount = 0
    /// The rows of the last forward pass that used the sparse input, or nil.
    private(set) var activeRows: Int?

    /// Sets `output` (rows × outputs, shaped by the caller) to `input`·`weight`ᵀ from the
    /// nonzero entries of `input` when at most a quarter of them are nonzero and `weight` has at
    /// least ``minimumOutputs`` rows; returns whether it did. A NaN is not zero.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    mutating func product(_ input: Matrix<Scalar>, weight: Matrix<Scalar>, into output: inout Matrix<Scalar>) -> Bool {
        activeRows = nil
        let (rows, columns, outputs) = (input.rows, input.columns, weight.rows)
        precondition(weight.columns == columns && output.rows == rows && output.columns == outputs,
                     "Sparse product of \(rows)×\(columns) by \(outputs)×\(weight.columns) into \(output.rows)×\(output.columns)")
        // The entries are counted in Int32, with room for one row and a vector past the quarter.
        let (entries, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard rows > 0, outputs >= Self.minimumOutputs, !overflow, entries / 4 <= Int(Int32.max) - columns - 16 else {
            return false
        }
        let capacity = entries / 4
        if columnIndices.count < capacity + columns + 16 {
            columnIndices = [Int32](repeating: 0, count: capacity + columns + 16)
            values = [Scalar](repeating: 0, count: capacity + columns + 16)
        }
        if rowStarts.count < rows + 1 { rowStarts = [Int32](repeating: 0, count: rows + 1) }
        if columnStarts.count != columns + 1 { columnStarts = [Int32](repeating: 0, count: columns + 1) }
        let count = input.elements.withUnsafeBufferPointer { x in
            rowStarts.withUnsafeMutableBufferPointer { starts in
                columnIndices.withUnsafeMutableBufferPointer { indices in
                    values.withUnsafeMutableBufferPointer { entries in
                        columnStarts.withUnsafeMutableBufferPointer { columnStarts in
                            Scalar.self == Float.self
                                ? polynet_sparse_rows_f(kernelPointer(x.baseAddress), rows, columns, capacity, starts.baseAddress,
                                                        indices.baseAddress, kernelPointer(entries.baseAddress), columnStarts.baseAddress)
                                : polynet_sparse_rows_d(kernelPointer(x.baseAddress), rows, columns, capacity, starts.baseAddress,
                                                        indices.baseAddress, kernelPointer(entries.baseAddress), columnStarts.baseAddress)
                        }
                    }
                }
            }
        }
        guard count >= 0 else { return false }
        entryCount = count
        reserveScratch(rows: columns, outputs: outputs)
        rowStarts.withUnsafeBufferPointer { starts in
            columnIndices.withUnsafeBufferPointer { indices in
                values.withUnsafeBufferPointer { entries in
                    columnStarts.withUnsafeBufferPointer { columnStarts in
                        weight.elements.withUnsafeBufferPointer { w in
                            scratch.withUnsafeMutableBufferPointer { scratch in
                                output.withUnsafeMutableElements { out in
                                    if Scalar.self == Float.self {
                                        polynet_sparse_rows_product_f(starts.baseAddress, indices.baseAddress,
                                                                      kernelPointer(entries.baseAddress), rows, columns,
                                                                      columnStarts.baseAddress, kernelPointer(w.baseAddress), outputs,
                                                                      kernelPointer(scratch.baseAddress), kernelPointer(out.baseAddress))
                                    } else {
                                        polynet_sparse_rows_product_d(starts.baseAddress, indices.baseAddress,
                                                                      kernelPointer(entries.baseAddress), rows, columns,
                                                                      columnStarts.baseAddress, kernelPointer(w.baseAddress), outputs,
                                                                      kernelPointer(scratch.baseAddress), kernelPointer(out.baseAddress))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        activeRows = rows
        return true
    }

    /// Adds ∂loss/∂W for the last sparse forward pass (of `outputGradient.rows` rows) to
    /// `weightGradient` (out × in), from the input's nonzero entries column by column.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    mutating func addWeightGradient(of outputGradient: Matrix<Scalar>, to weightGradient: inout Matrix<Scalar>) {
        precondition(activeRows == outputGradient.rows, "A sparse weight gradient without its forward pass")
        let (rows, outputs, columns) = (outputGradient.rows, weightGradient.rows, weightGradient.columns)
        precondition(columnStarts.count == columns + 1 && outputGradient.columns == outputs, "A sparse weight gradient of another shape")
        if rowIndices.count < entryCount {
            rowIndices = [Int32](repeating: 0, count: columnIndices.count)
            columnValues = [Scalar](repeating: 0, count: columnIndices.count)
        }
        if cursors.count != columns { cursors = [Int32](repeating: 0, count: columns) }
        reserveScratch(rows: rows + columns, outputs: outputs)
        rowStarts.withUnsafeBufferPointer { starts in
            columnIndices.withUnsafeBufferPointer { indices in
                values.withUnsafeBufferPointer { entries in
                    columnStarts.withUnsafeBufferPointer { columnStarts in
                        cursors.withUnsafeMutableBufferPointer { cursors in
                            rowIndices.withUnsafeMutableBufferPointer { rowIndices in
                                columnValues.withUnsafeMutableBufferPointer { columnValues in
                                    if Scalar.self == Float.self {
                                        polynet_sparse_columns_f(starts.baseAddress, indices.baseAddress, kernelPointer(entries.baseAddress),
                                                                 rows, columns, columnStarts.baseAddress, cursors.baseAddress,
                                                                 rowIndices.baseAddress, kernelPointer(columnValues.baseAddress))
                                    } else {
                                        polynet_sparse_columns_d(starts.baseAddress, indices.baseAddress, kernelPointer(entries.baseAddress),
                                                                 rows, columns, columnStarts.baseAddress, cursors.baseAddress,
                                                                 rowIndices.baseAddress, kernelPointer(columnValues.baseAddress))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        columnStarts.withUnsafeBufferPointer { starts in
            rowIndices.withUnsafeBufferPointer { indices in
                columnValues.withUnsafeBufferPointer { entries in
                    outputGradient.elements.withUnsafeBufferPointer { g in
                        scratch.withUnsafeMutableBufferPointer { scratch in
                            weightGradient.withUnsafeMutableElements { target in
                                if Scalar.self == Float.self {
                                    polynet_sparse_columns_gradient_f(starts.baseAddress, indices.baseAddress,
                                                                      kernelPointer(entries.baseAddress), rows, columns,
                                                                      kernelPointer(g.baseAddress), outputs,
                                                                      kernelPointer(scratch.baseAddress), kernelPointer(target.baseAddress))
                                } else {
                                    polynet_sparse_columns_gradient_d(starts.baseAddress, indices.baseAddress,
                                                                      kernelPointer(entries.baseAddress), rows, columns,
                                                                      kernelPointer(g.baseAddress), outputs,
                                                                      kernelPointer(scratch.baseAddress), kernelPointer(target.baseAddress))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Grows `scratch` to hold `rows` aligned rows of `outputs` values: each rounded up to a
    /// 64-byte line, plus a line for the alignment of the first.
    private mutating func reserveScratch(rows: Int, outputs: Int) {
        let line = 64 / MemoryLayout<Scalar>.size
        let count = rows * (outputs + line) + line
        if scratch.count < count { scratch = [Scalar](repeating: 0, count: count) }
    }

    /// Forgets the last sparse forward pass (a forward pass that did not use it).
    mutating func deactivate() { activeRows = nil }
}
