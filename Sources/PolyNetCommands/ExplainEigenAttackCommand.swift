import ArgumentParser
import Datasets
import Foundation
import Interpretability
import LinearAlgebra

/// `polynet explain eigen-attack`: push inputs along a direction built from eigenvectors.
struct ExplainEigenAttackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eigen-attack",
        abstract: "Add magnitude × a direction exciting the target class's top eigenvectors (and no other class's) to every test input.")

    @OptionGroup var options: ExplainOptions

    @Option(help: "The target class.")
    var target: Int = 3

    @Option(help: "Top eigenvectors per class used to build the direction.")
    var top: Int = 3

    @Option(help: "Comma-separated magnitudes (L2 norm of the added image; an MNIST digit has norm ≈ 9; at most 1000).")
    var magnitudes: String = "0,1,2,3,4,6,8,12"

    /// The largest magnitude accepted: 100 times an image's norm, far past where every input
    /// is classified as the target, and small enough that no network output overflows.
    static let maximumMagnitude = 1000.0

    func parsedMagnitudes() throws -> [Double] {
        let values = magnitudes.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.count == magnitudes.split(separator: ",", omittingEmptySubsequences: false).count,
              values.allSatisfy({ abs($0) <= Self.maximumMagnitude }) else {
            throw ValidationError("--magnitudes must be comma-separated numbers in -1000...1000, got '\(magnitudes)'")
        }
        return values
    }

    func validate() throws {
        let classCount = Dataset.known.map(\.classCount).max() ?? 0
        guard (0 ..< classCount).contains(target) else { throw ValidationError("--target must be a class in 0...\(classCount - 1)") }
        guard (1 ... 50).contains(top) else { throw ValidationError("--top must be in 1...50") }
        _ = try parsedMagnitudes()
    }

    func run() throws {
        _ = try Self.analyze(ExplainContext(options), target: target, top: top, magnitudes: parsedMagnitudes())
    }

    static func analyze(_ context: ExplainContext, target: Int, top: Int, magnitudes: [Double]) throws -> ReportPage.Section {
        try context.requireOutputBlock("eigen-attack")
        guard context.classNames.indices.contains(target) else {
            throw ValidationError("--target must be a class in 0...\(context.classNames.count - 1)")
        }
        let polynomial = try context.model.quadratic.explicitCoefficients()
        let attack = try EigenAttack(target: target, features: try EigenFeatures.all(of: polynomial), topCount: top,
                                     orientedBy: polynomial, at: context.testInputs.mean(over: .rows))
        let rows = attack.sweep(inputs: context.testInputs, labels: context.testLabels, magnitudes: magnitudes,
                                network: context.model.network)
        let header = ["magnitude", "network accuracy", "classified as \(target)"]
        let table = rows.map { [String(format: "%g", $0.magnitude), percent($0.networkAccuracy), percent($0.fractionClassifiedAsTarget)] }
        printTable(header: header, rows: table)
        let chart = try context.write(Figures.eigenAttackChart(rows, target: context.classNames[target]), as: "eigen-attack")
        let png = try context.writeExamples(
            title: "Test images pushed towards \(context.classNames[target])",
            variants: magnitudes.map { magnitude in
                (caption: "+\(String(format: "%g", magnitude))", transform: { attack.perturbed($0, magnitude: magnitude) })
            },
            as: "eigen-attack-examples")
        return .init(heading: "Eigenvector attack towards \(context.classNames[target])",
                     caption: "The top \(top) eigenvectors (largest positive eigenvalues) of every class's Q are stacked as rows of E; the direction δ = E⁺e (e = 1 on the target's rows, 0 elsewhere) is normalized, signed so that the quadratic approximant's target margin rises at the mean test image (eigenvectors have no sign of their own), and added with growing magnitude to every test image.",
                     contents: [.svg(chart), .table(header: header, rows: table), .png(png)])
    }
}
