import LinearAlgebra
import NeuralNetworks

/// A pass-through layer that, in the backward pass, adds the gradient of a penalty on inputs
/// outside an interval: λ/B·Σ max(0, |x − c| − h)² over the elements of a batch of B rows, c and h
/// the interval's centre and half-width. Placed before a polynomial replacement during
/// fine-tuning, it keeps pre-activations inside the interval the polynomial was fitted on,
/// where its error is certified. It has no parameters and leaves the forward pass unchanged; in
/// evaluation passes (`training: false`) it counts the inputs outside into its ``tally``.
public struct RangePenalty<Scalar: BLASScalar>: Layer {
    /// The interval the inputs should stay in.
    public let interval: ClosedRange<Double>
    /// The penalty's weight λ.
    public let weight: Double
    /// Where evaluation passes count the inputs outside the interval.
    public let tally: RangeTally

    /// A penalty; see the properties.
    public init(interval: ClosedRange<Double>, weight: Double, tally: RangeTally = RangeTally()) {
        self.interval = interval
        self.weight = weight
        self.tally = tally
    }

    public var inputWidth: Int? { nil }
    public func outputWidth(forInputWidth width: Int) -> Int { width }
    public var specification: String { "range-penalty" }
    public var parameterInfo: [ParameterInfo] { [] }

    @_specialize(where Scalar == Float)
    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        output = input
        if !training { count(input) }
    }

    @_specialize(where Scalar == Float)
    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        inputGradient = outputGradient
        addGradient(at: input, to: &inputGradient)
    }

    /// Adds the penalty's gradient at `input` to `gradient` (of the same shape).
    @_specialize(where Scalar == Float)
    public func addGradient(at input: Matrix<Scalar>, to gradient: inout Matrix<Scalar>) {
        precondition(gradient.rows == input.rows && gradient.columns == input.columns,
                     "RangePenalty: gradient \(gradient.rows)×\(gradient.columns) for input \(input.rows)×\(input.columns)")
        guard weight > 0 else { return }
        let centre = (interval.lowerBound + interval.upperBound) / 2
        let half = (interval.upperBound - interval.lowerBound) / 2
        let scale = 2 * weight / Double(Swift.max(input.rows, 1))
        input.elements.withUnsafeBufferPointer { x in
            gradient.withUnsafeMutableElements { dx in
                for i in x.indices {
                    let offset = Double(x[i]) - centre
                    let excess = Swift.abs(offset) - half
                    if excess > 0 { dx[i] += Scalar(scale * excess * (offset > 0 ? 1 : -1)) }
                }
            }
        }
    }

    /// Counts the values of `input` outside the interval, and the largest excursion, into
    /// ``tally``.
    @_specialize(where Scalar == Float)
    public func count(_ input: Matrix<Scalar>) {
        let centre = (interval.lowerBound + interval.upperBound) / 2
        let half = (interval.upperBound - interval.lowerBound) / 2
        var (outside, largest) = (0, 0.0)
        input.elements.withUnsafeBufferPointer { x in
            for value in x {
                let x = Double(value)
                if !interval.contains(x) { outside += 1 }
                largest = Swift.max(largest, Swift.abs(x - centre) / half)
            }
        }
        tally.add(count: input.elements.count, outside: outside, largest: largest)
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {}
}
