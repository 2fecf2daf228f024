import Interpretability
import LinearAlgebra
import PolynomialConversion
import Testing
import TestSupport

// Tolerances: all inputs are O(1) Double matrices of size ≤ 40; backward-stable LAPACK and
// BLAS results satisfy their identities to a few hundred ε, so 1e-10 is generous yet far
// below any real error.

private func randomSymmetric(_ n: Int, seed: UInt64) -> Matrix<Double> {
    var generator = SeededGenerator(seed: seed)
    let x = Matrix<Double>.randomNormal(rows: n, columns: n, using: &generator)
    return 0.5 * (x + x.transposed())
}

@Suite("Eigen-features")
struct EigenFeaturesTests {
    @Test func eigenvectorsSatisfyQvEqualsLambdaV() throws {
        let q = randomSymmetric(12, seed: 1)
        let features = try EigenFeatures(output: 0, quadratic: q)
        #expect(features.values == features.values.sorted(by: >))
        for i in 0 ..< 12 {
            let v = features.vectors.column(i)
            expectClose(q.multiplied(by: v), v.map { $0 * features.values[i] }, absolute: 1e-10, "eigenpair \(i)")
            // Sign convention: positive entries outweigh negative ones.
            #expect(v.filter { $0 > 0 }.reduce(0, +) >= -v.filter { $0 < 0 }.reduce(0, +))
        }
    }

    @Test func selectsTheExtremeEigenvalues() throws {
        let features = try EigenFeatures(output: 3, quadratic: .diagonal([0.5, -2, 3, -1, 0]))
        #expect(features.topPositive(5).map { features.values[$0] } == [3, 0.5])
        #expect(features.topNegative(1).map { features.values[$0] } == [-2])
    }
}

@Suite("Projections and attacks")
struct AttackTests {
    @Test func projectionIsIdempotentAndOrthogonalToRemovedDirections() throws {
        var generator = SeededGenerator(seed: 2)
        let projection = try DirectionProjection.random(count: 4, dimension: 20, using: &generator)
        expectClose(projection.directions.multiplied(by: projection.directions, transposingOther: true),
                    .identity(4), absolute: 1e-12)
        let x = Matrix<Double>.randomNormal(rows: 30, columns: 20, using: &generator)
        let once = projection(x)
        expectClose(projection(once), once, absolute: 1e-10)
        expectClose(once.multiplied(by: projection.directions, transposingOther: true), Matrix(rows: 30, columns: 4),
                    absolute: 1e-10)
    }

    @Test func removingEveryDirectionOfBSilencesTheLinearTerm() throws {
        var generator = SeededGenerator(seed: 3)
        let b = Matrix<Double>.randomNormal(rows: 3, columns: 10, using: &generator)
        let attack = try SVDAttack(linearCoefficients: b)
        let x = Matrix<Double>.randomNormal(rows: 8, columns: 10, using: &generator)
        // B's row space has dimension 3: after removing 3 directions B·x' = 0.
        expectClose(attack.projection(removing: 3)(x).multiplied(by: b, transposingOther: true),
                    Matrix(rows: 8, columns: 3), absolute: 1e-10)
        #expect(attack.singularValues == attack.singularValues.sorted(by: >))
    }

    @Test func accuracyTablesAreReproducibleWithAFixedSeed() throws {
        var generator = SeededGenerator(seed: 4)
        let weight = Matrix<Double>.randomNormal(rows: 4, columns: 16, using: &generator)
        let inputs = Matrix<Double>.randomNormal(rows: 200, columns: 16, using: &generator)
        let network = { (x: Matrix<Double>) in x.multiplied(by: weight, transposingOther: true).map { max($0, 0) } }
        let labels = network(inputs).argmaxOfRows()
        let linear = { (x: Matrix<Double>) in x.multiplied(by: weight, transposingOther: true) }
        let attack = try SVDAttack(linearCoefficients: weight)
        func table(seed: UInt64) throws -> [SVDAttack.Row] {
            var g = SeededGenerator(seed: seed)
            return try attack.table(inputs: inputs, labels: labels, maximumRemoved: 4, network: network,
                                    linear: linear, quadratic: network, using: &g)
        }
        let first = try table(seed: 9)
        #expect(first == (try table(seed: 9)))
        #expect(first.count == 5)
        #expect(first[0].networkAccuracy == 1)  // labels are the network's own predictions
        // Removing all 4 directions the network reads leaves constant (zero) scores.
        #expect(first[4].networkAccuracy < 0.5)
    }

    /// The direction projects equally (and not trivially) on the target's top eigenvectors and
    /// not at all on other classes'; its sign makes the target's margin rise at the center, as
    /// a central finite difference of the explicit polynomial along the direction confirms
    /// (p is quadratic, so the central difference is exact up to rounding: 1e-9).
    @Test(arguments: [false, true])
    func eigenAttackDirectionExcitesOnlyTheTargetAndRaisesItsMargin(flippedLinearTerm: Bool) throws {
        let quadratic = (0 ..< 3).map { randomSymmetric(15, seed: UInt64(10 + $0)) }
        let features = try quadratic.enumerated().map { try EigenFeatures(output: $0.offset, quadratic: $0.element) }
        var generator = SeededGenerator(seed: 31)
        var linear = Matrix<Double>.randomNormal(rows: 3, columns: 15, using: &generator)
        if flippedLinearTerm { linear.scale(by: -1) }  // The same quadratic terms, the opposite best sign.
        let polynomial = ExplicitPolynomial(constant: [0, 0, 0], linear: linear, quadratic: quadratic)
        let center = (0 ..< 15).map { Double($0) / 15 - 0.5 }
        let attack = try EigenAttack(target: 1, features: features, topCount: 2, orientedBy: polynomial, at: center)
        expectClose([attack.direction.reduce(0) { $0 + $1 * $1 }], [1], absolute: 1e-12)
        for feature in features {
            let projections = feature.topPositive(2).map { index -> Double in
                zip(feature.vectors.column(index), attack.direction).reduce(0.0) { $0 + $1.0 * $1.1 }
            }
            if feature.output == 1 {
                #expect(projections.allSatisfy { abs($0) > 0.1 })
                expectClose([projections[0]], [projections[1]], absolute: 1e-10)
            } else {
                expectClose(projections, [0, 0], absolute: 1e-10)
            }
        }
        let step = 1e-3
        let rows = [-1.0, 1.0].map { (sign: Double) -> [Double] in
            zip(center, attack.direction).map { $0 + sign * step * $1 }
        }
        let points = Matrix(rows)
        let scores = polynomial(points)
        let slopes = (0 ..< 3).map { (scores[1, $0] - scores[0, $0]) / (2 * step) }
        let margin = slopes[1] - (slopes[0] + slopes[2]) / 2
        #expect(margin > 0)
        expectClose([margin], [attack.targetMarginSlope], absolute: 1e-9, relative: 1e-9)
    }
}
