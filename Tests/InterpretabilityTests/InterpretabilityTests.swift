import Interpretability
import LinearAlgebra
import PolynomialConversion
import Testing
import TestSupport

// Tolerances: each identity is checked within the residual LAPACK's own test suite accepts
// (threshold·n·ε·‖A‖₁: 60 for the symmetric eigenproblem, 50 for the SVD, 30 for least
// squares; TestSupport/ErrorBounds.swift) plus the rounding of the products the check itself
// forms (γ_k times the magnitude product), so they hold on any machine with any correct BLAS
// and LAPACK.

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
        // Q − VΛVᵀ = R with ‖R‖₁ < 60·n·ε·‖Q‖₁ (R is symmetric, so ‖R‖₂ ≤ ‖R‖₁) and
        // ‖VᵀV − I‖₁ < 60·n·ε, so Qvᵢ − λᵢvᵢ = Rvᵢ + VΛ(Vᵀvᵢ − eᵢ) has norm at most
        // 2·60·n·ε·‖Q‖₁ (|λ| ≤ ‖Q‖₂ ≤ ‖Q‖₁); forming Qv adds γ₁₂·|Q||v| and λv one rounding.
        let lapack = 2 * lapackResidualBound(.symmetricEigenproblem, order: 12, norm: oneNorm(q), Double.self)
        for i in 0 ..< 12 {
            let v = features.vectors.column(i)
            let column = Matrix(rows: 12, columns: 1, elements: v)
            let bounds = zip(magnitudeProduct(q, column).elements, v).map { magnitude, entry in
                lapack + gamma(12, Double.self) * magnitude + unitRoundoff(Double.self) * abs(entry * features.values[i])
            }
            expectClose(q.multiplied(by: v), v.map { $0 * features.values[i] }, within: bounds, "eigenpair \(i)")
            // Sign convention: positive entries outweigh negative ones.
            #expect(v.filter { $0 > 0 }.reduce(0, +) >= -v.filter { $0 < 0 }.reduce(0, +))
        }
    }

    @Test func selectsTheExtremeEigenvalues() throws {
        let features = try EigenFeatures(output: 3, quadratic: .diagonal([0.5, -2, 3, -1, 0]))
        // Computed eigenvalues are within 60·n·ε·‖Q‖₁ of the exact ones (Weyl); the zero one
        // may come out as ±that, so it may or may not be counted, but nothing else may.
        let bound = lapackResidualBound(.symmetricEigenproblem, order: 5, norm: 3, Double.self)
        let positive = features.topPositive(5).map { features.values[$0] }
        expectClose(Array(positive.prefix(2)), [3, 0.5], absolute: bound)
        #expect(positive.count <= 3 && positive.dropFirst(2).allSatisfy { abs($0) <= bound })
        expectClose(features.topNegative(1).map { features.values[$0] }, [-2], absolute: bound)
        let negative = features.topNegative(5).map { features.values[$0] }
        expectClose(Array(negative.prefix(2)), [-2, -1], absolute: bound)
        #expect(negative.count <= 3 && negative.dropFirst(2).allSatisfy { abs($0) <= bound })
    }
}

@Suite("Projections and attacks")
struct AttackTests {
    @Test func projectionIsIdempotentAndOrthogonalToRemovedDirections() throws {
        var generator = SeededGenerator(seed: 2)
        let projection = try DirectionProjection.random(count: 4, dimension: 20, using: &generator)
        let d = projection.directions
        // The directions are an SVD's Vᵀ: ‖DDᵀ − I‖₁ < φ = 50·20·ε (svd.in), plus γ₂₀ to form it.
        let phi = lapackResidualBound(.singularValues, order: 20, norm: 1, Double.self)
        expectClose(d.multiplied(by: d, transposingOther: true), .identity(4), absolute: phi + gamma(20, Double.self))
        let x = Matrix<Double>.randomNormal(rows: 30, columns: 20, using: &generator)
        let once = projection(x)
        // P(x) = x(I − DᵀD) in exact arithmetic, F = DDᵀ − I. Forming P(y) rounds by at most
        // ρ(y) = 2γ₂₁·(|y| + |y||D|ᵀ|D|) (yDᵀ, then y − (yDᵀ)D), so once = P(x) + Δ, |Δ| ≤ ρ(x).
        // Then P(once) − once = x·DᵀFD − Δ·DᵀD, at most ‖xᵢ‖(1 + φ)φ + (ρ(x)|D|ᵀ|D|)ᵢⱼ, plus
        // ρ(once) for forming it; once·Dᵀ = −x·DᵀF + Δ·Dᵀ, at most ‖xᵢ‖(1 + φ)φ + (ρ(x)|D|ᵀ)ᵢₖ,
        // plus γ₂₀·|once||D|ᵀ for the product.
        let absoluteD = d.map { abs($0) }
        func rounding(_ y: Matrix<Double>) -> Matrix<Double> {
            (y.map { abs($0) } + magnitudeProduct(magnitudeProduct(y, d, transposingB: true), absoluteD))
                .map { 2 * gamma(21, Double.self) * $0 }
        }
        let xNorms = (0 ..< 30).map { i in x.row(i).reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let roundingOfOnce = rounding(x)
        var idempotence = rounding(once) + magnitudeProduct(magnitudeProduct(roundingOfOnce, absoluteD, transposingB: true), absoluteD)
        for i in 0 ..< 30 { for j in 0 ..< 20 { idempotence[i, j] += xNorms[i] * (1 + phi) * phi } }
        expectClose(projection(once), once, within: idempotence)
        var orthogonality = magnitudeProduct(roundingOfOnce, absoluteD, transposingB: true)
            + magnitudeProduct(once, d, transposingB: true).map { gamma(20, Double.self) * $0 }
        for i in 0 ..< 30 { for k in 0 ..< 4 { orthogonality[i, k] += xNorms[i] * (1 + phi) * phi } }
        expectClose(once.multiplied(by: d, transposingOther: true), Matrix(rows: 30, columns: 4), within: orthogonality)
    }

    @Test func removingEveryDirectionOfBSilencesTheLinearTerm() throws {
        var generator = SeededGenerator(seed: 3)
        let b = Matrix<Double>.randomNormal(rows: 3, columns: 10, using: &generator)
        let attack = try SVDAttack(linearCoefficients: b)
        let x = Matrix<Double>.randomNormal(rows: 8, columns: 10, using: &generator)
        // B's row space has dimension 3: after removing 3 directions B·x' = 0. The SVD gives
        // B = UΣD + E with ‖E‖₁ < 50·10·ε·‖B‖₁ (svd.in), so ‖E‖₂ ≤ √10·‖E‖₁ =: e (3 × 10), and
        // ‖DDᵀ − I‖₁ < φ = 50·10·ε. With P = I − DᵀD: B·P = −UΣ·F·D + E·P, so each entry of row
        // i is at most ‖xᵢ‖·((‖B‖_F + e)(1 + φ)²φ + e(2 + φ)) (σ₁ ≤ ‖B‖₂ + e, ‖U‖₂, ‖D‖₂ ≤ 1 + φ,
        // ‖P‖₂ ≤ 2 + φ), plus B times the rounding of P(x), 2γ₁₁(|x| + |x||D|ᵀ|D|), and γ₁₀ for
        // the product itself.
        let phi = lapackResidualBound(.singularValues, order: 10, norm: 1, Double.self)
        let e = 10.0.squareRoot() * lapackResidualBound(.singularValues, order: 10, norm: oneNorm(b), Double.self)
        let residual = (b.frobeniusNorm() + e) * (1 + phi) * (1 + phi) * phi + e * (2 + phi)
        let d = attack.directions.rows(0 ..< 3)
        let projected = attack.projection(removing: 3)(x)
        let roundingOfProjection = (x.map { abs($0) } + magnitudeProduct(magnitudeProduct(x, d, transposingB: true), d.map { abs($0) }))
            .map { 2 * gamma(11, Double.self) * $0 }
        var bound = magnitudeProduct(roundingOfProjection, b, transposingB: true)
            + magnitudeProduct(projected, b, transposingB: true).map { gamma(10, Double.self) * $0 }
        for i in 0 ..< 8 {
            let norm = x.row(i).reduce(0) { $0 + $1 * $1 }.squareRoot()
            for k in 0 ..< 3 { bound[i, k] += norm * residual }
        }
        expectClose(projected.multiplied(by: b, transposingOther: true), Matrix(rows: 8, columns: 3), within: bound)
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
    /// (p is quadratic, so the central difference is exact up to rounding).
    ///
    /// Rounding (u = 2⁻⁵³, d = 15): the direction is x/‖x‖ with x the minimum-norm solution of
    /// A·x = g (A: the 6 eigenvectors as rows, g: 1 for the target's, 0 otherwise), whose
    /// residual LAPACK accepts below 30·15·ε·‖A‖₁·‖x‖₁ ≤ 30·15·ε·‖A‖₁·√15·‖x‖₂ (dtest.in);
    /// so each projection ⟨vᵢ, x/‖x‖⟩ is gᵢ/‖x‖ within r = 30·15·ε·‖A‖₁·√15, plus γ₁₇ of
    /// itself for the normalization and γ₁₅ (unit vectors) for the test's dot product. The
    /// squared norm is 1 within 2γ₁₇ + γ₁₅. The difference quotient: each score p(x±) is
    /// within γ₃₂·(|c| + |L||x±| + |x±|ᵀ|Q||x±|) (xQ, then the dot with x, L·x, the sums), and
    /// the rounded points x± = center ± h·δ + e± (|e±| ≤ u(|center| + h|δ|)) shift the quotient
    /// by at most |∇p|·|e₊ − e₋|/(2h); the margin weighs three slopes by 1, ½, ½.
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
        let u = unitRoundoff(Double.self)
        expectClose([attack.direction.reduce(0) { $0 + $1 * $1 }], [1],
                    absolute: 2 * gamma(17, Double.self) + gamma(15, Double.self))
        let stacked = Matrix(features.flatMap { feature in feature.topPositive(2).map { feature.vectors.column($0) } })
        let solverResidual = lapackResidualBound(.linearEquations, order: 15, norm: oneNorm(stacked), Double.self) * 15.0.squareRoot()
        for feature in features {
            let projections = feature.topPositive(2).map { index -> Double in
                zip(feature.vectors.column(index), attack.direction).reduce(0.0) { $0 + $1.0 * $1.1 }
            }
            let bounds = projections.map { solverResidual + gamma(17, Double.self) * abs($0) + gamma(15, Double.self) }
            if feature.output == 1 {
                #expect(projections.allSatisfy { abs($0) > 0.1 })
                expectClose([projections[0]], [projections[1]], absolute: bounds[0] + bounds[1])
            } else {
                expectClose(projections, [0, 0], within: bounds)
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
        // Per output: the scores' rounding over 2h, and |∇p(center)|·|e₊ − e₋|/(2h) with
        // |∇p| ≤ |L| + 2|Q||x| at the larger point.
        let slopeBounds = (0 ..< 3).map { o -> Double in
            let scoreRounding = (0 ..< 2).reduce(0.0) { sum, r in
                let x = points.row(r)
                let quadraticTerm = (0 ..< 15).reduce(0.0) { total, i in
                    total + (0 ..< 15).reduce(0.0) { $0 + abs(x[i] * quadratic[o][i, $1] * x[$1]) }
                }
                let linearTerm = (0 ..< 15).reduce(0.0) { $0 + abs(linear[o, $1] * x[$1]) }
                return sum + gamma(32, Double.self) * (linearTerm + quadraticTerm)
            }
            let pointRounding = (0 ..< 15).reduce(0.0) { total, i in
                let gradient = abs(linear[o, i]) + 2 * (0 ..< 15).reduce(0.0) { $0 + abs(quadratic[o][i, $1]) * (abs(center[$1]) + step) }
                return total + gradient * 2 * u * (abs(center[i]) + step * abs(attack.direction[i]))
            }
            return (scoreRounding + pointRounding) / (2 * step) * (1 + 4 * u)
        }
        // attack.targetMarginSlope comes from L·δ and Q·δ (γ₁₅) and a dot with the center (γ₁₅).
        let slopeRounding = (0 ..< 3).reduce(0.0) { sum, o in
            sum + gamma(32, Double.self) * (0 ..< 15).reduce(0.0) { total, i in
                total + abs(linear[o, i] * attack.direction[i])
                    + 2 * abs(center[i]) * (0 ..< 15).reduce(0.0) { $0 + abs(quadratic[o][i, $1] * attack.direction[$1]) }
            }
        }
        expectClose([margin], [attack.targetMarginSlope],
                    absolute: slopeBounds[1] + (slopeBounds[0] + slopeBounds[2]) / 2 + slopeRounding)
    }
}
