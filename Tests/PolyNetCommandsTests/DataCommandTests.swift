import ArgumentParser
import Testing
@testable import PolyNetCommands

@Suite("polynet data and the command root")
struct DataCommandTests {
    @Test func dataInfoParsesAndRuns() throws {
        var command = try PolyNetCommand.parseAsRoot(["data", "info", "mnist"])
        try command.run()
    }

    @Test func unknownDataSetIsRejected() {
        #expect(throws: (any Error).self) { try PolyNetCommand.parseAsRoot(["data", "info", "cifar"]) }
    }

    @Test func missingDataDirectoryThrowsAnActionableError() throws {
        var command = try PolyNetCommand.parseAsRoot(["data", "info", "mnist", "--data-dir", "/nonexistent"])
        #expect {
            try command.run()
        } throws: { error in
            PolyNetCommand.message(for: error).contains("--data-dir")
        }
    }

    @Test func unknownOptionsAndSubcommandsAreRejected() {
        #expect(throws: (any Error).self) { try PolyNetCommand.parseAsRoot(["data", "info", "--frobnicate"]) }
        #expect(throws: (any Error).self) { try PolyNetCommand.parseAsRoot(["no-such-command"]) }
        #expect(throws: (any Error).self) { try PolyNetCommand.parseAsRoot(["bench", "gemm", "--threads", "0"]) }
    }
}
