extension Activation {
    /// The names ``named(_:)`` accepts (aliases: `swish` for silu, `absolute-value` for abs,
    /// `leaky-relu:SLOPE` for another slope).
    public static let knownNames = [
        "relu", "leaky-relu", "gelu", "gelu-tanh", "silu", "sigmoid", "tanh", "softplus", "elu", "sign", "abs",
        "identity",
    ]

    /// The standard activation with this name (case-insensitive).
    ///
    /// ```swift
    /// let f = try Activation.named("gelu")
    /// let leaky = try Activation.named("leaky-relu:0.2")
    /// ```
    /// - Throws: ``ActivationError/unknownName(_:known:)`` listing the known names.
    public static func named(_ name: String) throws -> Activation {
        let lowered = name.lowercased()
        if lowered.hasPrefix("leaky-relu:") {
            let parameter = String(lowered.dropFirst("leaky-relu:".count))
            guard let slope = Double(parameter), slope.isFinite else {
                throw ActivationError.badParameter(name: "leaky-relu", parameter: parameter)
            }
            return .leakyReLU(slope: slope)
        }
        switch lowered {
        case "relu": return .relu
        case "leaky-relu", "leakyrelu": return .leakyReLU()
        case "gelu": return .gelu
        case "gelu-tanh": return .geluTanh
        case "silu", "swish": return .silu
        case "sigmoid", "logistic": return .sigmoid
        case "tanh": return .tanh
        case "softplus": return .softplus
        case "elu": return .elu
        case "sign": return .sign
        case "abs", "absolute-value": return .absoluteValue
        case "identity", "linear": return .identity
        default: throw ActivationError.unknownName(name, known: knownNames)
        }
    }
}
