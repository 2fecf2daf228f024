import Foundation
import Testing
@testable import PolyNetCommands

/// Bad paths and values given to `polynet explain` give one line naming the path and the cause,
/// before any work and without creating anything.
@Suite("polynet explain input checks")
struct ExplainInputTests {
    @Test func outputAndRunPathsAreCheckedFirst() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-explain-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        #expect(message(["explain", "eigen", "--checkpoint", "x", "--out", file]) == "--out: \(file) is a regular file, not a folder")
        #expect(message(["explain", "eigen", "--checkpoint", "x", "--out", file + "/sub"]) == "--out: \(file) is a regular file, not a folder")
        #expect(message(["explain", "report", "--run", folder, "--out", "/dev/null/x"]) == "--out: /dev/null is a character device, not a folder")
        #expect(message(["explain", "complexity", "--run", folder + "/missing", "--out", folder + "/out"]) == "\(folder)/missing does not exist")
        #expect(message(["explain", "complexity", "--run", file, "--out", folder + "/out"]) == "\(file) is a regular file, not a folder")
        #expect(message(["explain", "complexity", "--run", folder, "--samples", "0"]) == "--samples must be at least 1")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
    }

    @Test(arguments: ["1e300", "nan", "inf", "1,,2", ",", "-1e4"])
    func magnitudesOutsideTheRangeAreRefused(magnitudes: String) {
        #expect(message(["explain", "eigen-attack", "--checkpoint", "x", "--magnitudes=\(magnitudes)"])
                == "--magnitudes must be comma-separated numbers in -1000...1000, got '\(magnitudes)'")
    }
}
