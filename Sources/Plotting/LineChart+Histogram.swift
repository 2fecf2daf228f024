extension LineChart.Series {
    /// A histogram as a step curve: `counts[k]` held from `edges[k]` to `edges[k + 1]`.
    ///
    /// On a logarithmic y-axis an empty bin breaks the curve.
    /// - Precondition: `edges.count == counts.count + 1`.
    public static func steps(name: String, edges: [Double], counts: [Double], color: String) -> Self {
        precondition(edges.count == counts.count + 1, "Histogram \(name): \(edges.count) edges for \(counts.count) bins")
        var x = [Double](), y = [Double]()
        x.reserveCapacity(2 * counts.count)
        y.reserveCapacity(2 * counts.count)
        for (bin, count) in counts.enumerated() {
            x += [edges[bin], edges[bin + 1]]
            y += [count, count]
        }
        return .init(name: name, x: x, y: y, color: color)
    }
}
