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

    /// The block of a PolyNet checkpoint whose `polynet.arch` metadata is
    /// `dense(d,n) ACTIVATION dense(n,o)` (PyTorch-style keys `0.weight` … `2.bias`), or a
    /// single `glu(d,n,o,act=A)` or `bilinear(d,n,o)` layer (keys `0.gate_proj.*`, `0.up_proj.*`,
    /// `0.down_proj.*`; a GLU's gate defaults to sigmoid, as in the architecture language).
    /// - Throws: `ConversionError.badCheckpoint` when the metadata is missing or describes
    ///   another architecture, and the errors of `init(safeTensors:keys:activation:)`.
    public init(checkpoint file: SafeTensors) throws {
        guard let architecture = file.metadata["polynet.arch"] else {
            throw ConversionError.badCheckpoint("no 'polynet.arch' metadata; for files written elsewhere use --weights with --activation")
        }
        let items = Self.topLevelItems(architecture)
        let names = items.map { $0.prefix { $0 != "(" }.lowercased() }
        if names.count == 3, names[0] == "dense", names[2] == "dense", let activation = try? Activation.named(names[1]) {
            try self.init(safeTensors: file, keys: .sequential, activation: activation)
        } else if names.count == 1, names[0] == "glu" || names[0] == "bilinear" {
            let gate = names[0] == "bilinear" ? "identity" : Self.gateName(ofGatedLayer: items[0])
            guard let activation = try? Activation.named(gate) else {
                throw ConversionError.badCheckpoint("architecture '\(architecture)' has an unknown gate activation '\(gate)'")
            }
            let roles = ["input": "gate_proj", "linear": "up_proj", "output": "down_proj"]
            let keys = try BlockKeys(mapping: roles.flatMap { role, layer in
                ["\(role).weight=0.\(layer).weight", "\(role).bias=0.\(layer).bias"]
            })
            try self.init(safeTensors: file, keys: keys, activation: activation)
        } else {
            throw ConversionError.badCheckpoint("architecture '\(architecture)' is not dense(d,n) ACTIVATION dense(n,o), glu(d,n,o,act=…) or bilinear(d,n,o); convert handles one feedforward block")
        }
    }

    /// The gate of `glu(in,hidden,out,act=NAME)` (named, or the fourth positional argument),
    /// sigmoid when absent.
    static func gateName(ofGatedLayer item: String) -> String {
        let inside = item.drop { $0 != "(" }.dropFirst().prefix { $0 != ")" }
        let arguments = inside.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if let named = arguments.first(where: { $0.hasPrefix("act=") }) { return String(named.dropFirst(4)).lowercased() }
        let positional = arguments.filter { !$0.contains("=") }
        return positional.count >= 4 ? positional[3].lowercased() : "sigmoid"
    }

    /// Architecture items separated by whitespace outside parentheses.
    static func topLevelItems(_ text: String) -> [String] {
        var items = [String](), current = "", depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character.isWhitespace && depth == 0 {
                if !current.isEmpty { items.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { items.append(current) }
        return items
    }
}
