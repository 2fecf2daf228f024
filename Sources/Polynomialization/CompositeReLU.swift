// The composite ReLU as a layer: y = x·q(x), q = s_k ∘ … ∘ s_1 a chain of fixed Chebyshev
// series. For ReLU(x) = x·(1 + P(x/R))/2 with P = p_k ∘ … ∘ p_1 the composite sign
// (``CompositeApproximation``): s_1 = p_1 read as a Chebyshev series on [−R, R] (the same
// coefficients: T_j(x/R)), s_2 … s_k = p_2 … p_k on [-1, 1], and the last one carries the
// 1/2 and the +1/2: s_k = (1 + p_k)/2, so the layer costs the stages plus one product x·q.
//
// Evaluation runs in Double through the whole chain and rounds once at the end: a stage's
// slope near the band |x| < εR is of order 1/ε, so rounding each stage's output to Float would
// be amplified by the next.

import Activations
import LinearAlgebra
import NeuralNetworks
import Polynomials

/// A fixed composite ReLU, y = x·(s_k ∘ … ∘ s_1)(x): polyize's replacement of a ReLU by the
/// composite-sign construction (`--method composite`).
///
/// ```swift
/// let relu = try CompositeApproximation(meeting: 1e-2, kind: .relu, radius: 10)
/// let layer = CompositeReLU<Float>(relu)
/// layer.stages.count          // the sign composite's stages
/// ```
///
/// The stages are never trained (fine-tuning moves the network's other weights); their
/// coefficients and intervals are parameters only so that checkpoints carry them.
public struct CompositeReLU<Scalar: BLASScalar>: Layer {
    /// The stages s_1 … s_k, first applied first.
    public var table: ChebyshevSeriesTable<Scalar>
    /// The penalty fine-tuning puts on inputs outside [−R, R], if any.
    public var rangePenalty: RangePenalty<Scalar>?

    /// The layer of a ReLU composite: its stages by ``stages(of:)``.
    /// - Precondition: `composite.kind == .relu`.
    public init(_ composite: CompositeApproximation) {
        table = ChebyshevSeriesTable(Self.stages(of: composite))
    }

    /// The layer of the given stages, first applied first.
    public init(table: ChebyshevSeriesTable<Scalar>) {
        self.table = table
    }

    /// The Chebyshev series s_1 … s_k of a ReLU composite, so that ReLU(x) ≈ x·s_k(…s_1(x)):
    /// s_1 on [−R, R], the others on [-1, 1], the last one (1 + p_k)/2.
    /// - Precondition: `composite.kind == .relu`.
    public static func stages(of composite: CompositeApproximation) -> [Polynomial] {
        precondition(composite.kind == .relu, "CompositeReLU needs a ReLU composite, got \(composite.kind)")
        let count = composite.sign.stages.count
        return composite.sign.stages.enumerated().map { index, stage in
            var coefficients = stage.polynomial.coefficients
            if index == count - 1 {
                coefficients = coefficients.map { $0 / 2 }
                coefficients[0] += 0.5
            }
            let interval = index == 0 ? -composite.radius ... composite.radius : -1.0 ... 1.0
            return Polynomial(coefficients: coefficients, basis: .chebyshev(on: interval))
        }
    }

    /// The stages as Chebyshev series in Double.
    public var stages: [Polynomial] { table.series }

    /// The most stages a checkpoint's layer may have (composites for α ≤ 40 use far fewer).
    public static var maximumStages: Int { 32 }

    /// R, the half-width of the input interval the composite is certified on.
    public var radius: Double { Double(table.intervals[0, 1]) }

    /// The cost of evaluating the layer as the export does: each stage by OpenFHE's Chebyshev
    /// Paterson–Stockmeyer scheme (the first with its map from [−R, R] unless R = 1), then the
    /// product x·q.
    public static func cost(of stages: [Polynomial]) -> EvaluationCost {
        var total = EvaluationCost(scheme: "composite-chebyshev", nonScalarMultiplications: 1, scalarMultiplications: 0,
                                   additions: 0, depth: 1)
        for stage in stages {
            let cost = EvaluationCost.chebyshevPatersonStockmeyer(degree: stage.degree,
                                                                  needsAffineMap: stage.basis.interval != -1 ... 1)
            total.nonScalarMultiplications += cost.nonScalarMultiplications
            total.scalarMultiplications += cost.scalarMultiplications
            total.additions += cost.additions
            total.depth += cost.depth
        }
        return total
    }

    public var inputWidth: Int? { nil }
    public func outputWidth(forInputWidth width: Int) -> Int { width }
    public var specification: String { "composite-relu(stages=\(table.count),deg=\(table.degree))" }
    public var parameterInfo: [ParameterInfo] { table.parameterInfo }
    public func checkParameters() throws { try table.checkParameters(rowName: "stage") }

    /// x, q(x) and, when asked, q′(x), all in Double.
    private func evaluate(_ input: Matrix<Scalar>, slope: Bool) -> (x: [Double], q: [Double], slope: [Double]) {
        let x = input.elements.map(Double.init)
        var (value, next) = (x, [Double](repeating: 0, count: x.count))
        var derivative = slope ? [Double](repeating: 1, count: x.count) : []
        var stageSlope = slope ? [Double](repeating: 0, count: x.count) : []
        for stage in stages {
            if slope {
                let rate = stage.derivative()
                value.withUnsafeBufferPointer { z in stageSlope.withUnsafeMutableBufferPointer { rate.evaluate(z, into: $0) } }
                for i in derivative.indices { derivative[i] *= stageSlope[i] }
            }
            value.withUnsafeBufferPointer { z in next.withUnsafeMutableBufferPointer { stage.evaluate(z, into: $0) } }
            swap(&value, &next)
        }
        return (x, value, derivative)
    }

    @_specialize(where Scalar == Float)
    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        output.ensureShape(rows: input.rows, columns: input.columns)
        let (x, q, _) = evaluate(input, slope: false)
        output.withUnsafeMutableElements { y in
            for i in y.indices { y[i] = Scalar(x[i] * q[i]) }
        }
        if !training { rangePenalty?.count(input) }
    }

    /// ∂x = ∂y·(q(x) + x·q′(x)), q′ by the chain rule through the stages.
    @_specialize(where Scalar == Float)
    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        inputGradient.ensureShape(rows: input.rows, columns: input.columns)
        let (x, q, slope) = evaluate(input, slope: true)
        outputGradient.elements.withUnsafeBufferPointer { dy in
            inputGradient.withUnsafeMutableElements { dx in
                for i in dx.indices { dx[i] = Scalar(Double(dy[i]) * (q[i] + x[i] * slope[i])) }
            }
        }
        rangePenalty?.addGradient(at: input, to: &inputGradient)
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        table.visitParameters(body)
    }
}
