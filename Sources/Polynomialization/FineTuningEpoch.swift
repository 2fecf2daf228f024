import Training

/// One fine-tuning epoch as `metrics.jsonl` holds it: the trainer's metrics plus, per
/// polynomial in use, the share of test-set inputs outside its interval and the largest
/// excursion (keys `outside_share` and `largest_excursion`, by layer index), and the layers
/// replaced during the epoch.
public struct FineTuningEpoch: Sendable, Encodable {
    /// The epoch's training and test metrics.
    public var metrics: EpochMetrics
    /// The replaced nonlinearities' layer indices.
    public var replacedLayers: [Int]
    /// The test inputs outside each polynomial's interval.
    public var excursions: [NetworkComparison.Excursion]

    private enum CodingKeys: String, CodingKey {
        case replacedLayers = "replaced_layers", outsideShare = "outside_share", largestExcursion = "largest_excursion"
    }

    public func encode(to encoder: any Encoder) throws {
        try metrics.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(replacedLayers, forKey: .replacedLayers)
        try container.encode(Dictionary(uniqueKeysWithValues: excursions.map { (String($0.layerIndex), $0.outsideShare) }),
                             forKey: .outsideShare)
        try container.encode(Dictionary(uniqueKeysWithValues: excursions.map { (String($0.layerIndex), $0.largestExcursion) }),
                             forKey: .largestExcursion)
    }
}
