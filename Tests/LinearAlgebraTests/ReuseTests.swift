import LinearAlgebra
import Testing

struct ReuseTests {
    @Test func ensureShapeKeepsAFittingBuffer() {
        var matrix = Matrix<Float>(rows: 2, columns: 3, repeating: 5)
        matrix.ensureShape(rows: 2, columns: 3)
        #expect(matrix.elements == ContiguousArray(repeating: 5, count: 6))
        matrix.ensureShape(rows: 3, columns: 1)
        #expect(matrix.rows == 3 && matrix.columns == 1 && matrix.elements.count == 3)
    }

    @Test func setZeroClearsEveryElement() {
        var matrix = Matrix<Double>([[1, -2], [.nan, .infinity]])
        matrix.setZero()
        #expect(matrix == Matrix(rows: 2, columns: 2))
    }

    /// Writing through `withUnsafeMutableElements` must not move a uniquely held buffer
    /// (no copy) and must still copy when the buffer is shared (value semantics).
    @Test func mutableElementsWriteInPlaceAndKeepValueSemantics() {
        var matrix = Matrix<Float>(rows: 64, columns: 64, repeating: 1)
        let before = matrix.elements.withUnsafeBufferPointer { $0.baseAddress }
        matrix.withUnsafeMutableElements { $0[0] = 2 }
        #expect(matrix.elements.withUnsafeBufferPointer { $0.baseAddress } == before)
        let copy = matrix
        matrix.withUnsafeMutableElements { $0[1] = 3 }
        #expect(copy[0, 1] == 1 && matrix[0, 1] == 3 && matrix[0, 0] == 2)
    }
}
