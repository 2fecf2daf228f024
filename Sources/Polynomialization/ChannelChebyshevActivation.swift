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
    /// The channels' series, channel c in row c, all of one degree.
    public var table: ChebyshevSeriesTable<Scalar>
    /// The columns per channel.
    public let plane: Int
    /// The penalty fine-tuning puts on inputs outside the channels' hull, if any.
    public var rangePenalty: RangePenalty<Scalar>?

    /// The layer of per-channel Chebyshev series of one degree, `plane` columns per channel.
    /// - Precondition: at least one series, all of one degree, plane ≥ 1.
    public init(channels: [Polynomial], plane: Int) {
        precondition(!channels.isEmpty && channels.allSatisfy { $0.degree == channels[0].degree && $0.basis.family == .chebyshev },
                     "ChannelChebyshevActivation needs Chebyshev series of one degree")
        self.init(table: ChebyshevSeriesTable(channels), plane: plane)
    }

    /// The layer of the given table, `plane` columns per channel.
    /// - Precondition: plane ≥ 1.
    public init(table: ChebyshevSeriesTable<Scalar>, plane: Int) {
        precondition(plane >= 1, "ChannelChebyshevActivation: plane \(plane)")
        self.table = table
        self.plane = plane
    }

    /// The channels' series in Double.
    public var channels: [Polynomial] { table.series }

    /// The common degree.
    public var degree: Int { table.degree }

    /// The largest number of channels a checkpoint's layer may have.
    public static var maximumChannels: Int { 1 << 16 }

    public var inputWidth: Int? { table.count * plane }
    public var specification: String { "chebyshev-channels(channels=\(table.count),plane=\(plane),deg=\(degree))" }
    public var parameterInfo: [ParameterInfo] { table.parameterInfo }
    public func checkParameters() throws { try table.checkParameters(rowName: "channel") }

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
        table.visitParameters(body)
    }
}
