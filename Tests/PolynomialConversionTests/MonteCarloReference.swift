import LinearAlgebra
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
    }

    /// Adds `count` samples of N(μ, Σ) in chunks: the block's outputs and those of the
    /// approximants of degree 1...maxDegree.
    mutating func addSamples<G: RandomNumberGenerator>(
        count: Int, distribution: GaussianDistribution, block: FeedforwardBlock,
        approximants: [PolynomialApproximant], using generator: inout G
    ) throws {
        precondition(approximants.count == maxDegree, "one approximant per degree 1...\(maxDegree)")
        let factor = try distribution.covariance.choleskyFactor()
        let chunk = 50_000
        var done = 0
        while done < count {
            let size = Swift.min(chunk, count - done)
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
        let size = countUpToDegree[k]
        let g = Matrix(rows: size, columns: size, elements: (0 ..< size).flatMap { i in (0 ..< size).map { gram[i, $0] } })
        let b = Matrix(rows: size, columns: 1, elements: (0 ..< size).map { moments[$0, column] })
        return Array(try g.leastSquaresSolution(b).solution.elements)
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
