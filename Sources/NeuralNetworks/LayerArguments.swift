/// The arguments of one architecture item, bound to the names its `LayerKind` declares.
///
/// Positional arguments take the names in order; `key=value` arguments bind by name.
/// Accessors throw an `ArchitectureError` that underlines the offending argument.
public struct LayerArguments: Sendable {
    /// The item being built.
    public let item: Architecture.Item
    private let text: String
    private let bound: [String: Architecture.Argument]

    /// Binds `item`'s arguments to `names`.
    ///
    /// - Throws: `ArchitectureError` for too many positional arguments, an unknown key or a
    ///   name given twice.
    public init(item: Architecture.Item, names: [String], text: String) throws {
        self.item = item
        self.text = text
        var bound = [String: Architecture.Argument]()
        var positional = 0
        let signature = "\(item.name)(\(names.joined(separator: ", ")))"
        for argument in item.arguments {
            let name: String
            if let label = argument.label {
                guard names.contains(label) else {
                    throw ArchitectureError("'\(item.name)' has no argument '\(label)'; it takes \(signature)",
                                            in: text, at: argument.range)
                }
                name = label
            } else {
                guard positional < names.count else {
                    throw ArchitectureError("too many arguments for '\(item.name)'; it takes \(signature)",
                                            in: text, at: argument.range)
                }
                name = names[positional]
                positional += 1
            }
            guard bound[name] == nil else {
                throw ArchitectureError("argument '\(name)' of '\(item.name)' given twice", in: text, at: argument.range)
            }
            bound[name] = argument
        }
        self.bound = bound
    }

    /// A required integer argument of at least `minimum`.
    public func integer(_ name: String, minimum: Int = 1) throws -> Int {
        guard let argument = bound[name] else {
            throw error("'\(item.name)' needs the argument '\(name)'", at: item.range)
        }
        return try integer(argument, name: name, minimum: minimum)
    }

    /// An optional integer argument of at least `minimum`.
    public func integer(_ name: String, default value: Int, minimum: Int = 0) throws -> Int {
        guard let argument = bound[name] else { return value }
        return try integer(argument, name: name, minimum: minimum)
    }

    /// An optional degree argument, from 1 to `ArchitectureLimits.maximumDegree`.
    public func degree(_ name: String = "deg", default value: Int) throws -> Int {
        let degree = try integer(name, default: value, minimum: 1)
        guard degree <= ArchitectureLimits.maximumDegree else {
            throw error("'\(name)' must be at most \(ArchitectureLimits.maximumDegree), not \(degree)", argument: name)
        }
        return degree
    }

    /// An optional real-number argument.
    public func number(_ name: String, default value: Double) throws -> Double {
        guard let argument = bound[name] else { return value }
        guard let number = Double(argument.value), number.isFinite else {
            throw error("'\(name)' must be a finite number, not '\(argument.value)'", at: argument.range)
        }
        return number
    }

    /// An optional argument that must be one of `choices`.
    public func choice(_ name: String, default value: String, from choices: [String]) throws -> String {
        guard let argument = bound[name] else { return value }
        guard choices.contains(argument.value) else {
            throw error("'\(name)' must be one of \(choices.joined(separator: ", ")), not '\(argument.value)'",
                        at: argument.range)
        }
        return argument.value
    }

    /// An error underlining this item (or the named argument when given).
    public func error(_ message: String, argument name: String? = nil) -> ArchitectureError {
        error(message, at: name.flatMap { bound[$0]?.range } ?? item.range)
    }

    private func integer(_ argument: Architecture.Argument, name: String, minimum: Int) throws -> Int {
        guard let value = Int(argument.value) else {
            throw error("'\(name)' must be an integer, not '\(argument.value)'", at: argument.range)
        }
        guard value >= minimum else {
            throw error("'\(name)' must be at least \(minimum), not \(value)", at: argument.range)
        }
        return value
    }

    private func error(_ message: String, at range: Range<Int>) -> ArchitectureError {
        ArchitectureError(message, in: text, at: range)
    }
}
