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

@Suite("Logarithmic y-axis and vertical lines")
struct VerticalLineTests {
    /// The x1 coordinates of the chart's vertical marker lines, in drawing order.
    static func markerPositions(_ svg: String) -> [Double] {
        svg.components(separatedBy: "<line class=\"marker\" x1=\"").dropFirst()
            .compactMap { $0.components(separatedBy: "\"").first.flatMap(Double.init) }
    }

    /// Vertical lines sit where the x-axis maps their abscissae (the 700-pixel frame from 80
    /// to 780 spans [0, 12], reached by the line at 12), and powers of ten label a logarithmic
    /// y-axis. Coordinates are printed with "%.2f": within 0.005.
    @Test func linesSitAtTheirAbscissaeOnALogarithmicChart() {
        let chart = LineChart(title: "h", xLabel: "x", panels: [
            .init(yLabel: "count", series: [.steps(name: "h", edges: [0, 5, 10], counts: [1, 1000], color: "#000")],
                  verticalLines: [.init(x: 2, label: "a"), .init(x: 12, label: "b", dashed: true)]),
        ], logarithmicY: true)
        let svg = chart.svg()
        let positions = Self.markerPositions(svg)
        #expect(positions.count == 2)
        for (position, expected) in zip(positions, [80 + 2.0 / 12 * 700, 780]) { #expect(abs(position - expected) <= 0.005) }
        for label in [">1<", ">10<", ">100<", ">1000<"] { #expect(svg.contains(label)) }
        #expect(svg.contains(">a<") && svg.contains(">b<"))
    }

    /// `steps` holds each count across its bin.
    @Test func stepsHoldEachCountAcrossItsBin() {
        let series = LineChart.Series.steps(name: "h", edges: [0, 1, 3], counts: [4, 2], color: "#000")
        #expect(series.x == [0, 1, 1, 3])
        #expect(series.y == [4, 4, 2, 2])
    }
}
