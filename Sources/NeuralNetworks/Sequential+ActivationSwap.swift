import LinearAlgebra

extension Sequential {
    /// The model with every fixed activation (`ActivationLayer`) replaced by the learnable one
    /// `replacement` describes in the architecture language, e.g. `hermite(deg=8)`; every other
    /// layer keeps its trained parameters (seed 002's fine-tuning from a trained network).
    ///
    /// Without an `init=` argument the replacement is fitted to the function it replaces:
    /// `hermite(deg=8)` in place of `relu` becomes `hermite(deg=8,init=relu)`, so the swapped
    /// network starts close to the trained one.
    ///
    /// ```swift
    /// let swapped = try trained.swappingActivations(for: "hermite(deg=8)", using: &generator)
    /// ```
    /// - Throws: ``ActivationSwapError`` when `replacement` is not one layer, or cannot be fitted
    ///   to an activation; the architecture parser's errors for bad text.
    public func swappingActivations<G: RandomNumberGenerator>(for replacement: String, using generator: inout G) throws -> Sequential {
        let parsed = try Architecture(parsing: replacement)
        guard parsed.items.count == 1, let item = parsed.items.first else {
            throw ActivationSwapError.notOneLayer(replacement)
        }
        let fitted = item.arguments.contains { $0.label == "init" }
        var swapped = [any Layer<Scalar>]()
        var count = 0
        for layer in layers {
            guard let activation = layer as? ActivationLayer<Scalar> else {
                swapped.append(layer)
                continue
            }
            let text = fitted ? replacement : Self.adding(init: activation.function.rawValue, to: item)
            let architecture: Architecture
            do {
                architecture = try Architecture(parsing: text)
            } catch {
                throw ActivationSwapError.cannotFit(replacement: replacement, activation: activation.function.rawValue)
            }
            swapped.append(contentsOf: try architecture.makeModel(as: Scalar.self, using: &generator).layers)
            count += 1
        }
        guard count > 0 else { throw ActivationSwapError.noActivations(specification) }
        return Sequential(swapped)
    }

    /// `item` written out with `init=name` added to its arguments.
    private static func adding(init name: String, to item: Architecture.Item) -> String {
        let arguments = item.arguments.map { ($0.label.map { "\($0)=" } ?? "") + $0.value } + ["init=\(name)"]
        return "\(item.name)(\(arguments.joined(separator: ",")))"
    }
}
