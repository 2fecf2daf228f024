import RealModule

/// How the learning rate changes over training, as a factor of the base rate.
public enum LearningRateSchedule: Sendable, Codable, Equatable, CustomStringConvertible {
    /// The base rate throughout.
    case constant
    /// Cosine annealing from the base rate to 0 over the whole run (`CosineAnnealingLR`
    /// with T_max = total steps): factor ½(1 + cos(π·step/total)).
    case cosine
    /// Multiply by `factor` every `epochs` epochs (`StepLR`).
    case step(epochs: Int, factor: Double)

    /// Parses `constant`, `cosine` or `step:EPOCHS:FACTOR` (e.g. `step:2:0.5`).
    public init?(parsing text: String) {
        let parts = text.split(separator: ":").map(String.init)
        switch parts.first {
        case "constant" where parts.count == 1: self = .constant
        case "cosine" where parts.count == 1: self = .cosine
        case "step" where parts.count == 3:
            guard let epochs = Int(parts[1]), epochs > 0, let factor = Double(parts[2]), factor > 0, factor.isFinite
            else { return nil }
            self = .step(epochs: epochs, factor: factor)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .constant: return "constant"
        case .cosine: return "cosine"
        case let .step(epochs, factor): return "step:\(epochs):\(factor)"
        }
    }

    /// The factor for optimizer step `step` (0-based) of `totalSteps`, with `stepsPerEpoch`.
    public func factor(step: Int, stepsPerEpoch: Int, totalSteps: Int) -> Double {
        switch self {
        case .constant:
            return 1
        case .cosine:
            return (1 + Double.cos(Double.pi * Double(step) / Double(max(totalSteps, 1)))) / 2
        case let .step(epochs, factor):
            // A period beyond Int.max steps is never reached: the factor stays 1.
            let (period, overflow) = stepsPerEpoch.multipliedReportingOverflow(by: epochs)
            return overflow ? 1 : Double.pow(factor, Double(step / max(period, 1)))
        }
    }
}

extension LearningRateSchedule {
    /// Encoded as its text form (`"cosine"`, `"step:2:0.5"`), as the CLI accepts it.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let schedule = LearningRateSchedule(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown schedule '\(text)'")
        }
        self = schedule
    }
}
