import LinearAlgebra

extension GaussianDistribution {
    /// The Gaussian with the sample mean and covariance of `data` (one sample per row).
    ///
    /// The covariance is the unbiased estimate (1/(N−1))·Σᵢ(xᵢ − x̄)(xᵢ − x̄)ᵀ, formed by gemm
    /// over chunks of rows in the data's own precision and summed across chunks in Double.
    /// Image data is typically singular (MNIST's border pixels never vary); then the smallest
    /// ridge λ = ε·mean(diag Σ)·I with ε ∈ {`minimumRegularization`, ×10, …, 10⁻²} that makes
    /// Σ + λI Cholesky-factorable is added, and ε is kept in `regularization`.
    ///
    /// - Throws: `DistributionError.tooFewSamples` for fewer than 2 rows, `.nonFinite` for NaN
    ///   data, `.regularizationFailed` if no ε up to 10⁻² works.
    /// - Complexity: O(N·d²) in BLAS, O(d²) extra memory besides one chunk.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init<Scalar: BLASScalar>(fitting data: Matrix<Scalar>, minimumRegularization: Double = 1e-8) throws {
        let (count, dimension) = (data.rows, data.columns)
        guard dimension > 0 else { throw DistributionError.empty }
        guard count >= 2 else { throw DistributionError.tooFewSamples(count, needed: 2) }
        guard data.isFinite else { throw DistributionError.nonFinite("data") }
        let mean = Self.columnMeans(data)
        let covariance = Self.scatter(data, around: mean).map { $0 / Double(count - 1) }
        try self.init(regularizing: covariance, mean: mean, minimumRegularization: minimumRegularization)
    }

    /// N(mean, covariance + ε·mean(diag)·I) with the smallest ε ∈ {minimum, ×10, …, 10⁻²} that
    /// makes the covariance positive definite (ε = 0 when it already is).
    init(regularizing covariance: Matrix<Double>, mean: [Double], minimumRegularization: Double) throws {
        if (try? covariance.choleskyFactor()) != nil {
            try self.init(mean: mean, covariance: covariance, regularization: 0)
            return
        }
        let diagonalMean = (0 ..< covariance.rows).reduce(0.0) { $0 + covariance[$1, $1] } / Double(covariance.rows)
        let scale = diagonalMean > 0 ? diagonalMean : 1
        var epsilon = minimumRegularization
        while epsilon <= 1e-2 * (1 + 1e-9) {
            var ridged = covariance
            for i in 0 ..< ridged.rows { ridged[i, i] += epsilon * scale }
            if (try? ridged.choleskyFactor()) != nil {
                try self.init(mean: mean, covariance: ridged, regularization: epsilon)
                return
            }
            epsilon *= 10
        }
        throw DistributionError.regularizationFailed(largestTried: epsilon / 10)
    }

    /// Column means accumulated in Double.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func columnMeans<Scalar: BLASScalar>(_ data: Matrix<Scalar>) -> [Double] {
        var sums = [Double](repeating: 0, count: data.columns)
        let width = data.columns
        data.elements.withUnsafeBufferPointer { source in
            sums.withUnsafeMutableBufferPointer { total in
                for i in 0 ..< data.rows {
                    for j in 0 ..< width { total[j] += Double(source[i * width + j]) }
                }
            }
        }
        return sums.map { $0 / Double(data.rows) }
    }

    /// Σᵢ (xᵢ − c)(xᵢ − c)ᵀ over the rows of `data`: gemm per chunk of rows in `Scalar`,
    /// accumulated in Double.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func scatter<Scalar: BLASScalar>(_ data: Matrix<Scalar>, around center: [Double],
                                           chunkSize: Int = 4096) -> Matrix<Double> {
        let dimension = data.columns
        let shift = center.map { Scalar($0) }
        var total = Matrix<Double>(rows: dimension, columns: dimension)
        var chunkProduct = Matrix<Scalar>(rows: dimension, columns: dimension)
        for start in stride(from: 0, to: data.rows, by: chunkSize) {
            var chunk = data.rows(start ..< Swift.min(start + chunkSize, data.rows))
            chunk.addToEachRow(shift.map { -$0 })
            chunkProduct.setProduct(chunk, chunk, transposingA: true)
            total.withUnsafeMutableElements { sum in
                chunkProduct.elements.withUnsafeBufferPointer { part in
                    for index in 0 ..< sum.count { sum[index] += Double(part[index]) }
                }
            }
        }
        // gemm need not round (i, j) and (j, i) identically: make Σ exactly symmetric.
        for i in 0 ..< dimension {
            for j in 0 ..< i {
                let average = (total[i, j] + total[j, i]) / 2
                total[i, j] = average
                total[j, i] = average
            }
        }
        return total
    }
}
