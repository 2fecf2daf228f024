import LinearAlgebra

/// A model written as text: layers separated by spaces, each `name` or `name(arguments)`.
///
/// Arguments are positional or `key=value`; each layer kind names its arguments in order
/// (see `LayerKind`). Widths of consecutive layers are checked when the model is built.
///
/// ```
/// poly(784,20,deg=3) layernorm(20) poly(20,10,deg=3)     the seed-001 polynomial MLP
/// dense(784,256) relu dense(256,10)                      an MLP
/// poly(784,64,deg=4,basis=chebyshev) layernorm(64) dense(64,10)
/// ```
/// Image layers (`conv2d`, `avgpool`) work on rows that hold NCHW images; the builder passes
/// each layer's output image shape to the next (elementwise activations keep it, `flatten`
/// and `dense` drop it), so only a `conv2d` that starts the model (or follows a non-image
/// layer) states its input size: `conv2d(1,5,k=5,stride=2,pad=1,size=28) square flatten dense(845,10)`.
///
/// A whole string may also be a preset name (`seed001-poly`, `seed001-linear`, `cryptonets`). The text is
/// stored in checkpoints (`polynet.arch`), so a model reloads from its file alone.
public struct Architecture: Sendable, Equatable, CustomStringConvertible {
    /// One layer as written: its kind, its arguments and where it stands in the text.
    public struct Item: Sendable, Equatable {
        /// The layer kind, e.g. `poly`.
        public var name: String
        /// The arguments in the order written.
        public var arguments: [Argument]
        /// Character offsets of the whole item in the text.
        public var range: Range<Int>
    }

    /// One argument: `value` or `label=value`.
    public struct Argument: Sendable, Equatable {
        /// The key of a `key=value` argument.
        public var label: String?
        /// The value as written.
        public var value: String
        /// Character offsets of the argument in the text.
        public var range: Range<Int>
    }

    /// Named architectures: the two models of seed 001 (Loretz 2024, "Polynomials as weights
    /// and activations for MLPs"), 784 → 20 → 10 with LayerNorm, and the CryptoNets MNIST
    /// network ([Gilad-Bachrach et al. 2016](https://proceedings.mlr.press/v48/gilad-bachrach16.html)):
    /// a 5×5 convolution with stride 2 (1×28×28 → 5×13×13), x², 845 → 100, x², 100 → 10.
    public static let presets: [String: String] = [
        "seed001-poly": "poly(784,20,deg=3) layernorm(20) poly(20,10,deg=3)",
        "seed001-linear": "dense(784,20) relu layernorm(20) dense(20,10)",
        "cryptonets": "conv2d(1,5,k=5,stride=2,pad=1,size=28) square flatten dense(845,100) square dense(100,10)",
    ]

    /// The architecture text (a preset name is expanded).
    public let text: String
    /// The layers in order.
    public let items: [Item]
    /// The layer kinds the text may use.
    public let registry: LayerRegistry

    /// Parses `text` (or a preset name), checking layer names and argument names.
    ///
    /// - Throws: `ArchitectureError` pointing at the offending token.
    public init(parsing text: String, registry: LayerRegistry = .standard) throws {
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        let expanded = Self.presets[trimmed] ?? text
        var parser = ArchitectureParser(text: expanded)
        let items = try parser.parseItems()
        for item in items {
            let kind = try registry.kind(for: item, in: expanded)
            _ = try LayerArguments(item: item, names: kind.argumentNames, text: expanded)
        }
        self.text = expanded
        self.items = items
        self.registry = registry
    }

    public var description: String { text }

    public static func == (lhs: Architecture, rhs: Architecture) -> Bool {
        lhs.text == rhs.text && lhs.items == rhs.items
    }

    /// The parameters the model will have, with `Sequential`'s names (`0.weight`) and PyTorch
    /// shapes, computed from the text alone: nothing is allocated, so a checkpoint's tensors
    /// can be checked against them first.
    ///
    /// - Throws: `ArchitectureError` for a bad argument value.
    public func parameterInfo() throws -> [ParameterInfo] {
        try items.enumerated().flatMap { index, item in
            let kind = try registry.kind(for: item, in: text)
            let arguments = try LayerArguments(item: item, names: kind.argumentNames, text: text)
            return try kind.parameterInfo(arguments).map { ParameterInfo(name: "\(index).\($0.name)", shape: $0.shape) }
        }
    }

    /// The number of parameters the model will have, or nil when it exceeds `Int.max`;
    /// computed without allocating anything.
    ///
    /// - Throws: `ArchitectureError` for a bad argument value.
    public func parameterCount() throws -> Int? {
        var total = 0
        for info in try parameterInfo() {
            guard let count = checkedProduct(info.shape) else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard !overflow else { return nil }
            total = sum
        }
        return total
    }

    /// Checks the parameter count against `limits` without allocating anything.
    ///
    /// - Throws: `ModelError.tooManyParameters`, or `ArchitectureError` for a bad argument.
    public func checkSize(within limits: ArchitectureLimits) throws {
        let count = try parameterCount()
        guard let count, count <= limits.maximumParameters else {
            throw ModelError.tooManyParameters(architecture: text, count: count, limit: limits.maximumParameters)
        }
    }

    /// Builds the model with freshly initialized parameters, after checking its size against
    /// `limits` (see `ArchitectureLimits`).
    ///
    /// - Throws: `ArchitectureError` for a bad argument value or when a layer's input width
    ///   differs from the previous layer's output width; `ModelError.tooManyParameters` when
    ///   the model is larger than `limits` allow.
    public func makeModel<Scalar: BLASScalar, G: RandomNumberGenerator>(
        as _: Scalar.Type = Scalar.self, limits: ArchitectureLimits = .standard, using generator: inout G
    ) throws -> Sequential<Scalar> {
        try checkSize(within: limits)
        var layers = [any Layer<Scalar>]()
        var width: Int?
        var image: ImageShape?
        var previous: Item?
        for item in items {
            let kind = try registry.kind(for: item, in: text)
            let arguments = try LayerArguments(item: item, names: kind.argumentNames, text: text)
            let layer: any Layer<Scalar> = try kind.makeLayer(arguments, image: image, as: Scalar.self, using: &generator)
            if let expected = layer.inputWidth, let actual = width, expected != actual {
                throw ArchitectureError(
                    "'\(item.name)' takes \(expected) inputs but '\(previous?.name ?? "")' gives \(actual)",
                    in: text, at: item.range)
            }
            if let expected = layer.inputWidth, width == nil { width = expected }
            width = width.map { layer.outputWidth(forInputWidth: $0) }
            image = layer.outputImageShape(for: image)
            layers.append(layer)
            previous = item
        }
        return Sequential(layers)
    }
}
