import Foundation
import Testing

/// Every Swift code block of the documentation catalog (Sources/PolyNet/PolyNet.docc) appears,
/// line for line, in this test target, where it is compiled and run: the articles cannot drift
/// from code that works. Indentation, blank lines and `import` lines are ignored.
@Suite("Article code is tested")
struct ArticleCodeTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func normalized(_ text: Substring) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("import ") }
    }

    static func files(under folder: String, ending suffix: String) throws -> [URL] {
        let root = repositoryRoot.appendingPathComponent(folder)
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter { $0.path.hasSuffix(suffix) }.sorted { $0.path < $1.path }
    }

    /// The ```swift blocks of a Markdown file.
    static func swiftBlocks(in markdown: String) -> [Substring] {
        var blocks = [Substring](), current: [Substring]? = nil
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current == nil, trimmed == "```swift" {
                current = []
            } else if current != nil, trimmed == "```" {
                blocks.append(Substring(current!.joined(separator: "\n")))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test func everySwiftBlockIsInTheTests() throws {
        let articles = try Self.files(under: "Sources/PolyNet/PolyNet.docc", ending: ".md")
        let tests = try Self.files(under: "Tests/DocumentationTests", ending: ".swift")
        let testLines = try tests.flatMap { Self.normalized(Substring(try String(contentsOf: $0, encoding: .utf8))) }
        let testText = "\n" + testLines.joined(separator: "\n") + "\n"
        var blockCount = 0
        for article in articles {
            for block in Self.swiftBlocks(in: try String(contentsOf: article, encoding: .utf8)) {
                let lines = Self.normalized(block)
                guard !lines.isEmpty else { continue }
                blockCount += 1
                #expect(testText.contains("\n" + lines.joined(separator: "\n") + "\n"),
                        "\(article.lastPathComponent): block starting '\(lines[0])' is not in Tests/DocumentationTests")
            }
        }
        #expect(articles.count >= 6, "articles found: \(articles.map(\.lastPathComponent))")
        #expect(blockCount >= 10)
    }
}
