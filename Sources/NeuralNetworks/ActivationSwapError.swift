/// Why a network's activations could not be swapped. Each case prints as one line.
public enum ActivationSwapError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The replacement text is not a single layer.
    case notOneLayer(String)
    /// The replacement has no `init=` for fitting the activation it replaces.
    case cannotFit(replacement: String, activation: String)
    /// The network has no fixed activation to replace.
    case noActivations(String)

    public var description: String {
        switch self {
        case let .notOneLayer(text):
            return "'\(text)' is not one layer; give one activation layer such as hermite(deg=8)"
        case let .cannotFit(replacement, activation):
            return "'\(replacement)' cannot start as \(activation): give a kind that takes init= (hermite, fourier, tropical-rational) or an explicit init="
        case let .noActivations(specification):
            return "\(specification) has no fixed activation (relu, gelu, …) to replace"
        }
    }
}
