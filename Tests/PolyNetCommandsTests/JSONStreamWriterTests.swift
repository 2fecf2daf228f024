import Foundation
import LinearAlgebra
import NeuralNetworks
import PolynomialConversion
import Testing
@testable import PolyNetCommands

@Suite("Streaming JSON")
struct JSONStreamWriterTests {
    /// Nesting, commas, escapes and non-finite numbers; chunks of ``JSONStreamWriter/chunkSize``
    /// bytes reach the sink before the end, and together form one document.
    @Test func writesValidJSONInChunks() throws {
        var chunks = [[UInt8]]()
        var output = JSONStreamWriter { chunks.append($0) }
        output.beginObject()
        output.key("a \"quoted\"\n\\key\u{1}")
        output.value([1.5, -0.0, .infinity, .nan, 1e-300, .leastNonzeroMagnitude])
        output.key("n")
        output.value(3)
        output.key("big")
        output.value((0 ..< 150_000).map { Double($0) / 7 })
        output.key("rows")
        output.rows([1, 2, 3, 4, 5, 6], columns: 3)
        output.endObject()
        output.flush()
        #expect(chunks.count > 1 && chunks.dropLast().allSatisfy { $0.count >= JSONStreamWriter.chunkSize })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(chunks.joined())) as? [String: Any])
        #expect(Set(object.keys) == ["a \"quoted\"\n\\key\u{1}", "n", "big", "rows"])
        let first = try #require(object["a \"quoted\"\n\\key\u{1}"] as? [Any])
        #expect(first.count == 6 && first[2] is NSNull && first[3] is NSNull)
        #expect(object["n"] as? Int == 3)
        #expect((object["rows"] as? [[Double]]) == [[1, 2, 3], [4, 5, 6]])
        // Foundation's reader on Linux rounds some decimal strings a few ulps off; the text
        // itself is Swift's shortest round-trip form.
        let big = try #require(object["big"] as? [Double])
        #expect(big.count == 150_000)
        let worst = big.enumerated().map { abs($1 - Double($0) / 7) / max($1, .leastNormalMagnitude) }.max() ?? 0
        #expect(worst <= 8 * Double.ulpOfOne)
        let text = String(decoding: chunks.joined(), as: UTF8.self)
        #expect(text.contains("[1.5,-0.0,null,null,1e-300,5e-324]"))
    }

    /// A conversion report written as JSON holds its explicit coefficients: every number of the
    /// quadratic term parses back to the value (Swift's shortest round-trip form, read back by
    /// Foundation within a few ulps).
    @Test func conversionReportRoundTrips() throws {
        var generator = SeededGenerator(seed: 5)
        let first = Dense<Double>(inputWidth: 6, outputWidth: 5, using: &generator)
        let second = Dense<Double>(inputWidth: 5, outputWidth: 3, using: &generator)
        let block = try FeedforwardBlock(dense: first, activation: ActivationLayer<Double>(.gelu), dense: second)
        let approximant = try PolynomialApproximant(of: block, degree: 2, under: .standard(6))
        let explicit = try approximant.explicitCoefficients(includingQuadratic: true)
        let report = ConvertReport(approximant: approximant, variance: try approximant.gaussianVariance(), explicit: explicit,
                                   distributionName: "standard")
        var bytes = [UInt8]()
        var output = JSONStreamWriter { bytes.append(contentsOf: $0) }
        try report.writeJSON(to: &output)
        output.flush()
        // The same JSON with the quadratic forms streamed one output at a time.
        var streamed = report
        (streamed.quadratic, streamed.streamedQuadratic) = (nil, approximant)
        var streamedBytes = [UInt8]()
        var streamedOutput = JSONStreamWriter { streamedBytes.append(contentsOf: $0) }
        try streamed.writeJSON(to: &streamedOutput)
        streamedOutput.flush()
        #expect(streamedBytes == bytes)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["degree"] as? Int == 2 && object["distribution"] as? String == "standard")
        let quadratic = try #require(object["quadratic"] as? [[[Double]]])
        let expected = try #require(report.quadratic)
        #expect(quadratic.count == 3 && quadratic[0].count == 6 && quadratic[0][0].count == 6)
        for (matrix, reference) in zip(quadratic, expected) {
            for (row, values) in matrix.enumerated() {
                for (column, value) in values.enumerated() {
                    #expect(abs(value - reference[row, column]) <= 8 * Double.ulpOfOne * abs(reference[row, column]))
                }
            }
        }
        #expect((object["r2_gaussian_by_degree"] as? [[Double]])?.count == 2)
    }
}
