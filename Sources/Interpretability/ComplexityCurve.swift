import Foundation
import Interop
import LinearAlgebra
import PolynomialConversion

/// How well linear and quadratic polynomials explain a network at each checkpoint of a run:
/// the seed's "networks learn simple functions first, then more complex ones".
public enum ComplexityCurve {
    /// R² of the degree-1 and degree-2 approximants at one training step.
    public struct Point: Sendable, Equatable {
        public var step: Int
        /// Empirical R² (pooled over outputs) on the given inputs.
        public var linearOnData: Double
        public var quadraticOnData: Double
        /// Exact R² under the Gaussian (pooled over outputs).
        public var linearUnderGaussian: Double
        public var quadraticUnderGaussian: Double
    }

    /// The step checkpoints (`step-N.safetensors`) of a run directory, by step.
    public static func checkpoints(in run: URL) throws -> [(step: Int, url: URL)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: run.path)
        return names.compactMap { name -> (Int, URL)? in
            guard name.hasPrefix("step-"), name.hasSuffix(".safetensors"),
                  let step = Int(name.dropFirst(5).dropLast(12)) else { return nil }
            return (step, run.appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }
    }

    /// The point for one network.
    public static func point(step: Int, model: StudiedModel, inputs: Matrix<Double>) throws -> Point {
        let outputs = model.network(inputs)
        let variance = try model.quadratic.gaussianVariance()
        return Point(step: step,
                     linearOnData: empiricalRSquared(model: outputs, approximation: model.linear(inputs)).pooled,
                     quadraticOnData: empiricalRSquared(model: outputs, approximation: model.quadratic(inputs)).pooled,
                     linearUnderGaussian: variance.pooledRSquared(degree: 1),
                     quadraticUnderGaussian: variance.pooledRSquared(degree: 2))
    }
}
