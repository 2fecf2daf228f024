import LinearAlgebra
import NeuralNetworks

/// What an optimizer carries from step to step, enough to continue a run exactly.
///
/// `buffers` maps a slot name to one matrix per parameter, in `visitParameters` order and shaped
/// like the parameter. Slot names follow PyTorch's `optimizer.state_dict()`: Adam keeps
/// `exp_avg` (m) and `exp_avg_sq` (v), SGD keeps `momentum_buffer`. Before the first step every
/// slot is empty.
public struct OptimizerState<Scalar: BLASScalar>: Sendable, Equatable {
    /// Steps taken so far (Adam's t, which drives its bias correction; 0 for SGD, which needs none).
    public var stepCount: Int
    /// Per-parameter buffers by slot name.
    public var buffers: [String: [Matrix<Scalar>]]

    /// A state; see the properties.
    public init(stepCount: Int = 0, buffers: [String: [Matrix<Scalar>]]) {
        self.stepCount = stepCount
        self.buffers = buffers
    }

    /// The buffers of `slots`, in that order, after checking that they are exactly the state's
    /// slots and that each is empty (no step taken) or holds one finite matrix per parameter of
    /// `model`, shaped like it.
    ///
    /// - Throws: `OptimizerError` naming the slot and parameter that do not fit.
    func buffers<Model: Layer>(_ slots: [String], fitting model: inout Model) throws -> [[Matrix<Scalar>]]
    where Model.Scalar == Scalar {
        try OptimizerError.check(Set(buffers.keys) == Set(slots),
                                 "the saved optimizer state has slots \(buffers.keys.sorted()); this optimizer needs \(slots)")
        try OptimizerError.check(stepCount >= 0, "the saved optimizer step count \(stepCount) is negative")
        var shapes = [(rows: Int, columns: Int)]()
        model.visitParameters { parameter, _ in shapes.append((parameter.rows, parameter.columns)) }
        let names = model.parameterInfo.map(\.name)
        return try slots.map { slot in
            let matrices = buffers[slot]!
            guard !matrices.isEmpty else { return [] }
            try OptimizerError.check(matrices.count == shapes.count,
                                     "the saved optimizer slot '\(slot)' has \(matrices.count) buffers for \(shapes.count) parameters")
            for (index, (matrix, shape)) in zip(matrices, shapes).enumerated() {
                try OptimizerError.check(matrix.rows == shape.rows && matrix.columns == shape.columns,
                                         "the saved optimizer buffer '\(slot)' of \(names[index]) is \(matrix.rows)×\(matrix.columns); the parameter is \(shape.rows)×\(shape.columns)")
                try OptimizerError.check(matrix.isFinite, "the saved optimizer buffer '\(slot)' of \(names[index]) holds NaN or infinite values")
            }
            return matrices
        }
    }
}
