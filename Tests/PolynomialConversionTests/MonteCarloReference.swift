import LinearAlgebra
import TestSupport
@testable import PolynomialConversion

/// An independent reference for the closed forms: least squares on Monte-Carlo samples.
///
/// Samples x = μ + Lz with z ~ N(0, I) and LLᵀ = Σ, and regresses the block's outputs on the
/// orthonormal multivariate Hermite basis ψ_α(z) = Πᵢ He_{αᵢ}(zᵢ)/√αᵢ! of total degree ≤ k
/// (ordered by degree, so the leading features span each lower degree too). The normal
/// equations are accumulated chunk by chunk with gemm and solved by LAPACK
/// (`leastSquaresSolution`); the basis is orthonormal under the Gaussian, so they are well
/// conditioned (Gram ≈ N·I). The same regression of our approximant p_k (exactly a polynomial of
/// degree k) gives its coefficients in this basis to rounding, so the two can be compared.
struct MonteCarloReference {
    /// The multi-indices α, ordered by total degree.
    let indices: [[Int]]
    /// How many multi-indices have total degree ≤ k, for k = 0...maxDegree.
    let countUpToDegree: [Int]
    let outputCount: Int
    let maxDegree: Int
    /// Σᵢ ψ(zᵢ)ψ(zᵢ)ᵀ.
    private var gram: Matrix<Double>
    /// Σᵢ ψ(zᵢ)·targetsᵢ with targets [f, p₁, …, p_K] (o columns each).
    private var moments: Matrix<Double>
    /// Σᵢ ψ_α(zᵢ)²·(fₒ − p_k,ₒ)²: features × (o·K), column (k−1)·o + o.
    private var residualSquares: Matrix<Double>
    /// Per output, Σf, Σf², Σf³, Σf⁴ (4 × o).
    private var outputSums: Matrix<Double>
    /// Per degree and output, Σa, Σa², Σa·f, Σa·f² with a = (f − p_k)² (4 × o·K).
    private var errorSums: Matrix<Double>
    /// Σᵢ targetsᵢ² per target column: with the Gram diagonal Σᵢψ_α², Cauchy–Schwarz bounds
    /// Σᵢ|ψ_α||t| by √(Σψ_α²·Σt²), which bounds the rounding of `moments`.
    private var targetSquares: [Double]
    /// Σᵢ δᵢ² with δᵢ a bound on the rounding of fₒ − p_k,ₒ at sample i (column (k−1)·o + o):
    /// the part of f − p that is rounding, not sampling noise (Σ|ψ_α|δ ≤ √(Σψ_α²·Σδ²)); and
    /// the same for the block's own rounding per output.
    private var roundingSquares: [Double]
    private var blockRoundingSquares: [Double]
    /// The inner length of each chunk's gemm (the normal equations are sums of ≤ chunk
    /// products per gemm, then accumulated over the chunks).
    static let chunk = 50_000
    /// The number of samples added.
    private(set) var sampleCount = 0

    init(dimension: Int, maxDegree: Int, outputCount: Int) {
        /// The multi-indices of total degree exactly `total` over `dimension` coordinates.
        func exactly(_ total: Int, _ dimension: Int) -> [[Int]] {
            if dimension == 1 { return [[total]] }
            return (0 ... total).flatMap { first in exactly(total - first, dimension - 1).map { [first] + $0 } }
        }
        let byDegree = (0 ... maxDegree).map { exactly($0, dimension) }
        indices = byDegree.flatMap { $0 }
        countUpToDegree = (0 ... maxDegree).map { k in byDegree[0 ... k].reduce(0) { $0 + $1.count } }
        self.outputCount = outputCount
        self.maxDegree = maxDegree
        gram = Matrix(rows: indices.count, columns: indices.count)
        moments = Matrix(rows: indices.count, columns: outputCount * (maxDegree + 1))
        residualSquares = Matrix(rows: indices.count, columns: outputCount * maxDegree)
        outputSums = Matrix(rows: 4, columns: outputCount)
        errorSums = Matrix(rows: 4, columns: outputCount * maxDegree)
        targetSquares = [Double](repeating: 0, count: outputCount * (maxDegree + 1))
        roundingSquares = [Double](repeating: 0, count: outputCount * maxDegree)
        blockRoundingSquares = [Double](repeating: 0, count: outputCount)
    }

    /// Adds `count` samples of N(μ, Σ) in chunks: the block's outputs and those of the
    /// approximants of degree 1...maxDegree.
    mutating func addSamples<G: RandomNumberGenerator>(
        count: Int, distribution: GaussianDistribution, block: FeedforwardBlock,
        approximants: [PolynomialApproximant], using generator: inout G
    ) throws {
        precondition(approximants.count == maxDegree, "one approximant per degree 1...\(maxDegree)")
        let factor = try distribution.covariance.choleskyFactor()
        let (d, n) = (block.inputDimension, block.hiddenCount)
        let blockRounding = gamma(RoundingBounds.blockOperationCount(inputs: d, hidden: n), Double.self)
        var done = 0
        while done < count {
            let size = Swift.min(Self.chunk, count - done)
            let z = Self.standardNormals(rows: size, columns: distribution.dimension, using: &generator)
            var x = z.multiplied(by: factor, transposingOther: true)
            x.addToEachRow(distribution.mean)
            let targets = Self.concatenateColumns([block(x)] + approximants.map { $0(x) })
            let features = hermiteFeatures(z)
            gram.setProduct(features, features, transposingA: true, beta: 1)
            moments.setProduct(features, targets, transposingA: true, beta: 1)
            let errors = squaredErrors(targets)
            residualSquares.setProduct(features * features, errors, transposingA: true, beta: 1)
            accumulateSums(targets: targets, errors: errors)
            targets.elements.withUnsafeBufferPointer { t in
                for index in t.indices { targetSquares[index % targetSquares.count] += t[index] * t[index] }
            }
            // δ = γ_{K_f}·|f|-magnitude + γ_{K_p}·|p_k|-magnitude per sample (RoundingBounds),
            // one magnitude and the largest K covering every degree k ≤ maxDegree.
            let blockPart = RoundingBounds.blockMagnitude(block, at: x)
            let approximantRounding = gamma(RoundingBounds.approximantOperationCount(inputs: d, hidden: n, degree: maxDegree), Double.self)
            let covering = RoundingBounds.approximantMagnitude(covering: approximants, at: x).map { approximantRounding * $0 }
            let o = outputCount
            covering.elements.withUnsafeBufferPointer { approximantPart in
                blockPart.elements.withUnsafeBufferPointer { blockBuffer in
                    for index in blockBuffer.indices {
                        let blockDelta = blockRounding * blockBuffer[index]
                        let delta = blockDelta + approximantPart[index]
                        blockRoundingSquares[index % o] += blockDelta * blockDelta
                        for k in 1 ... maxDegree { roundingSquares[(k - 1) * o + index % o] += delta * delta }
                    }
                }
            }
            done += size
        }
        sampleCount += count
    }

    /// Independent N(0, 1) samples by Box–Muller, two per pair of uniforms.
    static func standardNormals<G: RandomNumberGenerator>(rows: Int, columns: Int, using generator: inout G) -> Matrix<Double> {
        var result = Matrix<Double>(rows: rows, columns: columns)
        let count = rows * columns
        result.elements.withUnsafeMutableBufferPointer { buffer in
            var index = 0
            while index < count {
                let u1 = (Double(generator.next() >> 11) + 0.5) * 0x1p-53
                let u2 = Double(generator.next() >> 11) * 0x1p-53
                let radius = (-2 * Double.log(u1)).squareRoot()
                buffer[index] = radius * Double.cos(2 * .pi * u2)
                if index + 1 < count { buffer[index + 1] = radius * Double.sin(2 * .pi * u2) }
                index += 2
            }
        }
        return result
    }

    /// The columns of equally tall matrices side by side.
    static func concatenateColumns(_ parts: [Matrix<Double>]) -> Matrix<Double> {
        let rows = parts[0].rows
        let total = parts.reduce(0) { $0 + $1.columns }
        var result = Matrix<Double>(rows: rows, columns: total)
        var offset = 0
        for part in parts {
            let width = part.columns
            result.elements.withUnsafeMutableBufferPointer { target in
                part.elements.withUnsafeBufferPointer { source in
                    for i in 0 ..< rows {
                        (target.baseAddress! + i * total + offset).update(from: source.baseAddress! + i * width, count: width)
                    }
                }
            }
            offset += width
        }
        return result
    }

    /// (fₒ − p_k,ₒ)² per sample, column (k−1)·o + o.
    private func squaredErrors(_ targets: Matrix<Double>) -> Matrix<Double> {
        let (o, width) = (outputCount, targets.columns)
        var errors = Matrix<Double>(rows: targets.rows, columns: o * maxDegree)
        targets.elements.withUnsafeBufferPointer { t in
            errors.elements.withUnsafeMutableBufferPointer { e in
                for i in 0 ..< targets.rows {
                    for column in 0 ..< o * maxDegree {
                        let difference = t[i * width + column % o] - t[i * width + o + column]
                        e[i * o * maxDegree + column] = difference * difference
                    }
                }
            }
        }
        return errors
    }

    private mutating func accumulateSums(targets: Matrix<Double>, errors: Matrix<Double>) {
        let (o, width, errorWidth) = (outputCount, targets.columns, errors.columns)
        targets.elements.withUnsafeBufferPointer { t in
            errors.elements.withUnsafeBufferPointer { e in
                outputSums.elements.withUnsafeMutableBufferPointer { s in
                    errorSums.elements.withUnsafeMutableBufferPointer { r in
                        for i in 0 ..< targets.rows {
                            for output in 0 ..< o {
                                let f = t[i * width + output]
                                s[output] += f
                                s[o + output] += f * f
                                s[2 * o + output] += f * f * f
                                s[3 * o + output] += f * f * f * f
                            }
                            for column in 0 ..< errorWidth {
                                let (a, f) = (e[i * errorWidth + column], t[i * width + column % o])
                                r[column] += a
                                r[errorWidth + column] += a * a
                                r[2 * errorWidth + column] += a * f
                                r[3 * errorWidth + column] += a * f * f
                            }
                        }
                    }
                }
            }
        }
    }

    /// ψ_α(z) for each row of z.
    func hermiteFeatures(_ z: Matrix<Double>) -> Matrix<Double> {
        let (dimension, stride, featureCount) = (z.columns, maxDegree + 1, indices.count)
        // Each feature as a list of table positions c·(K+1) + αc for its nonzero powers.
        let factors = indices.map { alpha in alpha.enumerated().filter { $0.element > 0 }.map { $0.offset * stride + $0.element } }
        let rootFactorial = (0 ... maxDegree).map { k in (1 ... Swift.max(k, 1)).reduce(1.0) { $0 * Double($1) }.squareRoot() }
        var result = Matrix<Double>(rows: z.rows, columns: featureCount)
        var table = [Double](repeating: 0, count: dimension * stride)
        z.elements.withUnsafeBufferPointer { zp in
            result.elements.withUnsafeMutableBufferPointer { out in
                for i in 0 ..< z.rows {
                    for c in 0 ..< dimension {
                        let u = zp[i * dimension + c]
                        var (previous, current) = (0.0, 1.0)
                        table[c * stride] = 1
                        for j in 0 ..< maxDegree {
                            (previous, current) = (current, u * current - Double(j) * previous)
                            table[c * stride + j + 1] = current / rootFactorial[j + 1]
                        }
                    }
                    for f in 0 ..< featureCount {
                        var value = 1.0
                        for position in factors[f] { value *= table[position] }
                        out[i * featureCount + f] = value
                    }
                }
            }
        }
        return result
    }

    /// The least-squares coefficients θ (features of degree ≤ k) for target column `column`:
    /// column o is the block's output o, column k·o′ + o the degree-k approximant's.
    func coefficients(degree k: Int, column: Int) throws -> [Double] {
        Array(try solve(degree: k, column: column).solution.elements)
    }

    private func solve(degree k: Int, column: Int) throws -> (solution: Matrix<Double>, singularValues: [Double]) {
        let size = countUpToDegree[k]
        let g = Matrix(rows: size, columns: size, elements: (0 ..< size).flatMap { i in (0 ..< size).map { gram[i, $0] } })
        let b = Matrix(rows: size, columns: 1, elements: (0 ..< size).map { moments[$0, column] })
        let result = try g.leastSquaresSolution(b)
        return (result.solution, result.singularValues)
    }

    /// A bound on the rounding in θ_f − θ_p, the difference of the degree-k coefficients of the
    /// block's output o and of our approximant's, both solved with the same Gram matrix G
    /// (p features, singular values σ₁ ≥ … ≥ σ_p). With C = `chunk` and B chunks:
    /// - the right-hand sides Σψ_α·t are each within γ_{C+B}·Σ|ψ_α||t| (gemm in any order,
    ///   then B accumulations), and the targets themselves differ from exact f − p by the
    ///   evaluation rounding δᵢ; by Cauchy–Schwarz rₐ ≤ √(G_αα)·(γ_{C+B}(‖t_f‖ + ‖t_p‖) + ‖δ‖)
    ///   (G_αα raised by its own rounding, γ_{C+B} relative), and G⁻¹ maps r to at most ‖r‖₂/σ_p,
    ///   σ_p lowered by the SVD's own error 50·p·ε·σ₁ (svd.in);
    /// - rounding in G perturbs the difference by at most ‖G⁻¹‖·‖δG‖ ≤ γ_{C+B}·trace(G)/σ_p
    ///   relative (|Ψ|ᵀ|Ψ| is PSD with G's trace);
    /// - LAPACK solves each system with backward error ‖E‖₁ < 30·p·ε·‖G‖₁ (dtest.in), so
    ///   ‖E‖₂ ≤ 30·p²·ε·σ₁ and each θ is within 2κ·30·p²·ε·‖θ‖₂ (κ = σ₁/σ_p, κ·30p²ε ≤ ½).
    /// The ∞-norm of a vector is at most its 2-norm, so the bound is one number for all α.
    func differenceRoundingBound(degree k: Int, output o: Int) throws -> Double {
        let size = countUpToDegree[k]
        let (blockColumn, ourColumn) = (o, k * outputCount + o)
        let (block, ours) = (try solve(degree: k, column: blockColumn), try solve(degree: k, column: ourColumn))
        let singularValues = block.singularValues
        let largest = singularValues.first!
        let smallest = singularValues.last! - lapackResidualBound(.singularValues, order: size, norm: largest, Double.self)
        precondition(smallest > 0, "Gram matrix too ill-conditioned for the bound")
        let chunks = (sampleCount + Self.chunk - 1) / Self.chunk
        let accumulation = gamma(Self.chunk + chunks, Double.self)
        let right = (0 ..< size).map { alpha in
            let features = (gram[alpha, alpha] * (1 + accumulation)).squareRoot()
            return features * (accumulation * (targetSquares[blockColumn].squareRoot() + targetSquares[ourColumn].squareRoot())
                + roundingSquares[(k - 1) * outputCount + o].squareRoot())
        }
        let norm = { (v: [Double]) in v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let trace = (0 ..< size).reduce(0.0) { $0 + gram[$1, $1] }
        let difference = zip(block.solution.elements, ours.solution.elements).map { $0 - $1 }
        let solver = 2 * (largest / smallest) * 30 * Double(size * size) * Double.ulpOfOne
        precondition(solver < 1, "Gram matrix too ill-conditioned for the bound")
        return norm(right) / smallest + accumulation * trace / smallest * norm(difference)
            + solver * (norm(Array(block.solution.elements)) + norm(Array(ours.solution.elements)))
    }

    /// The standard error of θ_α (degree-k fit, output o): √(Σᵢψ_α²(f − p_k)²)/N. When p_k is
    /// the projection, the fit error is the mean of the zero-mean terms ψ_α·(f − p_k) (the Gram
    /// matrix is N·I up to O(1/√N)).
    func standardError(feature: Int, output o: Int, degree k: Int) -> Double {
        residualSquares[feature, (k - 1) * outputCount + o].squareRoot() / Double(sampleCount)
    }

    /// The sample variance of output o and its standard error √((m₄ − s⁴)/N).
    func outputVariance(_ o: Int) -> (value: Double, standardError: Double) {
        let (variance, fourth) = centralMoments(o)
        return (variance, (Swift.max(fourth - variance * variance, 0) / Double(sampleCount)).squareRoot())
    }

    /// A bound on the deterministic error of `outputVariance(o).value`: the power sums of
    /// N samples (recursive sums, each within γ_{N+4} of Σ|f|ʲ) give m₂ − m₁² within
    /// 3γ_{N+4}·m₂, and the block's evaluation rounding δ (rms δ_f) moves the sample variance
    /// by at most 2·√Var·rms δ_f + rms δ_f² (Minkowski).
    func varianceRounding(_ o: Int) -> Double {
        let n = Double(sampleCount)
        let (variance, _) = centralMoments(o)
        let rms = (blockRoundingSquares[o] / n).squareRoot()
        return 3 * gamma(sampleCount + 4, Double.self) * outputSums[1, o] / n + 2 * Swift.max(variance, 0).squareRoot() * rms + rms * rms
    }

    /// A bound on the deterministic error of `rSquared(degree:output:).value` = 1 − ā/v: ā
    /// within γ_{N+2} relative and v as `varianceRounding`, and the evaluation rounding δ of
    /// f − p_k moving ā by at most 2√ā·rms δ + rms δ².
    func rSquaredRounding(degree k: Int, output o: Int) -> Double {
        let n = Double(sampleCount)
        let (variance, _) = centralMoments(o)
        let column = (k - 1) * outputCount + o
        let a = errorSums[0, column] / n
        let rms = (roundingSquares[column] / n).squareRoot()
        let meanError = gamma(sampleCount + 2, Double.self) * a + 2 * a.squareRoot() * rms + rms * rms
        return (meanError + a / variance * varianceRounding(o)) / (variance - varianceRounding(o))
    }

    /// The second and fourth central moments of output o from its raw power sums.
    private func centralMoments(_ o: Int) -> (second: Double, fourth: Double) {
        let n = Double(sampleCount)
        let (m1, m2, m3, m4) = (outputSums[0, o] / n, outputSums[1, o] / n, outputSums[2, o] / n, outputSums[3, o] / n)
        return (m2 - m1 * m1, m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 * m1 * m1 * m1)
    }

    /// R²ₖ estimated as 1 − mean((f − p_k)²)/Var(f) with our p_k, and a delta-method standard
    /// error from the per-sample terms a = (f − p_k)² and b = (f − f̄)².
    func rSquared(degree k: Int, output o: Int) -> (value: Double, standardError: Double) {
        let n = Double(sampleCount)
        let mean = outputSums[0, o] / n
        let (variance, fourth) = centralMoments(o)
        let column = (k - 1) * outputCount + o
        let (sumA, sumA2, sumAF, sumAF2) = (errorSums[0, column], errorSums[1, column], errorSums[2, column], errorSums[3, column])
        let a = sumA / n
        // R̂ − R ≈ −(ā − A)/B + A·(b̄ − B)/B²: its variance from Var a, Cov(a, b), Var b.
        let varA = sumA2 / n - a * a
        let covAB = (sumAF2 - 2 * mean * sumAF + mean * mean * sumA) / n - a * variance
        let varB = fourth - variance * variance
        let b2 = variance * variance
        let linear = varA / b2 - 2 * a * covAB / (b2 * variance) + a * a * varB / (b2 * b2)
        return (1 - a / variance, (Swift.max(linear, 0) / n).squareRoot())
    }
}
