import CKernels
import LinearAlgebra

/// A dense layer's training-time workspace for inputs with zero columns: the input and the
/// weight restricted to the columns that are not zero in every row of the batch.
///
/// A column that is zero in every row adds nothing to x·Wᵀ, and its weight gradient, a sum of
/// the column's entries times the output gradient, is zero: the products can leave it out.
/// Image data has many such columns: a random batch of MNIST digits (784 pixels) has 257 of them
/// on average at 128 rows, 226 at 256 and 173 at 1024 (the border pixels nobody wrote in). The
/// results change only by the order in which the products' sums are rounded. Measured on an
/// AMD EPYC (Zen 4), one thread, fastest of 3 epochs, medians of 3 runs alternating with the
/// previous build: the ReLU MLP 784→128→128→10 at batch 128 trained at 158k → 186k samples/s,
/// at 1024 at 177k → 204k; 784→128 Hermite(3)→10 at batch 256 at 205k → 249k.
struct ZeroColumnSkip<Scalar: BLASScalar>: Sendable {
    /// The kept input columns as runs of adjacent columns: (first column, length) pairs.
    private var runs = [Int]()
    private var runCount = 0
    private var nonzero = [UInt8]()
    /// The rows × kept input and the out × kept weight of the last reduced forward pass.
    private(set) var input = Matrix<Scalar>(rows: 0, columns: 0)
    private(set) var weight = Matrix<Scalar>(rows: 0, columns: 0)
    /// The out × kept weight gradient before it is added into the full one.
    private var gradient = Matrix<Scalar>(rows: 0, columns: 0)
    /// Whether the last forward pass used the reduced input (and for how many rows).
    private(set) var activeRows: Int?

    /// Restricts `input` and `weight` (out × in, applied as x·Wᵀ) to the columns of `input`
    /// that are not zero in every row, when at least an eighth of them are; returns whether it
    /// did. A NaN is not zero. The eighth is a threshold chosen, not tuned: with fewer zero
    /// columns the copies of the input and the weight take a larger part of what the shorter
    /// products save.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    mutating func reduce(_ input: Matrix<Scalar>, weight: Matrix<Scalar>) -> Bool {
        activeRows = nil
        let (rows, columns) = (input.rows, input.columns)
        guard rows > 0, columns >= 8 else { return false }
        if nonzero.count != columns {
            nonzero = [UInt8](repeating: 0, count: columns)
            runs = [Int](repeating: 0, count: columns + 1)
        }
        var keptCount = 0
        runCount = input.elements.withUnsafeBufferPointer { x in
            nonzero.withUnsafeMutableBufferPointer { flags in
                runs.withUnsafeMutableBufferPointer { pairs in
                    Scalar.self == Float.self
                        ? polynet_nonzero_column_runs_f(kernelPointer(x.baseAddress), rows, columns, flags.baseAddress,
                                                        pairs.baseAddress, &keptCount)
                        : polynet_nonzero_column_runs_d(kernelPointer(x.baseAddress), rows, columns, flags.baseAddress,
                                                        pairs.baseAddress, &keptCount)
                }
            }
        }
        guard (columns - keptCount) * 8 >= columns else { return false }
        Self.gatherColumns(input, runs: runs, runCount: runCount, kept: keptCount, into: &self.input)
        Self.gatherColumns(weight, runs: runs, runCount: runCount, kept: keptCount, into: &self.weight)
        activeRows = rows
        return true
    }

    /// Adds ∂loss/∂W for the reduced forward pass of `outputGradient.rows` rows to
    /// `weightGradient` (out × in): the product over the kept columns, added into them.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    mutating func addWeightGradient(of outputGradient: Matrix<Scalar>, to weightGradient: inout Matrix<Scalar>) {
        precondition(activeRows == outputGradient.rows, "A reduced weight gradient without its forward pass")
        let (outputs, columns, keptCount) = (weightGradient.rows, weightGradient.columns, input.columns)
        gradient.reshapeInPlace(rows: outputs, columns: keptCount)
        gradient.setProduct(outputGradient, input, transposingA: true)
        gradient.elements.withUnsafeBufferPointer { source in
            runs.withUnsafeBufferPointer { pairs in
                weightGradient.withUnsafeMutableElements { target in
                    if Scalar.self == Float.self {
                        polynet_scatter_add_column_runs_f(kernelPointer(source.baseAddress), outputs, keptCount, pairs.baseAddress,
                                                          runCount, columns, kernelPointer(target.baseAddress))
                    } else {
                        polynet_scatter_add_column_runs_d(kernelPointer(source.baseAddress), outputs, keptCount, pairs.baseAddress,
                                                          runCount, columns, kernelPointer(target.baseAddress))
                    }
                }
            }
        }
    }

    /// Forgets the last reduction (a forward pass that did not reduce).
    mutating func deactivate() { activeRows = nil }

    /// `target` = the columns of the first `runCount` runs of `matrix`, `kept` in all.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private static func gatherColumns(_ matrix: Matrix<Scalar>, runs: [Int], runCount: Int, kept: Int,
                                      into target: inout Matrix<Scalar>) {
        let (rows, columns) = (matrix.rows, matrix.columns)
        target.reshapeInPlace(rows: rows, columns: kept)
        matrix.elements.withUnsafeBufferPointer { source in
            runs.withUnsafeBufferPointer { pairs in
                target.withUnsafeMutableElements { out in
                    if Scalar.self == Float.self {
                        polynet_gather_column_runs_f(kernelPointer(source.baseAddress), rows, columns, pairs.baseAddress, runCount, kept,
                                                     kernelPointer(out.baseAddress))
                    } else {
                        polynet_gather_column_runs_d(kernelPointer(source.baseAddress), rows, columns, pairs.baseAddress, runCount, kept,
                                                     kernelPointer(out.baseAddress))
                    }
                }
            }
        }
    }
}
