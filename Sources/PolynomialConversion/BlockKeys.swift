/// Which safetensors tensor holds each weight of a block.
///
/// The default names are those of PyTorch's `nn.Sequential(nn.Linear, activation, nn.Linear)`
/// state dict (and PolyNet checkpoints): `0.weight`, `0.bias`, `2.weight`, `2.bias`. A GLU adds
/// the linear branch (`linear.weight`, `linear.bias` roles), e.g. for a LLaMA-style MLP
/// `w2(silu(w1·x) * w3·x)`:
///
/// ```swift
/// let keys = try BlockKeys(mapping: ["input.weight=w1.weight", "linear.weight=w3.weight",
///                                    "output.weight=w2.weight", "input.bias=none",
///                                    "linear.bias=none", "output.bias=none"])
/// ```
public struct BlockKeys: Sendable, Equatable {
    /// The roles a mapping may name.
    public static let roles = ["input.weight", "input.bias", "linear.weight", "linear.bias", "output.weight", "output.bias"]

    /// Tensor name per role; `nil` for a bias means "no bias" (zero), for `linear.weight` an MLP.
    public var names: [String: String?]

    /// The PyTorch `nn.Sequential(Linear, act, Linear)` names.
    public static let sequential = BlockKeys(names: [
        "input.weight": "0.weight", "input.bias": "0.bias", "output.weight": "2.weight", "output.bias": "2.bias",
        "linear.weight": nil, "linear.bias": nil,
    ])

    private init(names: [String: String?]) { self.names = names }

    /// The sequential names overridden by `role=name` entries (`name` = `none` drops a bias).
    /// A mapped `linear.weight` makes the block a GLU; its bias then defaults to `linear.bias`
    /// unless mapped.
    /// - Throws: `ConversionError.badKeyMapping` for an entry without `=`, an unknown role, or
    ///   `none` for a weight.
    public init(mapping: [String]) throws {
        var names = Self.sequential.names
        var mappedLinearBias = false
        for entry in mapping.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[1].isEmpty else {
                throw ConversionError.badKeyMapping("'\(entry)' is not ROLE=TENSOR (roles: \(Self.roles.joined(separator: ", ")))")
            }
            guard Self.roles.contains(parts[0]) else {
                throw ConversionError.badKeyMapping("unknown role '\(parts[0])'; roles: \(Self.roles.joined(separator: ", "))")
            }
            if parts[1] == "none" {
                guard parts[0].hasSuffix(".bias") else {
                    throw ConversionError.badKeyMapping("'\(parts[0])' is a weight and cannot be 'none'")
                }
                names[parts[0]] = .some(nil)
            } else {
                names[parts[0]] = parts[1]
            }
            if parts[0] == "linear.bias" { mappedLinearBias = true }
        }
        if case .some(.some) = names["linear.weight"], !mappedLinearBias { names["linear.bias"] = "linear.bias" }
        self.names = names
    }

    /// The tensor name for `role`, or `nil` when the role is absent (no bias, or an MLP).
    public func name(for role: String) -> String? { names[role] ?? nil }
}
