import Plotting
import Testing

@Suite("Logarithmic x-axis")
struct LogarithmicAxisTests {
    @Test func powersOfTenAreEvenlySpacedAndLabelled() throws {
        let chart = LineChart(title: "t", xLabel: "step", panels: [
            .init(yLabel: "y", series: [.init(name: "s", x: [1, 10, 100, 1000], y: [0, 1, 2, 3], color: "#000")]),
        ], logarithmicX: true)
        let svg = chart.svg()
        for label in [">1<", ">10<", ">100<", ">1000<"] { #expect(svg.contains(label)) }
        // The path's x coordinates: equal steps for equal ratios.
        let path = try #require(svg.components(separatedBy: "<path d=\"").dropFirst().first?.components(separatedBy: "\"").first)
        let xs = path.split(separator: " ").enumerated().filter { $0.offset % 2 == 0 }
            .compactMap { Double($0.element.dropFirst()) }
        #expect(xs.count == 4)
        let gaps = zip(xs.dropFirst(), xs).map { $0 - $1 }
        // Each coordinate is printed with "%.2f", within 0.005 of the computed one, and a
        // difference of two gaps involves four printed coordinates (x₃ − x₂ − x₁ + x₀, or
        // x₂ − 2x₁ + x₀): 0.02. The exact gaps are equal; log10 (libm, within a few ulps of
        // values ≤ 3) and the affine map to a chart ≲ 10⁴ wide add well under 1e-9.
        #expect(gaps.allSatisfy { abs($0 - gaps[0]) <= 0.02 + 1e-9 })
    }
}

@Suite("Charts inlined together")
struct ChartIdentifierTests {
    @Test func differentChartsUseDifferentClipPathIdentifiers() {
        func clipIDs(_ title: String) -> Set<String> {
            let svg = LineChart(title: title, xLabel: "x", panels: [
                .init(yLabel: "y", series: [.init(name: "s", x: [0, 1], y: [0, 1], color: "#000")]),
            ]).svg()
            return Set(svg.components(separatedBy: "clipPath id=\"").dropFirst().compactMap { $0.components(separatedBy: "\"").first })
        }
        let first = clipIDs("one"), second = clipIDs("two")
        #expect(!first.isEmpty && first.isDisjoint(with: second))
    }
}
