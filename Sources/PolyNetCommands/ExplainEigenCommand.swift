import ArgumentParser
import Foundation
import Interpretability

/// `polynet explain eigen`: eigenvectors of each class's quadratic term as images.
struct ExplainEigenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eigen",
        abstract: "Eigendecompose each class's quadratic coefficients; draw the top eigenvectors, the spectrum and the linear rows.")

    @OptionGroup var options: ExplainOptions

    @Option(help: "How many positive and how many negative eigenvectors to draw per class.")
    var top: Int = 3

    func validate() throws {
        guard (1 ... 20).contains(top) else { throw ValidationError("--top must be in 1...20") }
    }

    func run() throws {
        let context = try ExplainContext(options)
        try context.write(context.subject.eigenAnalysis(top: top))
    }
}
