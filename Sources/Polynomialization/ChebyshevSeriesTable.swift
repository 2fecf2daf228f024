import LinearAlgebra
import NeuralNetworks
import Polynomials

/// Rows of fixed Chebyshev series held as layer parameters: row i's coefficients c_0 … c_n
/// (zero-padded to the widest row) and the interval [a, b] it is defined on. The layers that
/// apply several fixed series (``CompositeReLU``'s stages, ``ChannelChebyshevActivation``'s
/// channels) keep them here, so that checkpoints carry them; they are never trained.
public struct ChebyshevSeriesTable<Scalar: BLASScalar>: Sendable {
    /// Row i: series i's Chebyshev coefficients.
    public var coefficients: Matrix<Scalar>
    /// Row i: the interval [a, b] of series i.
    public var intervals: Matrix<Scalar>
    /// Always zero: the series are fixed.
    public var coefficientGradient: Matrix<Scalar>
    /// Always zero: the series are fixed.
    public var intervalGradient: Matrix<Scalar>

    /// The table of the given rows: one row of coefficients and one interval per series.
    /// - Precondition: at least one row, rows of equal non-zero length, two interval ends each.
    public init(coefficients: [[Scalar]], intervals: [[Scalar]]) {
        let width = coefficients.first?.count ?? 0
        precondition(!coefficients.isEmpty && width > 0 && coefficients.allSatisfy { $0.count == width }
                     && intervals.count == coefficients.count && intervals.allSatisfy { $0.count == 2 },
                     "ChebyshevSeriesTable: \(coefficients.count) coefficient rows of \(width), \(intervals.count) intervals")
        self.coefficients = Matrix(rows: coefficients.count, columns: width, elements: coefficients.flatMap { $0 })
        self.intervals = Matrix(rows: intervals.count, columns: 2, elements: intervals.flatMap { $0 })
        coefficientGradient = Matrix(rows: coefficients.count, columns: width)
        intervalGradient = Matrix(rows: intervals.count, columns: 2)
    }

    /// The table of `series` (Chebyshev series), zero-padded to the highest degree.
    public init(_ series: [Polynomial]) {
        let width = series.map { $0.coefficients.count }.max() ?? 1
        self.init(coefficients: series.map { p in (0 ..< width).map { $0 < p.coefficients.count ? Scalar(p.coefficients[$0]) : 0 } },
                  intervals: series.map { [Scalar($0.basis.interval.lowerBound), Scalar($0.basis.interval.upperBound)] })
    }

    /// The number of series.
    public var count: Int { coefficients.rows }

    /// The padded degree (columns − 1).
    public var degree: Int { coefficients.columns - 1 }

    /// The series in Double, trailing zero padding dropped.
    public var series: [Polynomial] {
        (0 ..< coefficients.rows).map { row in
            let values = coefficients.row(row).map(Double.init)
            let degree = values.lastIndex { $0 != 0 } ?? 0
            return Polynomial(coefficients: Array(values.prefix(degree + 1)),
                              basis: .chebyshev(on: Double(intervals[row, 0]) ... Double(intervals[row, 1])))
        }
    }

    /// `coefficients` [count, degree + 1] and `intervals` [count, 2].
    public var parameterInfo: [ParameterInfo] {
        [ParameterInfo(name: "coefficients", shape: [coefficients.rows, coefficients.columns]),
         ParameterInfo(name: "intervals", shape: [intervals.rows, 2])]
    }

    /// Throws unless every interval is finite and increasing and every coefficient finite; a
    /// bad row is named `rowName` and its index from 1.
    public func checkParameters(rowName: String) throws {
        for row in 0 ..< intervals.rows {
            let (a, b) = (Double(intervals[row, 0]), Double(intervals[row, 1]))
            guard a.isFinite, b.isFinite, a < b else {
                throw LayerError.invalidParameter(name: "intervals", reason: "\(rowName) \(row + 1) must be increasing, got [\(a), \(b)]")
            }
        }
        guard coefficients.isFinite else { throw LayerError.invalidParameter(name: "coefficients", reason: "must be finite") }
    }

    /// Visits the coefficients and the intervals with their (zero) gradients.
    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        body(&coefficients, &coefficientGradient)
        body(&intervals, &intervalGradient)
    }
}
