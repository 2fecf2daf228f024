/// An 8-bit RGB raster, row-major, top row first: what the PNG encoder writes.
public struct RGBImage: Sendable, Equatable {
    /// An sRGB colour.
    public struct Color: Sendable, Equatable {
        /// The red, green and blue intensities, 0…255.
        public var red: UInt8, green: UInt8, blue: UInt8

        /// A colour from its intensities.
        public init(red: UInt8, green: UInt8, blue: UInt8) {
            self.red = red
            self.green = green
            self.blue = blue
        }

        /// White.
        public static let white = Color(red: 255, green: 255, blue: 255)
        /// Black.
        public static let black = Color(red: 0, green: 0, blue: 0)
        /// Middle gray.
        public static let gray = Color(red: 128, green: 128, blue: 128)
    }

    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Three bytes (R, G, B) per pixel, row-major.
    public private(set) var bytes: [UInt8]

    /// An image filled with `background`.
    public init(width: Int, height: Int, background: Color = .white) {
        precondition(width > 0 && height > 0, "Image size \(width)×\(height) must be positive")
        self.width = width
        self.height = height
        bytes = [UInt8](repeating: 0, count: width * height * 3)
        fill(x: 0, y: 0, width: width, height: height, with: background)
    }

    /// An image from raw RGB bytes.
    public init(width: Int, height: Int, bytes: [UInt8]) {
        precondition(width > 0 && height > 0 && bytes.count == width * height * 3,
                     "\(bytes.count) bytes do not make a \(width)×\(height) RGB image")
        self.width = width
        self.height = height
        self.bytes = bytes
    }

    /// The colour at (x, y).
    public subscript(x: Int, y: Int) -> Color {
        get {
            let offset = (y * width + x) * 3
            return Color(red: bytes[offset], green: bytes[offset + 1], blue: bytes[offset + 2])
        }
        set {
            guard x >= 0, x < width, y >= 0, y < height else { return }  // drawing clips
            let offset = (y * width + x) * 3
            bytes[offset] = newValue.red
            bytes[offset + 1] = newValue.green
            bytes[offset + 2] = newValue.blue
        }
    }

    /// Fills a rectangle (clipped to the image).
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, with color: Color) {
        let (left, right) = (max(x, 0), min(x + w, width))
        let (top, bottom) = (max(y, 0), min(y + h, height))
        guard left < right, top < bottom else { return }
        for row in top ..< bottom {
            for column in left ..< right { self[column, row] = color }
        }
    }

    /// Draws a one-pixel rectangle outline.
    public mutating func strokeRectangle(x: Int, y: Int, width w: Int, height h: Int, with color: Color) {
        fill(x: x, y: y, width: w, height: 1, with: color)
        fill(x: x, y: y + h - 1, width: w, height: 1, with: color)
        fill(x: x, y: y, width: 1, height: h, with: color)
        fill(x: x + w - 1, y: y, width: 1, height: h, with: color)
    }

    /// Draws `text` with its top-left corner at (x, y) in the built-in 5×7 font, each font
    /// pixel `scale` pixels wide.
    public mutating func draw(_ text: String, x: Int, y: Int, scale: Int = 2, color: Color = .black) {
        var cursor = x
        for character in text {
            let rows = BitmapFont.glyph(for: character)
            for (rowIndex, bits) in rows.enumerated() {
                for column in 0 ..< 5 where bits & (0x10 >> column) != 0 {
                    fill(x: cursor + column * scale, y: y + rowIndex * scale, width: scale, height: scale, with: color)
                }
            }
            cursor += BitmapFont.advance * scale
        }
    }
}
