/// The layer kinds an architecture string may name.
public struct LayerRegistry: Sendable {
    /// The kinds by name.
    public private(set) var kinds: [String: any LayerKind]

    /// A registry of the given kinds.
    public init(_ kinds: [any LayerKind]) {
        self.kinds = Dictionary(kinds.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Every built-in layer kind. Add new kinds here.
    public static let standard = LayerRegistry(
        [DenseKind(), PolynomialLayerKind(), LayerNormKind(), HermiteActivationKind(), FourierActivationKind(), TropicalActivationKind(rational: false), TropicalActivationKind(rational: true), GatedLinearUnitKind(bilinear: false), GatedLinearUnitKind(bilinear: true),
         Conv2DKind(), AvgPool2DKind(), ParameterlessLayerKind(name: "flatten"), ParameterlessLayerKind(name: "square")]
            + ActivationFunction.allCases.map { ActivationKind(function: $0) })

    /// This registry with `kind` added (replacing a kind of the same name).
    public func registering(_ kind: any LayerKind) -> LayerRegistry {
        var copy = self
        copy.kinds[kind.name] = kind
        return copy
    }

    /// Help lines for every kind, sorted by name.
    public var summaries: [String] { kinds.keys.sorted().map { kinds[$0]!.summary } }

    func kind(for item: Architecture.Item, in text: String) throws -> any LayerKind {
        guard let kind = kinds[item.name.lowercased()] else {
            throw ArchitectureError("unknown layer '\(item.name)'; known: \(kinds.keys.sorted().joined(separator: ", "))",
                                    in: text, at: item.range.lowerBound ..< item.range.lowerBound + item.name.count)
        }
        return kind
    }
}
