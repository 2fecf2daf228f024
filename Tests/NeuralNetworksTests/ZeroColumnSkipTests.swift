import LinearAlgebra
import Testing
import TestSupport
@testable import NeuralNetworks

/// A dense layer leaving out the input columns that are zero in every row of a training batch.
struct ZeroColumnSkipTests {
    /// `rows` × `columns` values in [−1, 1] with the columns `zero` set to 0 in every row
    /// (−0 in odd rows: a zero of either sign is left out).
    static func input<Scalar: BLASScalar>(rows: Int, columns: Int, zero: Set<Int>, seed: UInt64) -> Matrix<Scalar> {
        var generator = SeededGenerator(seed: seed)
        var x = Matrix<Scalar>.randomUniform(rows: rows, columns: columns, in: -1 ... 1, using: &generator)
        for row in 0 ..< rows {
            for column in zero { x[row, column] = row % 2 == 0 ? 0 : -0.0 }
        }
        return x
    }

    /// Zero columns at the start, in the middle (two runs) and at the end: the gradients
    /// against central differences in Double.
    @Test func gradientsMatchCentralDifferences() {
        var generator = SeededGenerator(seed: 31)
        let dense = Dense<Double>(inputWidth: 16, outputWidth: 3, using: &generator)
        let x: Matrix<Double> = Self.input(rows: 5, columns: 16, zero: [0, 1, 6, 9, 10, 15], seed: 32)
        var probe = dense
        var output = Matrix<Double>(rows: 0, columns: 0)
        probe.forward(x, into: &output, training: true)
        #expect(probe.zeroColumns.activeRows == 5, "the reduced products ran")
        expectGradientsMatchFiniteDifferences(dense, input: x)
    }

    /// The reduced products against the full ones in Float, twice in a row into the same
    /// gradient buffers (tolerances: `expectTrainingProductsMatchTheFullOnes`), with a NaN-free
    /// input whose zero columns are an eighth (the least that reduces) and one with fewer (which
    /// does not). The left-out columns' gradient receives nothing on either side but the full
    /// side's exact zeros: it stays 0.
    @Test(arguments: [(Set([3, 8, 13, 20, 31]), true), (Set([3, 8, 13, 20]), false)])
    func reducedProductsAgreeWithTheFullOnes(zero: Set<Int>, reduces: Bool) {
        let (rows, n, outputs) = (7, 40, 6)
        var generator = SeededGenerator(seed: 33)
        let dense = Dense<Float>(inputWidth: n, outputWidth: outputs, using: &generator)
        let x: Matrix<Float> = Self.input(rows: rows, columns: n, zero: zero, seed: 34)
        let d = Matrix<Float>.randomUniform(rows: rows, columns: outputs, in: -1 ... 1, using: &generator)
        expectTrainingProductsMatchTheFullOnes(dense, input: x, outputGradient: d,
                                               usesReducedProducts: { $0.zeroColumns.activeRows != nil }, reduces: reduces) { reduced, _ in
            for column in zero {
                #expect((0 ..< outputs).allSatisfy { reduced.weightGradient[$0, column] == 0 }, "column \(column)")
            }
        }
    }

    /// A NaN keeps its column, so it reaches the output as the full product would carry it.
    @Test func aNaNColumnIsKept() {
        var generator = SeededGenerator(seed: 35)
        var dense = Dense<Float>(inputWidth: 16, outputWidth: 2, using: &generator)
        var x: Matrix<Float> = Self.input(rows: 3, columns: 16, zero: [0, 1, 2, 3, 4], seed: 36)
        x[1, 2] = .nan
        var output = Matrix<Float>(rows: 0, columns: 0)
        dense.forward(x, into: &output, training: true)
        #expect(dense.zeroColumns.activeRows == 3)
        #expect(output[1, 0].isNaN && output[1, 1].isNaN && !output[0, 0].isNaN)
    }
}
