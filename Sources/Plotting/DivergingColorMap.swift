import Foundation

/// A diverging colour map (ColorBrewer's red–blue): negative values blue, zero white,
/// positive values red, symmetric about zero so that signs read at a glance.
public struct DivergingColorMap: Sendable {
    /// The magnitude drawn at full colour; values beyond it saturate.
    public var scale: Double

    /// A map with ±`scale` at the ends of the colour range.
    public init(scale: Double) {
        precondition(scale > 0 && scale.isFinite, "Colour scale must be positive and finite, got \(scale)")
        self.scale = scale
    }

    private static let stops: [(position: Double, color: RGBImage.Color)] = [
        (-1.0, .init(red: 5, green: 48, blue: 97)), (-0.5, .init(red: 67, green: 147, blue: 195)),
        (0.0, .init(red: 247, green: 247, blue: 247)),
        (0.5, .init(red: 214, green: 96, blue: 77)), (1.0, .init(red: 103, green: 0, blue: 31)),
    ]

    /// The colour of `value` (NaN draws grey).
    public func color(for value: Double) -> RGBImage.Color {
        guard !value.isNaN else { return .gray }
        let t = max(-1, min(1, value / scale))
        let upper = Self.stops.firstIndex { $0.position >= t } ?? Self.stops.count - 1
        let lower = max(upper - 1, 0)
        let (a, b) = (Self.stops[lower], Self.stops[upper])
        let fraction = upper == lower ? 0 : (t - a.position) / (b.position - a.position)
        func mix(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * fraction).rounded()) }
        return .init(red: mix(a.color.red, b.color.red), green: mix(a.color.green, b.color.green),
                     blue: mix(a.color.blue, b.color.blue))
    }

    /// The colour as `#rrggbb` for SVG.
    public func hex(for value: Double) -> String {
        let c = color(for: value)
        return "#" + [c.red, c.green, c.blue].map { String(format: "%02x", $0) }.joined()
    }
}
