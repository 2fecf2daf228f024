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
    /// Bounds on |BLAS − reference| for op(A)·op(B) with inner length k (TestSupport/ErrorBounds):
    /// BLAS in `Scalar` errs by at most γ_k(Scalar)·|op(A)||op(B)| in any summation order; the
    /// Double reference by γ_k(Double)·|op(A)||op(B)|, plus one rounding to `Scalar`
    /// (u·|AB| ≤ u·|op(A)||op(B)|) unless `Scalar` is Double.
    func productBound<Scalar: BLASScalar>(_ magnitude: Matrix<Double>, innerLength k: Int, _: Scalar.Type) -> Matrix<Double> {
        let conversion = Scalar.self == Double.self ? 0 : unitRoundoff(Scalar.self)
        return magnitude.map { (gamma(k, Scalar.self) + gamma(k, Double.self) + conversion) * $0 }
    }

    @Test(arguments: [false, true])
    func productsAllTransposes(inFloat: Bool) {
        if inFloat { checkProducts(Float.self) } else { checkProducts(Double.self) }
    }

    func checkProducts<Scalar: BLASScalar>(_: Scalar.Type) {
        var generator = SeededGenerator(seed: 7)
        let (m, k, n) = (5, 7, 3)
        for (ta, tb) in transposeCases {
            let a = Matrix<Scalar>.randomNormal(rows: ta ? k : m, columns: ta ? m : k, using: &generator)
            let b = Matrix<Scalar>.randomNormal(rows: tb ? n : k, columns: tb ? k : n, using: &generator)
            let expected = naiveProduct(a, b, transposingA: ta, transposingB: tb)
            let bound = productBound(magnitudeProduct(a, b, transposingA: ta, transposingB: tb), innerLength: k, Scalar.self)
            expectClose(a.multiplied(by: b, transposingSelf: ta, transposingOther: tb), expected,
                        within: bound, "transposes \(ta), \(tb)")
        }
    }

    @Test func accumulatesAlphaABPlusBetaC() {
        var generator = SeededGenerator(seed: 3)
        let a = Matrix<Double>.randomNormal(rows: 4, columns: 6, using: &generator)
        let b = Matrix<Double>.randomNormal(rows: 6, columns: 5, using: &generator)
        let c0 = Matrix<Double>.randomNormal(rows: 4, columns: 5, using: &generator)
        var c = c0
        c.setProduct(a, b, alpha: 2, beta: -0.5)
        let expected = 2 * naiveProduct(a, b, transposingA: false, transposingB: false) + (-0.5 * c0)
        // Scaling by 2 and −0.5 is exact; each side is a 6-term dot product plus one addition,
        // so each errs by at most γ₇·(2|A||B| + 0.5|C₀|).
        let magnitude = 2 * magnitudeProduct(a, b) + 0.5 * c0.map { abs($0) }
        expectClose(c, expected, within: magnitude.map { 2 * gamma(7, Double.self) * $0 })
    }

    @Test func matrixVectorProductsMatchMatrixProducts() {
        var generator = SeededGenerator(seed: 5)
        let a = Matrix<Double>.randomNormal(rows: 4, columns: 3, using: &generator)
        let x = [0.5, -1.0, 2.0]
        let y = [1.0, 0.0, -2.0, 3.0]
        let column = Matrix(rows: 3, columns: 1, elements: x)
        // gemv and the naive loop each err by at most γ_k·|A||x| (k = 3, then 4).
        expectClose(a.multiplied(by: x), Array(naiveProduct(a, column, transposingA: false, transposingB: false).elements),
                    within: magnitudeProduct(a, column).elements.map { 2 * gamma(3, Double.self) * $0 })
        let yColumn = Matrix(rows: 4, columns: 1, elements: y)
        expectClose(a.multiplied(by: y, transposingSelf: true),
                    Array(naiveProduct(a, yColumn, transposingA: true, transposingB: false).elements),
                    within: magnitudeProduct(a, yColumn, transposingA: true).elements.map { 2 * gamma(4, Double.self) * $0 })
    }

    // Gram entries are 9-term dot products: bounds as for products (γ₁₀ with the β·C₀ addition;
    // scaling by 2 and −0.5 is exact). The upper triangle is mirrored from the lower one, so
    // exact symmetry is a property of our code, not of BLAS rounding.
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
        let magnitude = 2 * magnitudeProduct(a, a, transposingA: transposing, transposingB: !transposing)
            + 0.5 * symmetricC0.map { abs($0) }
        expectClose(gram, expected, within: magnitude.map { 2 * gamma(10, Double.self) * $0 }, "transposing \(transposing)")
        #expect(gram == gram.transposed())

        var floatGram = Matrix<Float>(rows: 0, columns: 0)
        let floatA = a.converted(to: Float.self)
        floatGram.setGram(of: floatA, transposingA: transposing)
        expectClose(floatGram, naiveProduct(floatA, floatA, transposingA: transposing, transposingB: !transposing),
                    within: productBound(magnitudeProduct(floatA, floatA, transposingA: transposing, transposingB: !transposing),
                                         innerLength: 9, Float.self))
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
