import Foundation
import LinearAlgebra
import Plotting
import Testing

private func randomImage(width: Int, height: Int, seed: UInt64) -> RGBImage {
    var generator = SeededGenerator(seed: seed)
    return RGBImage(width: width, height: height,
                    bytes: (0 ..< width * height * 3).map { _ in UInt8.random(in: 0 ... 255, using: &generator) })
}

@Suite("PNG writer and reader")
struct PNGTests {
    @Test func roundTripsRandomImages() throws {
        for (width, height) in [(1, 1), (28, 28), (97, 13)] {
            let image = randomImage(width: width, height: height, seed: UInt64(width))
            #expect(try PNGCodec.decode(PNGCodec.encode(image)) == image)
        }
    }

    @Test func layoutIsSignatureIHDRIDATIEND() {
        let bytes = PNGCodec.encode(RGBImage(width: 3, height: 2))
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(String(decoding: bytes[12 ..< 16], as: UTF8.self) == "IHDR")
        #expect(String(decoding: bytes[37 ..< 41], as: UTF8.self) == "IDAT")
        // Every PNG ends with the same IEND chunk: length 0, "IEND", CRC-32 AE 42 60 82 (a
        // published constant, so zlib's CRC is checked against an independent value).
        #expect(Array(bytes.suffix(12)) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
    }

    @Test func corruptionIsDetected() {
        var bytes = PNGCodec.encode(randomImage(width: 8, height: 8, seed: 3))
        bytes[45] ^= 0xFF  // inside the IDAT data
        #expect(throws: PNGError.badCRC(type: "IDAT")) { try PNGCodec.decode(bytes) }
        #expect(throws: PNGError.badSignature) { try PNGCodec.decode([1, 2, 3]) }
        let good = PNGCodec.encode(randomImage(width: 8, height: 8, seed: 3))
        for length in stride(from: 0, to: good.count, by: 5) {
            #expect(throws: PNGError.self) { try PNGCodec.decode(Array(good.prefix(length))) }
        }
    }
}

@Suite("Diverging colour map and image grids")
struct ImageGridTests {
    @Test func colorMapIsSymmetricAndSaturates() {
        let map = DivergingColorMap(scale: 2)
        #expect(map.color(for: 0) == .init(red: 247, green: 247, blue: 247))
        #expect(map.color(for: 2) == .init(red: 103, green: 0, blue: 31))
        #expect(map.color(for: 50) == map.color(for: 2))
        #expect(map.color(for: -2) == .init(red: 5, green: 48, blue: 97))
        #expect(map.color(for: .nan) == .gray)
        #expect(map.hex(for: 0) == "#f7f7f7")
    }

    @Test func tilesArePaintedWithTheSharedScale() throws {
        var grid = ImageGrid(title: "t", pixelSize: 2)
        let values = (0 ..< 16).map { Double($0) - 8 }  // −8 … 7
        grid.append(row: "a", tiles: [.init(values: values, rows: 4, columns: 4, caption: "x")])
        grid.append(row: "b", tiles: [.init(values: values.map { $0 / 2 }, rows: 4, columns: 4)])
        #expect(grid.effectiveScale == 8)
        let image = grid.image()
        let decoded = try PNGCodec.decode(PNGCodec.encode(image))
        #expect(decoded == image)
        let map = DivergingColorMap(scale: 8)
        // Find the first tile's top-left pixel: the most negative value, full blue.
        let blue = map.color(for: -8)
        var found = false
        for y in 0 ..< image.height where !found {
            for x in 0 ..< image.width where image[x, y] == blue {
                found = true
                #expect(image[x + 1, y + 1] == blue)  // 2×2 screen pixels per value
                #expect(image[x + 2, y] == map.color(for: -7))
                break
            }
        }
        #expect(found)
        // Text wider than the image is clipped, never a crash; a long title widens the image.
        var clipped = image
        clipped.draw("far outside", x: image.width + 50, y: -40)
        #expect(clipped == image)
        var wide = grid
        wide.title = String(repeating: "W", count: 120)
        #expect(wide.image().width >= 120 * 12)
        let svg = grid.svg()
        #expect(svg.hasPrefix("<svg") && svg.contains("data:image/png;base64,") && svg.contains(">a</text>"))
    }
}
