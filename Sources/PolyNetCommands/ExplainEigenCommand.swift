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
        _ = try Self.analyze(ExplainContext(options), top: top)
    }

    static func analyze(_ context: ExplainContext, top: Int) throws -> ReportPage.Section {
        let explicit = try context.model.quadratic.explicitCoefficients()
        let features = try EigenFeatures.all(of: explicit)
        let eigenPNG = try context.write(Figures.eigenvectorGrid(features, top: top, imageRows: context.imageRows,
                                                                 imageColumns: context.imageColumns,
                                                                 classNames: context.classNames), as: "eigenvectors")
        let linearPNG = try context.write(Figures.linearCoefficientGrid(explicit.linear, imageRows: context.imageRows,
                                                                         imageColumns: context.imageColumns,
                                                                         classNames: context.classNames), as: "linear-coefficients")
        let spectrum = try context.write(Figures.spectrumChart(features, count: 20, classNames: context.classNames), as: "spectrum")
        let header = ["class"] + (1 ... top).map { "λ+\($0)" } + (1 ... top).map { "λ-\($0)" }
        let rows = features.map { feature in
            [context.classNames[feature.output]]
                + (feature.topPositive(top) + feature.topNegative(top)).map { String(format: "%+.4f", feature.values[$0]) }
        }
        printTable(header: header, rows: rows)
        return .init(heading: "Eigen-features of the quadratic term",
                     caption: "Each class's quadratic coefficients Q_o (p_o(x) = c_o + b_o·x + xᵀQ_o x, least-squares optimal under the \(context.model.distribution.regularization > 0 ? "regularized data" : "chosen") Gaussian) eigendecomposed with LAPACK syevd. Red pixels are positive, blue negative, on one shared scale; each eigenvector's sign is chosen so its positive mass dominates. Positive eigenvalues mark patterns whose presence (either sign) raises the class score quadratically, negative ones patterns that lower it. Below: the linear coefficients B (average Jacobian) per class, and the spectra.",
                     contents: [.png(eigenPNG), .table(header: header, rows: rows), .png(linearPNG), .svg(spectrum)])
    }
}
