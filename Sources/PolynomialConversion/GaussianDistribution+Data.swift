import LinearAlgebra

extension GaussianDistribution {
    /// The Gaussian with the sample mean and covariance of `data` (one sample per row).
    ///
    /// The covariance is the unbiased estimate (1/(N−1))·Σᵢ(xᵢ − x̄)(xᵢ − x̄)ᵀ, formed by a
    /// symmetric rank-k update (syrk) over chunks of centred rows in the data's own precision
    /// and summed across chunks in Double; columns that never vary are left out of the
    /// products (their covariance is exactly zero). Image data is typically singular (MNIST's border
    /// pixels never vary); then the smallest ridge λ = ε·mean(diag Σ)·I with
    /// ε ∈ {`minimumRegularization`, ×10, …, 10⁻²} that makes Σ + λI Cholesky-factorable is
    /// added, and ε is kept in `regularization`.
    ///
    /// - Throws: `DistributionError.tooFewSamples` for fewer than 2 rows, `.nonFinite` for NaN
    ///   or infinite data, `.regularizationFailed` if no ε up to 10⁻² works.
    /// - Complexity: O(N·d²/2) in BLAS, O(d²) extra memory besides one chunk.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init<Scalar: BLASScalar>(fitting data: Matrix<Scalar>, minimumRegularization: Double = 1e-8) throws {
        let (count, dimension) = (data.rows, data.columns)
        guard dimension > 0 else { throw DistributionError.empty }
        guard count >= 2 else { throw DistributionError.tooFewSamples(count, needed: 2) }
        let (mean, varyingColumns) = Self.columnStatistics(data)
        // A column sum is NaN or infinite exactly when the column holds a NaN or an infinity
        // (Float sums cannot overflow in Double), so this also checks the data.
        guard mean.allSatisfy(\.isFinite) else { throw DistributionError.nonFinite("data") }
        let covariance = Self.scatter(data, around: mean, varyingColumns: varyingColumns)
            .map { $0 / Double(count - 1) }
        guard covariance.isFinite else { throw DistributionError.nonFinite("covariance of the data") }
        try self.init(regularizing: covariance, mean: mean, minimumRegularization: minimumRegularization)
    }

    /// N(mean, covariance + ε·mean(diag)·I) with the smallest ε ∈ {0, minimum, ×10, …, 10⁻²}
    /// that makes the covariance positive definite. The covariance must be finite and exactly
    /// symmetric (as `scatter` makes it); the successful Cholesky factorization is the check
    /// that the result is a valid distribution.
    init(regularizing covariance: Matrix<Double>, mean: [Double], minimumRegularization: Double) throws {
        let diagonalMean = (0 ..< covariance.rows).reduce(0.0) { $0 + covariance[$1, $1] } / Double(covariance.rows)
        let scale = diagonalMean > 0 ? diagonalMean : 1
        var epsilon = 0.0
        while epsilon <= 1e-2 * (1 + 1e-9) {
            var ridged = covariance
            for i in 0 ..< ridged.rows { ridged[i, i] += epsilon * scale }
            if (try? ridged.choleskyFactor()) != nil {
                self.init(unchecked: mean, covariance: ridged, regularization: epsilon)
                return
            }
            epsilon = epsilon == 0 ? minimumRegularization : epsilon * 10
        }
        throw DistributionError.regularizationFailed(largestTried: epsilon / 10)
    }

    /// Column means accumulated in Double, and the indices of the columns that vary (whose
    /// smallest and largest values differ). One pass; sums, minima and maxima vectorize.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func columnStatistics<Scalar: BLASScalar>(_ data: Matrix<Scalar>) -> (means: [Double], varyingColumns: [Int]) {
        let width = data.columns
        var sums = [Double](repeating: 0, count: width)
        var lows = data.row(0), highs = data.row(0)
        data.elements.withUnsafeBufferPointer { source in
            sums.withUnsafeMutableBufferPointer { total in
                lows.withUnsafeMutableBufferPointer { low in
                    highs.withUnsafeMutableBufferPointer { high in
                        for i in 0 ..< data.rows {
                            let row = source.baseAddress! + i * width
                            for j in 0 ..< width {
                                total[j] += Double(row[j])
                                low[j] = Swift.min(low[j], row[j])
                                high[j] = Swift.max(high[j], row[j])
                            }
                        }
                    }
                }
            }
        }
        return (sums.map { $0 / Double(data.rows) }, (0 ..< width).filter { lows[$0] != highs[$0] })
    }

    /// Σᵢ (xᵢ − c)(xᵢ − c)ᵀ over the rows of `data`, when only `varyingColumns` vary (the others
    /// equal c there, as they do when c is the mean, so their rows and columns of the result
    /// are zero).
    ///
    /// Per chunk of rows, the varying columns are gathered and centred in one pass and a
    /// symmetric rank-k update (syrk) in `Scalar` forms their Gram matrix, accumulated in
    /// Double. The result is exactly symmetric.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func scatter<Scalar: BLASScalar>(_ data: Matrix<Scalar>, around center: [Double],
                                           varyingColumns: [Int], chunkSize: Int = 4096) -> Matrix<Double> {
        let (width, varyingCount) = (data.columns, varyingColumns.count)
        let negatedShift = varyingColumns.map { -Scalar(center[$0]) }
        var compact = Matrix<Double>(rows: varyingCount, columns: varyingCount)
        var chunk = Matrix<Scalar>(rows: 0, columns: 0)
        var chunkGram = Matrix<Scalar>(rows: varyingCount, columns: varyingCount)
        for start in stride(from: 0, to: data.rows, by: chunkSize) {
            let chunkRows = Swift.min(chunkSize, data.rows - start)
            chunk.ensureShape(rows: chunkRows, columns: varyingCount)
            data.elements.withUnsafeBufferPointer { source in
                chunk.withUnsafeMutableElements { target in
                    for i in 0 ..< chunkRows {
                        let (from, to) = ((start + i) * width, i * varyingCount)
                        for (k, column) in varyingColumns.enumerated() {
                            target[to + k] = source[from + column] + negatedShift[k]
                        }
                    }
                }
            }
            chunkGram.setGram(of: chunk, transposingA: true)
            compact.withUnsafeMutableElements { sum in
                chunkGram.elements.withUnsafeBufferPointer { part in
                    for index in 0 ..< sum.count { sum[index] += Double(part[index]) }
                }
            }
        }
        var total = Matrix<Double>(rows: width, columns: width)
        for (a, row) in varyingColumns.enumerated() {
            for (b, column) in varyingColumns.enumerated() { total[row, column] = compact[a, b] }
        }
        return total
    }
}
