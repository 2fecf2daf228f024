import Foundation
import Testing
@testable import PolyNetCommands

/// Convolutional networks through the commands: `eval` and `init-report` accept them, shapes
/// that do not fit are one-line errors naming the token.
@Suite("Convolutional networks in the commands")
struct ConvolutionCommandTests {
    @Test func evalAndInitReportAcceptConvolutionalNetworks() throws {
        let url = try PolyizeCommandTests.checkpoint("conv2d(1,3,k=5,stride=2,pad=1,size=28) hermite(deg=3) avgpool(2) flatten dense(108,10)")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        #expect(message(["eval", "--checkpoint", url.path, "--limit", "50"]) == "")
        #expect(message(["init-report", "--arch", "cryptonets", "--batch-size", "8"]) == "")
    }

    @Test(arguments: [
        ("conv2d(1,5,k=31,size=28)", "at 'k=31'"),
        ("conv2d(1,5,k=5,stride=0,size=28)", "at 'stride=0'"),
        ("conv2d(1,5,k=3,size=28) conv2d(4,2,k=3)", "takes 4 channels but the previous layer gives 5"),
    ])
    func badShapesAreOneLineErrors(_ architecture: String, _ expected: String) {
        let text = message(["init-report", "--arch", architecture])
        #expect(text.contains(expected) && !text.contains("\n"), "\(text)")
    }
}
