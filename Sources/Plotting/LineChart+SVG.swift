import Foundation

// SVG rendering: each panel gets a frame, "nice" ticks (1, 2, 5 × 10^k) with grid lines and
// labels, its curves clipped to the frame, reference lines, and a legend in the top-right corner.

extension LineChart {
    private static let margin = (left: 80.0, right: 20.0, top: 40.0, bottom: 50.0, gap: 30.0)

    /// The chart as a standalone SVG document.
    public func svg() -> String {
        let m = Self.margin
        let plotWidth = width - m.left - m.right
        let height = m.top + Double(panels.count) * panelHeight + Double(max(panels.count - 1, 0)) * m.gap + m.bottom
        let allX = panels.flatMap { $0.series.flatMap(\.x) + $0.verticalLines.map(\.x) }.map(axisPosition).filter(\.isFinite)
        let xRange = Self.paddedRange(allX, pad: xPadding)
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Self.f(width))" height="\(Self.f(height))" \
        viewBox="0 0 \(Self.f(width)) \(Self.f(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(Self.f(width / 2))" y="24" text-anchor="middle" font-size="16">\(title.xmlEscaped)</text>

        """
        for (index, panel) in panels.enumerated() {
            let top = m.top + Double(index) * (panelHeight + m.gap)
            let frame = (x: m.left, y: top, width: plotWidth, height: panelHeight)
            out += renderPanel(panel, index: index, frame: frame, xRange: xRange, isLast: index == panels.count - 1)
        }
        out += "</svg>\n"
        return out
    }

    private func renderPanel(_ panel: Panel, index: Int, frame: (x: Double, y: Double, width: Double, height: Double),
                             xRange: ClosedRange<Double>, isLast: Bool) -> String {
        let values = (panel.series.flatMap(\.y) + panel.referenceLines.map(\.y)).map(axisHeight).filter(\.isFinite)
        let yRange = panel.yRange.map { axisHeight($0.lowerBound) ... axisHeight($0.upperBound) }
            ?? Self.paddedRange(values, pad: 0.05)
        let yTicks = logarithmicY
            ? (Int(ceil(yRange.lowerBound)) ... max(Int(ceil(yRange.lowerBound)), Int(floor(yRange.upperBound)))).map(Double.init)
            : Self.ticks(yRange)
        let sx = { (x: Double) in frame.x + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * frame.width }
        let xTicks = logarithmicX
            ? (Int(ceil(xRange.lowerBound)) ... max(Int(ceil(xRange.lowerBound)), Int(floor(xRange.upperBound)))).map(Double.init)
            : Self.ticks(xRange)
        let sy = { (y: Double) in frame.y + frame.height - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * frame.height }
        let clip = "\(clipIdentifierPrefix)-\(index)"
        var out = "<clipPath id=\"\(clip)\"><rect x=\"\(Self.f(frame.x))\" y=\"\(Self.f(frame.y))\" width=\"\(Self.f(frame.width))\" height=\"\(Self.f(frame.height))\"/></clipPath>\n"
        // Grid and tick labels.
        for tick in yTicks {
            let y = sy(tick)
            out += "<line x1=\"\(Self.f(frame.x))\" y1=\"\(Self.f(y))\" x2=\"\(Self.f(frame.x + frame.width))\" y2=\"\(Self.f(y))\" stroke=\"#e0e0e0\"/>\n"
            out += "<text x=\"\(Self.f(frame.x - 6))\" y=\"\(Self.f(y + 4))\" text-anchor=\"end\">\(Self.label(logarithmicY ? pow(10, tick) : tick))</text>\n"
        }
        for tick in xTicks {
            let x = sx(tick)
            out += "<line x1=\"\(Self.f(x))\" y1=\"\(Self.f(frame.y))\" x2=\"\(Self.f(x))\" y2=\"\(Self.f(frame.y + frame.height))\" stroke=\"#e0e0e0\"/>\n"
            if isLast {
                out += "<text x=\"\(Self.f(x))\" y=\"\(Self.f(frame.y + frame.height + 18))\" text-anchor=\"middle\">\(Self.label(logarithmicX ? pow(10, tick) : tick))</text>\n"
            }
        }
        if !logarithmicY, yRange.contains(0) {
            out += "<line x1=\"\(Self.f(frame.x))\" y1=\"\(Self.f(sy(0)))\" x2=\"\(Self.f(frame.x + frame.width))\" y2=\"\(Self.f(sy(0)))\" stroke=\"#808080\"/>\n"
        }
        out += "<rect x=\"\(Self.f(frame.x))\" y=\"\(Self.f(frame.y))\" width=\"\(Self.f(frame.width))\" height=\"\(Self.f(frame.height))\" fill=\"none\" stroke=\"black\"/>\n"
        // Axis labels.
        let middle = frame.y + frame.height / 2
        out += "<text x=\"18\" y=\"\(Self.f(middle))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(Self.f(middle)))\">\(panel.yLabel.xmlEscaped)</text>\n"
        if isLast {
            out += "<text x=\"\(Self.f(frame.x + frame.width / 2))\" y=\"\(Self.f(frame.y + frame.height + 40))\" text-anchor=\"middle\">\(xLabel.xmlEscaped)</text>\n"
        }
        // Curves and reference lines.
        for line in panel.referenceLines {
            out += "<line x1=\"\(Self.f(frame.x))\" y1=\"\(Self.f(sy(axisHeight(line.y))))\" x2=\"\(Self.f(frame.x + frame.width))\" y2=\"\(Self.f(sy(axisHeight(line.y))))\" stroke=\"#2ca02c\" stroke-dasharray=\"2 3\" clip-path=\"url(#\(clip))\"/>\n"
        }
        for line in panel.verticalLines {
            let x = axisPosition(line.x)
            guard x.isFinite else { continue }
            let dash = line.dashed ? " stroke-dasharray=\"6 4\"" : ""
            out += "<line class=\"marker\" x1=\"\(Self.f(sx(x)))\" y1=\"\(Self.f(frame.y))\" x2=\"\(Self.f(sx(x)))\" y2=\"\(Self.f(frame.y + frame.height))\" stroke=\"\(line.color)\" stroke-width=\"1.5\"\(dash)/>\n"
        }
        for series in panel.series {
            var path = "", pen = false
            for (x, y) in zip(series.x.map(axisPosition), series.y.map(axisHeight)) {
                guard x.isFinite, y.isFinite else { pen = false; continue }
                // Keep far-off points finite for the renderer; the clip path hides them.
                let py = min(max(sy(y), frame.y - 10 * frame.height), frame.y + 11 * frame.height)
                path += "\(pen ? "L" : "M")\(Self.f(sx(x))) \(Self.f(py)) "
                pen = true
            }
            let dash = series.dashed ? " stroke-dasharray=\"6 4\"" : ""
            out += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(series.color)\" stroke-width=\"1.8\"\(dash) clip-path=\"url(#\(clip))\"/>\n"
        }
        // Legend.
        var entries = panel.series.map { ($0.name, $0.color, $0.dashed ? "6 4" : "") }
        for label in Set(panel.referenceLines.map(\.label)).sorted() { entries.append((label, "#2ca02c", "2 3")) }
        var markerLabels = Set<String>()
        for line in panel.verticalLines where markerLabels.insert(line.label).inserted {
            entries.append((line.label, line.color, line.dashed ? "6 4" : ""))
        }
        let legendWidth = 24 + 7.0 * Double(entries.map(\.0.count).max() ?? 0)
        let legendHeight = Double(entries.count) * 18 + 6
        let legendX = panel.legendCorner == .bottomLeft ? frame.x + 10 : frame.x + frame.width - legendWidth - 10
        let legendY = panel.legendCorner == .topRight ? frame.y + 8 : frame.y + frame.height - legendHeight - 8
        out += "<rect x=\"\(Self.f(legendX))\" y=\"\(Self.f(legendY))\" width=\"\(Self.f(legendWidth))\" height=\"\(Self.f(Double(entries.count) * 18 + 6))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#c0c0c0\"/>\n"
        for (i, entry) in entries.enumerated() {
            let y = legendY + 14 + Double(i) * 18
            let dash = entry.2.isEmpty ? "" : " stroke-dasharray=\"\(entry.2)\""
            out += "<line x1=\"\(Self.f(legendX + 6))\" y1=\"\(Self.f(y - 4))\" x2=\"\(Self.f(legendX + 22))\" y2=\"\(Self.f(y - 4))\" stroke=\"\(entry.1)\" stroke-width=\"2\"\(dash)/>\n"
            out += "<text x=\"\(Self.f(legendX + 26))\" y=\"\(Self.f(y))\">\(entry.0.xmlEscaped)</text>\n"
        }
        return out
    }

    /// A prefix for clip-path ids that differs between charts, so that several charts inlined
    /// in one HTML page do not resolve each other's clip paths (ids are page-global).
    var clipIdentifierPrefix: String {
        var hash: UInt64 = 0xcbf29ce484222325  // FNV-1a over the title and series names
        for byte in (title + panels.flatMap { $0.series.map(\.name) }.joined()).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100000001b3
        }
        return "clip" + String(hash, radix: 36)
    }

    /// min…max of the values, widened by `pad` of the span (a unit span around a constant).
    static func paddedRange(_ values: [Double], pad: Double) -> ClosedRange<Double> {
        guard let low = values.min(), let high = values.max() else { return 0 ... 1 }
        if high - low <= 1e-300 * max(1, abs(low)) { return low - 1 ... high + 1 }
        let extra = (high - low) * pad
        return low - extra ... high + extra
    }

    /// Ticks at multiples of 1, 2 or 5 × 10^k, about six across the range.
    static func ticks(_ range: ClosedRange<Double>) -> [Double] {
        let span = range.upperBound - range.lowerBound
        let raw = span / 6
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks = [Double]()
        var t = ceil(range.lowerBound / step) * step
        while t <= range.upperBound + step * 1e-9 {
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return ticks
    }

    private static func label(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e5) { return String(format: "%.1e", value) }
        return String(format: "%g", value)
    }

    private static func f(_ value: Double) -> String { String(format: "%.2f", value) }
}
