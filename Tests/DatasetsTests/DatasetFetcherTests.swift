import Datasets
import Foundation
import Testing

/// A manifest for the bundled MNIST label files served from a local directory: real bytes,
/// real checksums (computed independently with `sha256sum`, see Data/mnist/README.md).
private let mnistDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data/mnist", isDirectory: true)

private func manifest(testLabelsSHA: String) -> Dataset {
    Dataset(name: "local-mnist", source: mnistDirectory, files: [
        .init(name: "t10k-labels-idx1-ubyte.gz", sha256: testLabelsSHA),
        .init(name: "train-labels-idx1-ubyte.gz", sha256: "c51906e7929bbf7c824fbd16019b56297269ca82cba449c5b5d59c0a02147fed"),
    ], classNames: (0 ... 9).map(String.init))
}

private let testLabelsSHA = "4baf84ddd60ae342cfdd282ec3fba3249a201a4459782165496a7cbebbe49a2e"

@Suite("Dataset fetching with SHA-256 verification")
struct DatasetFetcherTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-fetch-\(UUID())")

    @Test func sha256MatchesTheStandardTestVector() {
        // FIPS 180-2 example: SHA-256("abc").
        #expect(DatasetFetcher.sha256(of: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func fetchesAndVerifiesFromALocalMirror() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        var lines = [String]()
        let directory = try DatasetFetcher.fetch(manifest(testLabelsSHA: testLabelsSHA), into: root) { lines.append($0) }
        let labels = try IDXArray(contentsOf: directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        #expect(labels.dimensions == [10_000])
        #expect(lines.filter { $0.contains("verified") }.count == 2)
        // A second fetch finds the verified files and downloads nothing.
        lines = []
        try DatasetFetcher.fetch(manifest(testLabelsSHA: testLabelsSHA), into: root) { lines.append($0) }
        #expect(lines.allSatisfy { $0.contains("already present") })
    }

    @Test func checksumMismatchThrowsAndWritesNothing() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let wrong = String(repeating: "0", count: 64)
        #expect(throws: FetchError.checksumMismatch(file: "t10k-labels-idx1-ubyte.gz", expected: wrong, actual: testLabelsSHA)) {
            try DatasetFetcher.fetch(manifest(testLabelsSHA: wrong), into: root)
        }
        let target = root.appendingPathComponent("local-mnist/t10k-labels-idx1-ubyte.gz")
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    @Test func unreachableSourceThrows() {
        defer { try? FileManager.default.removeItem(at: root) }
        #expect {
            try DatasetFetcher.fetch(manifest(testLabelsSHA: testLabelsSHA), into: root,
                                     mirror: URL(fileURLWithPath: "/nonexistent/mirror"))
        } throws: { error in
            if case .unreachable = error as? FetchError { return "\(error)".contains("fetch from a mirror") }
            return false
        }
    }
}
