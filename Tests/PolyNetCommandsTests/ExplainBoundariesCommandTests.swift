import Foundation
import Plotting
import Testing
@testable import PolyNetCommands

@Suite("polynet explain boundaries")
struct ExplainBoundariesCommandTests {
    /// A small run writes one PNG with a panel per activation (the image decodes, and its width
    /// holds two 160 × 2-pixel panels); bad activations are refused before any training.
    @Test func writesOnePanelPerActivation() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-boundaries-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(message(["explain", "boundaries", "--activations", "relu", "hermite(deg=3)", "--points", "60", "--epochs", "2",
                         "--hidden", "4", "--out", folder]) == "")
        let image = try PNGCodec.decode(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/boundaries.png"))))
        #expect(image.width == 12 + 2 * (320 + 12))
        #expect(message(["explain", "boundaries", "--activations", "nonsense"]).hasPrefix("--activations: 'nonsense': "))
        #expect(message(["explain", "boundaries", "--points", "1"]) == "--points must be in 2...100000, got 1")
    }
}
