import LinearAlgebra
import NeuralNetworks

extension Adam {
    /// t with the moments m (`exp_avg`) and v (`exp_avg_sq`), as PyTorch names them.
    public var state: OptimizerState<Scalar> {
        OptimizerState(stepCount: stepCount, buffers: ["exp_avg": firstMoments, "exp_avg_sq": secondMoments])
    }

    /// Restores t, m and v; the moments exist exactly when t > 0.
    public mutating func restore<Model: Layer>(_ state: OptimizerState<Scalar>, for model: inout Model) throws
    where Model.Scalar == Scalar {
        let moments = try state.buffers(["exp_avg", "exp_avg_sq"], fitting: &model)
        try OptimizerError.check(moments[0].isEmpty == moments[1].isEmpty && moments[0].isEmpty == (state.stepCount == 0),
                                 "the saved Adam state has step count \(state.stepCount) but \(moments[0].count) first and \(moments[1].count) second moments")
        stepCount = state.stepCount
        (firstMoments, secondMoments) = (moments[0], moments[1])
    }
}
