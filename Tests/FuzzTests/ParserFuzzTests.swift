import Datasets
import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks
import PolynomialConversion
import Testing
import Training

/// The repository root, for real input files.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Every parser of user files and text, fed a few thousand seeded mutations of real inputs:
/// each case must either succeed or throw. A trap (overflow, out-of-range index, failed
/// allocation) ends the process and fails the suite.
@Suite("Parser fuzzing")
struct ParserFuzzTests {
    /// Cases per parser: enough to reach every validation branch of these small formats
    /// (measured: each suite takes well under a second), few enough for the suite's budget.
    static let cases = 3_000

    /// Counts of accepted and refused inputs, so a test can check that both happen (a fuzzer
    /// that only ever produces garbage tests nothing).
    struct Tally {
        var accepted = 0
        var refused = 0
        mutating func record(_ body: () throws -> Void) {
            do { try body(); accepted += 1 } catch { refused += 1 }
        }
    }

    @Test func safeTensorsHeadersAndOffsets() throws {
        // A real PolyNet checkpoint: header, metadata (architecture) and tensors.
        var generator = SeededGenerator(seed: 1)
        let model = try Architecture(parsing: "dense(6,4) relu dense(4,3)").makeModel(as: Float.self, using: &generator)
        let valid = Checkpoint(model: model).safeTensors.encoded()
        let headerLength = Int(valid[0]) | Int(valid[1]) << 8
        var mutator = Mutator(seed: 101)
        var tally = Tally()
        for index in 0 ..< Self.cases {
            // Half the cases aim at the 8-byte length and the JSON header, where the offsets are.
            let bytes = mutator.mutate(valid, focus: index % 2 == 0 ? 0 ..< 8 + headerLength : nil)
            tally.record {
                let file = try SafeTensors(decoding: bytes)
                for name in file.names { _ = try file.values(named: name, as: Double.self) }
                _ = try Checkpoint<Float>(file)
            }
        }
        #expect(tally.accepted > 0 && tally.refused > Self.cases / 2)
    }

    @Test func idxAndGzipBytes() throws {
        let compressed = [UInt8](try Data(contentsOf: repositoryRoot.appendingPathComponent("Data/mnist/t10k-labels-idx1-ubyte.gz")))
        let raw = try IDXArray(decoding: compressed)
        let plain: [UInt8] = [0, 0, 0x08, 1, 0, 0, 0x27, 0x10] + raw.payload
        var mutator = Mutator(seed: 102)
        var tally = Tally()
        for index in 0 ..< Self.cases {
            let source = index % 2 == 0 ? compressed : Array(plain.prefix(64))
            let bytes = mutator.mutate(source, focus: index % 3 == 0 ? 0 ..< 16 : nil)
            tally.record { _ = try IDXArray(decoding: bytes, path: "fuzz").values() }
        }
        #expect(tally.accepted > 0 && tally.refused > 0)
    }

    /// Mutated convolutional architectures are built, not only parsed: every shape the
    /// mutations produce (kernels past the padded input, zero or huge strides, paddings and
    /// sizes near `Int.max`, channel counts that do not match) must be refused with an error
    /// before anything is allocated; an accepted model runs forward on two rows. The caps keep
    /// each accepted model small.
    @Test func convolutionalArchitecturesBuildOrThrow() {
        let valid = ["conv2d(1,5,k=5,stride=2,pad=1,size=28) square flatten dense(845,10)",
                     "conv2d(2,3,k=3,pad=1,size=8) relu avgpool(2) conv2d(3,4,k=2,stride=2) flatten dense(16,2)",
                     "conv2d(1,2,k=3,size=6) hermite(deg=3) avgpool(2) flatten"]
        let limits = ArchitectureLimits(maximumParameters: 20_000, maximumActivationElements: 1 << 20)
        var mutator = Mutator(seed: 104)
        var tally = Tally()
        for index in 0 ..< Self.cases / 3 {
            let text = mutator.mutate(text: valid[index % valid.count])
            tally.record {
                var generator = SeededGenerator(seed: 0)
                var model: Sequential<Float> = try Architecture(parsing: text).makeModel(limits: limits, using: &generator)
                if let width = model.inputWidth {
                    try model.checkBuffers(rows: 2, inputWidth: width, within: limits)
                    _ = model(Matrix(rows: 2, columns: width, repeating: 0.5))
                }
            }
        }
        #expect(tally.accepted > 0 && tally.refused > 0)
    }

    @Test func architectureStrings() {
        let valid = ["poly(784,20,deg=3) layernorm(20) poly(20,10,deg=3)", "dense(784,128) hermite(deg=3) dense(128,10)",
                     "dense(4,8) fourier(deg=5) dense(8,2)", "dense(4,8) tropical-rational(deg=5) dense(8,2)",
                     "glu(784,64,10,act=silu)", "bilinear(5,4,3)", "dense(784,20) relu layernorm(20) dense(20,10)",
                     "poly(10,4,deg=2,basis=chebyshev) gelu dense(4,2)", "seed001-poly", "cryptonets",
                     "conv2d(1,5,k=5,stride=2,pad=1,size=28) square avgpool(2) flatten dense(180,10)"]
        var mutator = Mutator(seed: 103)
        var tally = Tally()
        for index in 0 ..< Self.cases {
            let text = mutator.mutate(text: valid[index % valid.count])
            tally.record { _ = try Architecture(parsing: text) }
        }
        #expect(tally.accepted > 0 && tally.refused > 0)
    }

    @Test func distributionJSON() {
        let valid = Array(#"{"mean": [0.5, -1, 2e-3], "covariance": [[2, 0.5, 0], [0.5, 1, 0.25], [0, 0.25, 3]]}"#.utf8)
        var mutator = Mutator(seed: 104)
        var tally = Tally()
        for index in 0 ..< Self.cases {
            let bytes = index % 2 == 0
                ? mutator.mutate(valid)
                : Array(mutator.mutate(text: String(decoding: valid, as: UTF8.self)).utf8)
            tally.record { _ = try GaussianDistribution(json: Data(bytes), path: "fuzz.json") }
        }
        #expect(tally.accepted > 0 && tally.refused > 0)
    }
}
