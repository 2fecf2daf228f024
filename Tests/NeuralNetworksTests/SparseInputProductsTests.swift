import LinearAlgebra
import Testing
import TestSupport
@testable import NeuralNetworks

/// A dense layer computing its training products from the nonzero entries of a sparse input.
struct SparseInputProductsTests {
    /// `rows` × `columns` values in [−1, 1] of which exactly `nonzero` are not zero, at places
    /// drawn by `seed`; the others are 0 or −0 (either sign is left out).
    static func input<Scalar: BLASScalar>(rows: Int, columns: Int, nonzero: Int, seed: UInt64) -> Matrix<Scalar> {
        var generator = SeededGenerator(seed: seed)
        var x = Matrix<Scalar>.randomUniform(rows: rows, columns: columns, in: -1 ... 1, using: &generator)
        var places = Array(0 ..< rows * columns)
        places.shuffle(using: &generator)
        for place in places.dropFirst(nonzero) { x.elements[place] = place % 2 == 0 ? 0 : -0.0 }
        for place in places.prefix(nonzero) where x.elements[place] == 0 { x.elements[place] = 0.5 }
        return x
    }

    /// The gradients against central differences in Double, through the sparse products.
    @Test func gradientsMatchCentralDifferences() {
        var generator = SeededGenerator(seed: 41)
        let dense = Dense<Double>(inputWidth: 12, outputWidth: SparseInputProducts<Double>.minimumOutputs, using: &generator)
        let x: Matrix<Double> = Self.input(rows: 4, columns: 12, nonzero: 10, seed: 42)
        var probe = dense
        var output = Matrix<Double>(rows: 0, columns: 0)
        probe.forward(x, into: &output, training: true)
        #expect(probe.sparseInput.activeRows == 4, "the sparse products ran")
        expectGradientsMatchFiniteDifferences(dense, input: x)
    }

    /// The sparse products against OpenBLAS's dense ones in Float, twice in a row into the same
    /// gradient buffers (tolerances: `expectTrainingProductsMatchTheFullOnes`). Output widths 64,
    /// 100 (a block and a part) and 200 (every block width). A quarter of the entries nonzero is
    /// the most that uses the sparse products; one more does not, and neither do 63 outputs.
    @Test(arguments: [(64, 0, true), (100, 0, true), (200, 0, true), (64, 1, false), (63, 0, false)])
    func sparseProductsAgreeWithTheDenseOnes(outputs: Int, extra: Int, sparse: Bool) {
        let (rows, n) = (9, 40)
        var generator = SeededGenerator(seed: 43)
        let dense = Dense<Float>(inputWidth: n, outputWidth: outputs, using: &generator)
        let x: Matrix<Float> = Self.input(rows: rows, columns: n, nonzero: rows * n / 4 + extra, seed: 44)
        let d = Matrix<Float>.randomUniform(rows: rows, columns: outputs, in: -1 ... 1, using: &generator)
        expectTrainingProductsMatchTheFullOnes(dense, input: x, outputGradient: d,
                                               usesReducedProducts: { $0.sparseInput.activeRows != nil }, reduces: sparse)
    }

    /// A NaN is not zero: it reaches its row's outputs as the dense product would carry it.
    @Test func aNaNIsKept() {
        var generator = SeededGenerator(seed: 45)
        var dense = Dense<Float>(inputWidth: 16, outputWidth: 64, using: &generator)
        var x: Matrix<Float> = Self.input(rows: 3, columns: 16, nonzero: 6, seed: 46)
        x[1, 5] = .nan
        var output = Matrix<Float>(rows: 0, columns: 0)
        dense.forward(x, into: &output, training: true)
        #expect(dense.sparseInput.activeRows == 3)
        #expect((0 ..< 64).allSatisfy { output[1, $0].isNaN } && (0 ..< 64).allSatisfy { !output[0, $0].isNaN && !output[2, $0].isNaN })
    }

    /// Evaluation (training: false) keeps the dense product, and a later dense pass forgets the
    /// sparse one, so that its backward pass uses the dense weight gradient.
    @Test func evaluationAndDenseBatchesDeactivateIt() {
        var generator = SeededGenerator(seed: 47)
        var dense = Dense<Float>(inputWidth: 16, outputWidth: 64, using: &generator)
        let sparse: Matrix<Float> = Self.input(rows: 4, columns: 16, nonzero: 8, seed: 48)
        let full: Matrix<Float> = Self.input(rows: 4, columns: 16, nonzero: 64, seed: 49)
        var output = Matrix<Float>(rows: 0, columns: 0)
        dense.forward(sparse, into: &output, training: true)
        #expect(dense.sparseInput.activeRows == 4)
        dense.forward(sparse, into: &output, training: false)
        #expect(dense.sparseInput.activeRows == nil)
        dense.forward(sparse, into: &output, training: true)
        dense.forward(full, into: &output, training: true)
        #expect(dense.sparseInput.activeRows == nil)
    }
}
