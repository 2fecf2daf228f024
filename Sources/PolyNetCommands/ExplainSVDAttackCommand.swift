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
        let context = try ExplainContext(options)
        try context.write(context.subject.svdAttackAnalysis(maxK: maxK, seed: seed))
    }
}
