import ArgumentParser
import Foundation
import LinearAlgebra
import NeuralNetworks

/// `polynet init-report`: per-layer second moments of activations and gradients of a freshly
/// initialized network on N(0, 1) data, to see whether signal explodes or vanishes.
struct InitReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init-report",
        abstract: "Push N(0,1) data through a freshly initialized network and print per-layer E[a²] and E[g²].",
        discussion: """
        Every row is one point of the network: the input, then each layer's output. E[a²] is the
        mean squared activation there, E[g²] the mean squared gradient ∂loss/∂a when N(0,1)
        values are back-propagated from the output. Ratios of consecutive rows are the layers'
        forward and backward gains; values that grow or shrink geometrically with depth mean
        exploding or vanishing signal. Computed in Float, as in training.
        """)

    @Option(help: "The architecture text or preset name, e.g. \"dense(784,128) hermite(deg=4) dense(128,10)\".")
    var arch: String

    @Option(help: "Rows of N(0,1) data (rows × the widest layer may be at most 268435456 values, 1 GiB).")
    var batchSize = 1024

    @Option(help: "Input width, for architectures whose first layer accepts any width.")
    var inputWidth: Int?

    @Option(help: ArgumentHelp("Refuse architectures with more parameters than this (default: 100000000).", valueName: "count"))
    var maxParameters: Int?

    @Option(help: "Seed of initialization and data.")
    var seed: UInt64 = 0

    @Flag(help: "Print one JSON object per row instead of a table.")
    var json = false

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        if let inputWidth, inputWidth < 1 { throw ValidationError("--input-width must be at least 1") }
        if let maxParameters, maxParameters < 1 { throw ValidationError("--max-parameters must be at least 1, got \(maxParameters)") }
        let architecture = try Architecture(parsing: arch)
        try architecture.checkSize(within: limits)
        var generator = SeededGenerator(seed: seed)
        let model = try architecture.makeModel(as: Float.self, limits: limits, using: &generator)
        if inputWidth == nil && model.inputWidth == nil {
            throw ValidationError("the architecture accepts any input width; pass --input-width")
        }
    }

    func run() throws {
        var generator = SeededGenerator(seed: seed)
        let model = try Architecture(parsing: arch).makeModel(as: Float.self, limits: limits, using: &generator)
        let report = try InitializationReport(model, batchSize: batchSize, inputWidth: inputWidth, limits: limits, using: &generator)
        for line in Self.lines(report, json: json) { print(line) }
    }

    /// The size limits, with `--max-parameters` when given.
    var limits: ArchitectureLimits {
        ArchitectureLimits(maximumParameters: maxParameters ?? ArchitectureLimits.defaultMaximumParameters)
    }

    /// The report as a table (header first) or as JSON lines.
    static func lines(_ report: InitializationReport, json: Bool) -> [String] {
        if json {
            return report.rows.map { row in
                "{\"layer\": \(row.layer.map(String.init) ?? "null"), \"specification\": \"\(row.specification)\", "
                    + "\"width\": \(row.width), \"activation_second_moment\": \(jsonNumber(row.activationSecondMoment)), "
                    + "\"gradient_second_moment\": \(jsonNumber(row.gradientSecondMoment))}"
            }
        }
        let header = "layer  width   E[a²]        E[g²]        specification"
        return [header] + report.rows.map { row in
            (row.layer.map(String.init) ?? "-").padding(toLength: 7, withPad: " ", startingAt: 0)
                + String(row.width).padding(toLength: 8, withPad: " ", startingAt: 0)
                + String(format: "%-13.4e", row.activationSecondMoment)
                + String(format: "%-13.4e", row.gradientSecondMoment)
                + row.specification
        }
    }

    /// A JSON number, or a string for NaN and infinities (which JSON cannot represent).
    private static func jsonNumber(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "\"\(value)\""
    }
}
