import LinearAlgebra
import NeuralNetworks

/// Stochastic gradient descent with momentum and L2 weight decay, as `torch.optim.SGD`
/// (dampening 0): v ← μ·v + (g + λ·p), p ← p − η·v.
public struct SGD<Scalar: BLASScalar>: Optimizer {
    /// The momentum μ in [0, 1).
    public let momentum: Scalar
    /// The L2 penalty λ ≥ 0 added to the gradient.
    public let weightDecay: Scalar
    // Per-parameter momentum buffers in visiting order, allocated on the first step (see SGD+State).
    var velocities: [Matrix<Scalar>] = []

    /// SGD with momentum and weight decay; checks them.
    ///
    /// - Throws: `OptimizerError` when μ is outside [0, 1) or λ is negative.
    public init(momentum: Scalar = 0, weightDecay: Scalar = 0) throws {
        try OptimizerError.check(momentum >= 0 && momentum < 1, "momentum must lie in [0, 1), got \(momentum)")
        try OptimizerError.check(weightDecay >= 0, "weight decay must be non-negative, got \(weightDecay)")
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    public mutating func update<Model: Layer>(_ model: inout Model, learningRate: Scalar) where Model.Scalar == Scalar {
        var velocities = self.velocities
        self.velocities = []
        var index = 0
        let (momentum, weightDecay) = (self.momentum, self.weightDecay)
        model.visitParameters { parameter, gradient in
            if index == velocities.count { velocities.append(Matrix(rows: parameter.rows, columns: parameter.columns)) }
            sgdStep(&parameter, gradient, &velocities[index], learningRate: learningRate,
                    momentum: momentum, weightDecay: weightDecay)
            index += 1
        }
        self.velocities = velocities
    }
}

/// One SGD update of one parameter (a free generic function so `@_specialize` dispatches).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func sgdStep<Scalar: BLASScalar>(_ parameter: inout Matrix<Scalar>, _ gradient: Matrix<Scalar>,
                                         _ velocity: inout Matrix<Scalar>, learningRate: Scalar, momentum: Scalar, weightDecay: Scalar) {
    parameter.withUnsafeMutableElements { p in
        gradient.elements.withUnsafeBufferPointer { g in
            velocity.withUnsafeMutableElements { v in
                for i in p.indices {
                    v[i] = momentum * v[i] + g[i] + weightDecay * p[i]
                    p[i] -= learningRate * v[i]
                }
            }
        }
    }
}
