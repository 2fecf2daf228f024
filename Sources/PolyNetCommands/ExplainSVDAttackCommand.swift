import ArgumentParser
import Foundation
import Interpretability
import LinearAlgebra

/// `polynet explain svd-attack`: remove the top singular directions of B from the inputs.
struct ExplainSVDAttackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "svd-attack",
        abstract: "Project test inputs off the top-k singular directions of the linear coefficients; compare with k random directions.")

    @OptionGroup var options: ExplainOptions

    @Option(help: "The largest k.")
    var maxK: Int = 10

    @Option(help: "Seed of the random-direction control.")
    var seed: UInt64 = 0

    func validate() throws {
        guard (0 ... 100).contains(maxK) else { throw ValidationError("--max-k must be in 0...100") }
    }

    func run() throws {
        _ = try Self.analyze(ExplainContext(options), maxK: maxK, seed: seed)
    }

    static func analyze(_ context: ExplainContext, maxK: Int, seed: UInt64) throws -> ReportPage.Section {
        try context.requireOutputBlock("svd-attack")
        let model = context.model
        let attack = try SVDAttack(linearCoefficients: model.linear.explicitCoefficients().linear)
        var generator = SeededGenerator(seed: seed)
        let rows = try attack.table(inputs: context.testInputs, labels: context.testLabels, maximumRemoved: maxK,
                                    network: model.network, linear: { model.linear($0) }, quadratic: { model.quadratic($0) },
                                    using: &generator)
        let header = ["k", "network", "quadratic", "linear", "network (k random)"]
        let table = rows.map { [String($0.removed), percent($0.networkAccuracy), percent($0.quadraticAccuracy),
                                percent($0.linearAccuracy), percent($0.randomDirectionsNetworkAccuracy)] }
        printTable(header: header, rows: table)
        let chart = try context.write(Figures.svdAttackChart(rows), as: "svd-attack")
        let shownK = [0, 1, 2, 5, maxK].filter { $0 <= min(maxK, attack.directions.rows) }
        let png = try context.writeExamples(
            title: "Test images with the top-k singular directions of B removed",
            variants: shownK.map { k in (caption: "k=\(k)", transform: attack.projection(removing: k).callAsFunction) },
            as: "svd-attack-examples")
        return .init(heading: "SVD attack on the linear coefficients",
                     caption: "B = UΣVᵀ; the test inputs are projected off the top-k right singular vectors (rows of Vᵀ), the input directions the linear approximant reads most, and every model is re-evaluated. The dashed curve removes k random orthonormal directions instead (mean of 3 draws): the control.",
                     contents: [.svg(chart), .table(header: header, rows: table), .png(png)])
    }
}
