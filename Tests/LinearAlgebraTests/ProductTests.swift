import LinearAlgebra
import Testing
import TestSupport

/// The reference: a naive triple loop in Double, independent of BLAS.
private func naiveProduct<Scalar: BLASScalar>(
    _ a: Matrix<Scalar>, _ b: Matrix<Scalar>, transposingA: Bool, transposingB: Bool
) -> Matrix<Scalar> {
    let opA = transposingA ? a.transposed() : a
    let opB = transposingB ? b.transposed() : b
    var c = Matrix<Scalar>(rows: opA.rows, columns: opB.columns)
    for i in 0 ..< opA.rows {
        for j in 0 ..< opB.columns {
            var total = 0.0
            for k in 0 ..< opA.columns { total += Double(opA[i, k]) * Double(opB[k, j]) }
            c[i, j] = Scalar(total)
        }
    }
    return c
}

private let transposeCases = [(false, false), (false, true), (true, false), (true, true)]

@Suite("Matrix products against a naive triple loop")
struct ProductTests {
    func checkProducts<Scalar: BLASScalar>(_: Scalar.Type, tolerance: Scalar) {
        var generator = SeededGenerator(seed: 7)
        let (m, k, n) = (5, 7, 3)
        for (ta, tb) in transposeCases {
            let a = Matrix<Scalar>.randomNormal(rows: ta ? k : m, columns: ta ? m : k, using: &generator)
            let b = Matrix<Scalar>.randomNormal(rows: tb ? n : k, columns: tb ? k : n, using: &generator)
            let expected = naiveProduct(a, b, transposingA: ta, transposingB: tb)
            expectClose(a.multiplied(by: b, transposingSelf: ta, transposingOther: tb), expected,
                        absolute: tolerance, "transposes \(ta), \(tb)")
        }
    }

    // Entries are sums of 7 products of N(0,1) values (|sum| ≲ 10): the rounding error of a
    // k-term dot product is ≲ k·ε·Σ|aᵢbᵢ|, about 7·6e-8·10 ≈ 4e-6 in Float and 1e-14 in Double.
    @Test func floatProductsAllTransposes() { checkProducts(Float.self, tolerance: 2e-5) }
    @Test func doubleProductsAllTransposes() { checkProducts(Double.self, tolerance: 1e-12) }

    @Test func accumulatesAlphaABPlusBetaC() {
        var generator = SeededGenerator(seed: 3)
        let a = Matrix<Double>.randomNormal(rows: 4, columns: 6, using: &generator)
        let b = Matrix<Double>.randomNormal(rows: 6, columns: 5, using: &generator)
        let c0 = Matrix<Double>.randomNormal(rows: 4, columns: 5, using: &generator)
        var c = c0
        c.setProduct(a, b, alpha: 2, beta: -0.5)
        let expected = 2 * naiveProduct(a, b, transposingA: false, transposingB: false) + (-0.5 * c0)
        expectClose(c, expected, absolute: 1e-12)
    }

    @Test func matrixVectorProductsMatchMatrixProducts() {
        var generator = SeededGenerator(seed: 5)
        let a = Matrix<Double>.randomNormal(rows: 4, columns: 3, using: &generator)
        let x = [0.5, -1.0, 2.0]
        let y = [1.0, 0.0, -2.0, 3.0]
        let column = Matrix(rows: 3, columns: 1, elements: x)
        expectClose(a.multiplied(by: x), Array(naiveProduct(a, column, transposingA: false, transposingB: false).elements),
                    absolute: 1e-12)
        let yColumn = Matrix(rows: 4, columns: 1, elements: y)
        expectClose(a.multiplied(by: y, transposingSelf: true),
                    Array(naiveProduct(a, yColumn, transposingA: true, transposingB: false).elements), absolute: 1e-12)
    }

    // Gram entries are sums of 9 products of N(0,1) values; same rounding bounds as above.
    @Test(arguments: [false, true])
    func gramMatrixMatchesNaiveProductAndIsExactlySymmetric(transposing: Bool) {
        var generator = SeededGenerator(seed: 11)
        let a = Matrix<Double>.randomNormal(rows: transposing ? 9 : 6, columns: transposing ? 6 : 9,
                                            using: &generator)
        let c0 = Matrix<Double>.randomNormal(rows: 6, columns: 6, using: &generator)
        let symmetricC0 = 0.5 * (c0 + c0.transposed())
        var gram = symmetricC0
        gram.setGram(of: a, transposingA: transposing, alpha: 2, beta: -0.5)
        let expected = 2 * naiveProduct(a, a, transposingA: transposing, transposingB: !transposing)
            + (-0.5 * symmetricC0)
        expectClose(gram, expected, absolute: 1e-12, "transposing \(transposing)")
        #expect(gram == gram.transposed())

        var floatGram = Matrix<Float>(rows: 0, columns: 0)
        let floatA = a.converted(to: Float.self)
        floatGram.setGram(of: floatA, transposingA: transposing)
        expectClose(floatGram, naiveProduct(floatA, floatA, transposingA: transposing, transposingB: !transposing),
                    absolute: 2e-5)
    }

    @Test func gramOfEmptyInnerDimensionScalesByBeta() {
        var gram = Matrix<Double>.identity(3)
        gram.setGram(of: Matrix<Double>(rows: 3, columns: 0), alpha: 1, beta: 2)
        #expect(gram == 2 * Matrix<Double>.identity(3))
    }

    @Test func emptyInnerDimensionGivesZeros() {
        let a = Matrix<Float>(rows: 3, columns: 0)
        let b = Matrix<Float>(rows: 0, columns: 2)
        #expect(a.multiplied(by: b) == Matrix<Float>(rows: 3, columns: 2))
    }
}
