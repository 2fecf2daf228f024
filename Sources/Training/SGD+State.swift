import LinearAlgebra
import NeuralNetworks

extension SGD {
    /// The momentum buffers (`momentum_buffer`, as PyTorch names them); SGD counts no steps.
    public var state: OptimizerState<Scalar> {
        OptimizerState(buffers: ["momentum_buffer": velocities])
    }

    /// Restores the momentum buffers.
    public mutating func restore<Model: Layer>(_ state: OptimizerState<Scalar>, for model: inout Model) throws
    where Model.Scalar == Scalar {
        velocities = try state.buffers(["momentum_buffer"], fitting: &model)[0]
    }
}
