import Foundation

/// A labelled grid of small heat-map images on one shared, symmetric colour scale, with a
/// colour bar: how eigenvectors and weight rows of an MNIST model are shown as pictures.
///
/// ```swift
/// var grid = ImageGrid(title: "Top eigenvectors of Q_o")
/// grid.append(row: "digit 3", tiles: [.init(values: v, rows: 28, columns: 28, caption: "λ=0.41")])
/// try Data(PNGCodec.encode(grid.image())).write(to: url)   // or grid.svg()
/// ```
public struct ImageGrid: Sendable {
    /// One heat map: row-major values and a caption drawn under it.
    public struct Tile: Sendable {
        /// The pixel values, row-major.
        public var values: [Double]
        /// The image height in pixels.
        public var rows: Int
        /// The image width in pixels.
        public var columns: Int
        /// The text under the image.
        public var caption: String

        /// A tile; see the properties.
        public init(values: [Double], rows: Int, columns: Int, caption: String = "") {
            precondition(values.count == rows * columns, "\(values.count) values do not fill a \(rows)×\(columns) tile")
            self.values = values
            self.rows = rows
            self.columns = columns
            self.caption = caption
        }
    }

    /// The heading drawn above the grid.
    public var title: String
    /// Grid rows: a label drawn at the left and the tiles.
    public private(set) var gridRows: [(label: String, tiles: [Tile])] = []
    /// The magnitude drawn at full colour; by default the largest |value| of any tile.
    public var scale: Double?
    /// Screen pixels per tile pixel.
    public var pixelSize: Int

    /// An empty grid; see the properties.
    public init(title: String, scale: Double? = nil, pixelSize: Int = 3) {
        self.title = title
        self.scale = scale
        self.pixelSize = pixelSize
    }

    /// Adds a row of tiles under a label.
    public mutating func append(row label: String, tiles: [Tile]) {
        gridRows.append((label, tiles))
    }

    /// The shared colour scale in use.
    public var effectiveScale: Double {
        if let scale { return scale }
        let largest = gridRows.flatMap { $0.tiles.flatMap(\.values) }.filter(\.isFinite).map(abs).max() ?? 1
        return largest > 0 ? largest : 1
    }

    private struct Layout {
        var margin = 12, gap = 8, titleHeight = 24, captionHeight = 14, labelWidth: Int
        var tileWidth: Int, tileHeight: Int, columns: Int, rows: Int, barWidth = 14, barLabelWidth = 60

        var gridLeft: Int { margin + labelWidth + gap }
        var gridTop: Int { margin + titleHeight }
        var cellWidth: Int { tileWidth + gap }
        var cellHeight: Int { tileHeight + captionHeight + gap }
        var barLeft: Int { gridLeft + columns * cellWidth + gap }
        var titleWidth: Int
        var width: Int { max(barLeft + barWidth + barLabelWidth, margin + titleWidth) + margin }
        var height: Int { gridTop + max(rows * cellHeight, 120) + margin }
        var barHeight: Int { max(rows * cellHeight - gap, 100) }
    }

    private var layout: Layout {
        let tiles = gridRows.flatMap(\.tiles)
        let tileRows = tiles.map(\.rows).max() ?? 1, tileColumns = tiles.map(\.columns).max() ?? 1
        let captionWidth = (tiles.map { BitmapFont.width(of: $0.caption) }.max() ?? 0)
        return Layout(labelWidth: (gridRows.map { BitmapFont.width(of: $0.label) }.max() ?? 0) * 2,
                      tileWidth: max(tileColumns * pixelSize, captionWidth), tileHeight: tileRows * pixelSize,
                      columns: gridRows.map(\.tiles.count).max() ?? 0, rows: gridRows.count,
                      titleWidth: BitmapFont.width(of: title) * 2)
    }

    private static func scaleLabels(_ scale: Double) -> [(fraction: Double, text: String)] {
        [(0, "+" + format(scale)), (0.5, "0"), (1, "-" + format(scale))]
    }

    static func format(_ value: Double) -> String { String(format: "%.3g", value) }

    /// The grid as a raster image (write it with `PNGCodec.encode`).
    public func image() -> RGBImage {
        let l = layout
        let scale = effectiveScale
        let map = DivergingColorMap(scale: scale)
        var image = RGBImage(width: l.width, height: l.height)
        image.draw(title, x: l.margin, y: l.margin, scale: 2)
        for (r, row) in gridRows.enumerated() {
            let top = l.gridTop + r * l.cellHeight
            image.draw(row.label, x: l.margin, y: top + l.tileHeight / 2 - 7, scale: 2)
            for (c, tile) in row.tiles.enumerated() {
                let left = l.gridLeft + c * l.cellWidth
                for i in 0 ..< tile.rows {
                    for j in 0 ..< tile.columns {
                        image.fill(x: left + j * pixelSize, y: top + i * pixelSize, width: pixelSize, height: pixelSize,
                                   with: map.color(for: tile.values[i * tile.columns + j]))
                    }
                }
                image.strokeRectangle(x: left - 1, y: top - 1, width: tile.columns * pixelSize + 2,
                                      height: tile.rows * pixelSize + 2, with: .gray)
                image.draw(tile.caption, x: left, y: top + l.tileHeight + 4, scale: 1)
            }
        }
        for y in 0 ..< l.barHeight {
            let value = scale * (1 - 2 * Double(y) / Double(max(l.barHeight - 1, 1)))
            image.fill(x: l.barLeft, y: l.gridTop + y, width: l.barWidth, height: 1, with: map.color(for: value))
        }
        image.strokeRectangle(x: l.barLeft - 1, y: l.gridTop - 1, width: l.barWidth + 2, height: l.barHeight + 2, with: .gray)
        for (fraction, text) in Self.scaleLabels(scale) {
            let y = l.gridTop + Int(fraction * Double(l.barHeight - 1))
            image.fill(x: l.barLeft + l.barWidth, y: y, width: 4, height: 1, with: .black)
            image.draw(text, x: l.barLeft + l.barWidth + 6, y: min(max(y - 3, l.gridTop - 3), l.height - 10), scale: 1)
        }
        return image
    }

    /// The grid as a self-contained SVG: tiles are embedded PNGs drawn pixelated, text is text.
    public func svg() -> String {
        let l = layout
        let scale = effectiveScale
        let map = DivergingColorMap(scale: scale)
        var body = [String]()
        body.append(##"<text x="\##(l.margin)" y="\##(l.margin + 14)" font-size="16" font-weight="bold">\##(title.xmlEscaped)</text>"##)
        for (r, row) in gridRows.enumerated() {
            let top = l.gridTop + r * l.cellHeight
            body.append(##"<text x="\##(l.margin)" y="\##(top + l.tileHeight / 2 + 5)" font-size="14">\##(row.label.xmlEscaped)</text>"##)
            for (c, tile) in row.tiles.enumerated() {
                let left = l.gridLeft + c * l.cellWidth
                var tileImage = RGBImage(width: tile.columns, height: tile.rows)
                for i in 0 ..< tile.rows {
                    for j in 0 ..< tile.columns { tileImage[j, i] = map.color(for: tile.values[i * tile.columns + j]) }
                }
                let data = Data(PNGCodec.encode(tileImage)).base64EncodedString()
                body.append(##"<image x="\##(left)" y="\##(top)" width="\##(tile.columns * pixelSize)" height="\##(tile.rows * pixelSize)" style="image-rendering:pixelated" href="data:image/png;base64,\##(data)"/>"##)
                body.append(##"<rect x="\##(left)" y="\##(top)" width="\##(tile.columns * pixelSize)" height="\##(tile.rows * pixelSize)" fill="none" stroke="#888"/>"##)
                body.append(##"<text x="\##(left)" y="\##(top + l.tileHeight + 11)" font-size="10">\##(tile.caption.xmlEscaped)</text>"##)
            }
        }
        let stops = stride(from: 0.0, through: 1.0, by: 0.125).map {
            ##"<stop offset="\##($0)" stop-color="\##(map.hex(for: scale * (1 - 2 * $0)))"/>"##
        }
        body.append(##"<defs><linearGradient id="bar" x1="0" y1="0" x2="0" y2="1">\##(stops.joined())</linearGradient></defs>"##)
        body.append(##"<rect x="\##(l.barLeft)" y="\##(l.gridTop)" width="\##(l.barWidth)" height="\##(l.barHeight)" fill="url(#bar)" stroke="#888"/>"##)
        for (fraction, text) in Self.scaleLabels(scale) {
            let y = l.gridTop + Int(fraction * Double(l.barHeight))
            body.append(##"<text x="\##(l.barLeft + l.barWidth + 5)" y="\##(y + 4)" font-size="11">\##(text)</text>"##)
        }
        return ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(l.width)" height="\##(l.height)" viewBox="0 0 \##(l.width) \##(l.height)" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>"##
            + body.joined(separator: "\n") + "</svg>\n"
    }
}
