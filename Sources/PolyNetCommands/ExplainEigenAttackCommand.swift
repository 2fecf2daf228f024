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
        let context = try ExplainContext(options)
        try context.write(context.subject.eigenAttackAnalysis(target: target, top: top, magnitudes: parsedMagnitudes()))
    }
}
