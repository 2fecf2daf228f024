import LinearAlgebra
import Testing
import TestSupport

@Suite("Elementwise arithmetic, broadcasting, reductions, slicing")
struct ElementwiseTests {
    let a = Matrix<Double>([[1, 2, 3], [4, 5, 6]])

    @Test func arithmeticIsElementwise() {
        let b = Matrix<Double>([[6, 5, 4], [3, 2, 1]])
        #expect((a + b) == Matrix(rows: 2, columns: 3, repeating: 7))
        #expect((a * b) == Matrix([[6, 10, 12], [12, 10, 6]]))
        #expect((a - b) == Matrix([[-5, -3, -1], [1, 3, 5]]))
        #expect((2 * a) == Matrix([[2, 4, 6], [8, 10, 12]]))
    }

    @Test func broadcastsARowVector() {
        var shifted = a
        shifted.addToEachRow([10, 20, 30])
        #expect(shifted == Matrix([[11, 22, 33], [14, 25, 36]]))
        var scaled = a
        scaled.multiplyEachRow(by: [1, 0, -1])
        #expect(scaled == Matrix([[1, 0, -3], [4, 0, -6]]))
    }

    @Test func reducesOverEitherAxis() {
        #expect(a.sum(over: .rows) == [5, 7, 9])
        #expect(a.sum(over: .columns) == [6, 15])
        #expect(a.mean(over: .rows) == [2.5, 3.5, 4.5])
        #expect(a.sum() == 21)
        #expect(Matrix<Double>([[1, 9, 3], [7, 2, 2]]).argmaxOfRows() == [1, 0])
    }

    @Test func transposesAndSlices() {
        #expect(a.transposed() == Matrix([[1, 4], [2, 5], [3, 6]]))
        #expect(a.rows(1 ..< 2) == Matrix([[4, 5, 6]]))
        #expect(a.rows(at: [1, 0, 1]) == Matrix([[4, 5, 6], [1, 2, 3], [4, 5, 6]]))
        var generator = SeededGenerator(seed: 1)
        let big = Matrix<Float>.randomNormal(rows: 70, columns: 45, using: &generator)
        #expect(big.transposed().transposed() == big)
        #expect(big.transposed()[44, 69] == big[69, 44])
    }

    @Test func detectsNonFiniteValues() {
        #expect(a.isFinite)
        var bad = a
        bad[1, 2] = .nan
        #expect(!bad.isFinite)
        bad[1, 2] = .infinity
        #expect(!bad.isFinite)
    }
}
