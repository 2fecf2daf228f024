import Activations
import Foundation
import Interop
import LinearAlgebra

extension FeedforwardBlock {
    /// The block stored in `file` under `keys`, with the given activation.
    ///
    /// - Throws: `SafeTensorsError.missingTensor` for an absent key (listing the file's
    ///   tensors), `ConversionError.shapeMismatch` when a weight is not 2-D or a bias not 1-D or
    ///   they do not fit, `.nonFiniteWeights` for NaN or infinity.
    public init(safeTensors file: SafeTensors, keys: BlockKeys = .sequential, activation: Activation) throws {
        func weight(_ role: String) throws -> Matrix<Double>? {
            guard let name = keys.name(for: role) else { return nil }
            let shape = try file.shape(of: name)
            guard shape.count == 2 else {
                throw ConversionError.shapeMismatch("'\(name)' (\(role)) has shape \(shape); a weight must be 2-D [out, in]")
            }
            return try file.matrix(named: name, as: Double.self)
        }
        func bias(_ role: String, count: Int) throws -> [Double] {
            guard let name = keys.name(for: role) else { return [Double](repeating: 0, count: count) }
            let shape = try file.shape(of: name)
            guard shape.count == 1 || (shape.count == 2 && shape[0] == 1) else {
                throw ConversionError.shapeMismatch("'\(name)' (\(role)) has shape \(shape); a bias must be 1-D")
            }
            return try file.values(named: name, as: Double.self)
        }
        guard let inputWeight = try weight("input.weight"), let outputWeight = try weight("output.weight") else {
            throw ConversionError.badKeyMapping("input.weight and output.weight must name tensors")
        }
        let linearWeight = try weight("linear.weight")
        try self.init(inputWeight: inputWeight, inputBias: try bias("input.bias", count: inputWeight.rows),
                      activation: activation,
                      linearBranch: try linearWeight.map { ($0, try bias("linear.bias", count: $0.rows)) },
                      outputWeight: outputWeight, outputBias: try bias("output.bias", count: outputWeight.rows))
    }
}
