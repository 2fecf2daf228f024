import LinearAlgebra
import NeuralNetworks
import Polynomials

/// One fixed Chebyshev series per channel: polyize's per-channel replacement of a nonlinearity
/// (`--per-channel`), each channel fitted on its own measured interval.
///
/// A row of `channels · plane` values holds channel c in columns c·plane ..< (c + 1)·plane: one
/// column per channel after a dense layer (plane 1), an image plane (H·W columns) after a
/// convolution. Every channel has the same degree, so an HE evaluator runs one
/// Paterson–Stockmeyer evaluation with per-slot coefficients.
///
/// ```swift
/// let layer = ChannelChebyshevActivation<Float>(channels: fits, plane: 16)   // fits: [Polynomial]
/// layer.specification     // "chebyshev-channels(channels=3,plane=16,deg=9)"
/// ```
///
/// The series are never trained (fine-tuning moves the network's other weights); their
/// coefficients and intervals are parameters only so that checkpoints carry them.
public struct ChannelChebyshevActivation<Scalar: BLASScalar>: Layer {
    /// Row c: channel c's Chebyshev coefficients c_0 … c_n.
    public var coefficients: Matrix<Scalar>
    /// Row c: the interval [a, b] channel c's series is defined on.
    public var intervals: Matrix<Scalar>
    /// Always zero: the series are fixed.
    public var coefficientGradient: Matrix<Scalar>
    /// Always zero: the series are fixed.
    public var intervalGradient: Matrix<Scalar>
    /// The columns per channel.
    public let plane: Int
    /// The penalty fine-tuning puts on inputs outside the channels' hull, if any.
    public var rangePenalty: RangePenalty<Scalar>?

    /// The layer of per-channel Chebyshev series of one degree, `plane` columns per channel.
    /// - Precondition: at least one series, all of one degree, plane ≥ 1.
    public init(channels: [Polynomial], plane: Int) {
        precondition(!channels.isEmpty && plane >= 1 && channels.allSatisfy { $0.degree == channels[0].degree && $0.basis.family == .chebyshev },
                     "ChannelChebyshevActivation needs Chebyshev series of one degree and a positive plane")
        self.init(coefficients: channels.map { $0.coefficients.map { Scalar($0) } },
                  intervals: channels.map { [Scalar($0.basis.interval.lowerBound), Scalar($0.basis.interval.upperBound)] },
                  plane: plane)
    }

    /// The layer of the given rows: one row of coefficients and one interval per channel.
    /// - Precondition: at least one row, rows of equal non-zero length, two interval ends each, plane ≥ 1.
    public init(coefficients: [[Scalar]], intervals: [[Scalar]], plane: Int) {
        let width = coefficients.first?.count ?? 0
        precondition(!coefficients.isEmpty && width > 0 && coefficients.allSatisfy { $0.count == width } && plane >= 1
                     && intervals.count == coefficients.count && intervals.allSatisfy { $0.count == 2 },
                     "ChannelChebyshevActivation: \(coefficients.count) coefficient rows, \(intervals.count) intervals, plane \(plane)")
        self.coefficients = Matrix(rows: coefficients.count, columns: width, elements: coefficients.flatMap { $0 })
        self.intervals = Matrix(rows: intervals.count, columns: 2, elements: intervals.flatMap { $0 })
        coefficientGradient = Matrix(rows: coefficients.count, columns: width)
        intervalGradient = Matrix(rows: intervals.count, columns: 2)
        self.plane = plane
    }

    /// The channels' series in Double.
    public var channels: [Polynomial] {
        (0 ..< coefficients.rows).map { row in
            Polynomial(coefficients: coefficients.row(row).map(Double.init),
                       basis: .chebyshev(on: Double(intervals[row, 0]) ... Double(intervals[row, 1])))
        }
    }

    /// The common degree.
    public var degree: Int { coefficients.columns - 1 }

    /// The largest number of channels a checkpoint's layer may have.
    public static var maximumChannels: Int { 1 << 16 }

    public var inputWidth: Int? { coefficients.rows * plane }
    public var specification: String { "chebyshev-channels(channels=\(coefficients.rows),plane=\(plane),deg=\(degree))" }
    public var parameterInfo: [ParameterInfo] {
        [ParameterInfo(name: "coefficients", shape: [coefficients.rows, coefficients.columns]),
         ParameterInfo(name: "intervals", shape: [intervals.rows, 2])]
    }

    public func checkParameters() throws {
        for row in 0 ..< intervals.rows {
            let (a, b) = (Double(intervals[row, 0]), Double(intervals[row, 1]))
            guard a.isFinite, b.isFinite, a < b else {
                throw LayerError.invalidParameter(name: "intervals", reason: "channel \(row) must be increasing, got [\(a), \(b)]")
            }
        }
        guard coefficients.isFinite else { throw LayerError.invalidParameter(name: "coefficients", reason: "must be finite") }
    }

    /// Applies `series[c]` to channel c of every row of `input`, writing into `output`: each
    /// channel's values gathered from all rows into one buffer, evaluated together, scattered.
    private func apply(_ series: [Polynomial], to input: Matrix<Scalar>, into output: inout Matrix<Scalar>) {
        precondition(input.columns == series.count * plane,
                     "\(specification) takes \(series.count * plane) columns, got a \(input.rows)×\(input.columns) input")
        output.ensureShape(rows: input.rows, columns: input.columns)
        let (rows, width, plane) = (input.rows, input.columns, self.plane)
        var (gathered, values) = ([Scalar](repeating: 0, count: rows * plane), [Scalar](repeating: 0, count: rows * plane))
        input.elements.withUnsafeBufferPointer { x in
            output.withUnsafeMutableElements { y in
                for (channel, p) in series.enumerated() {
                    let start = channel * plane
                    for row in 0 ..< rows {
                        for j in 0 ..< plane { gathered[row * plane + j] = x[row * width + start + j] }
                    }
                    gathered.withUnsafeBufferPointer { g in values.withUnsafeMutableBufferPointer { p.evaluate(g, into: $0) } }
                    for row in 0 ..< rows {
                        for j in 0 ..< plane { y[row * width + start + j] = values[row * plane + j] }
                    }
                }
            }
        }
    }

    @_specialize(where Scalar == Float)
    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        apply(channels, to: input, into: &output)
        if !training { rangePenalty?.count(input) }
    }

    /// ∂x = ∂y·p_c′(x) for x in channel c.
    @_specialize(where Scalar == Float)
    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        apply(channels.map { $0.derivative() }, to: input, into: &inputGradient)
        outputGradient.elements.withUnsafeBufferPointer { dy in
            inputGradient.withUnsafeMutableElements { dx in
                for i in dx.indices { dx[i] *= dy[i] }
            }
        }
        rangePenalty?.addGradient(at: input, to: &inputGradient)
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        body(&coefficients, &coefficientGradient)
        body(&intervals, &intervalGradient)
    }
}
