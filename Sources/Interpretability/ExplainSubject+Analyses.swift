import Foundation
import LinearAlgebra
import Plotting

/// The analyses of `polynet explain`, each as a `ReportAnalysis` (section, table and figure
/// files), and the whole report page.
extension ExplainSubject {
    /// Eigenvectors of each output's quadratic term as images (the top `top` positive and
    /// negative per output), the linear coefficients and the spectra.
    ///
    /// - Throws: `LinearAlgebraError` from the eigendecomposition, and the errors of the
    ///   explicit coefficients.
    public func eigenAnalysis(top: Int) throws -> ReportAnalysis {
        let explicit = try model.quadratic.explicitCoefficients()
        let features = try EigenFeatures.all(of: explicit)
        var files = [ReportAnalysis.File]()
        let eigenPNG = Self.add(Figures.eigenvectorGrid(features, top: top, imageRows: imageRows, imageColumns: imageColumns,
                                                        classNames: outputNames), as: "eigenvectors", to: &files)
        let linearPNG = Self.add(Figures.linearCoefficientGrid(explicit.linear, imageRows: imageRows, imageColumns: imageColumns,
                                                               classNames: outputNames), as: "linear-coefficients", to: &files)
        let spectrum = Self.add(Figures.spectrumChart(features, count: 20, classNames: outputNames), as: "spectrum", to: &files)
        let header = ["class"] + (1 ... top).map { "λ+\($0)" } + (1 ... top).map { "λ-\($0)" }
        let rows = features.map { feature in
            [outputNames[feature.output]]
                + (feature.topPositive(top) + feature.topNegative(top)).map { String(format: "%+.4f", feature.values[$0]) }
        }
        let section = ReportPage.Section(
            heading: "Eigen-features of the quadratic term",
            caption: "Each class's quadratic coefficients Q_o (p_o(x) = c_o + b_o·x + xᵀQ_o x, least-squares optimal under the \(model.distribution.regularization > 0 ? "regularized data" : "chosen") Gaussian) eigendecomposed with LAPACK syevd. Red pixels are positive, blue negative, on one shared scale; each eigenvector's sign is chosen so its positive mass dominates. Positive eigenvalues mark patterns whose presence (either sign) raises the class score quadratically, negative ones patterns that lower it. Below: the linear coefficients B (average Jacobian) per class, and the spectra.",
            contents: [.png(eigenPNG), .table(header: header, rows: rows), .png(linearPNG), .svg(spectrum)])
        return ReportAnalysis(section: section, header: header, rows: rows, files: files)
    }

    /// The test inputs projected off the top-k singular directions of the linear coefficients
    /// (k = 0 … `maxK`), against k random directions drawn from `seed`.
    ///
    /// - Throws: `InterpretabilityError.notOutputBlock` on an inner block, and
    ///   `LinearAlgebraError` from the SVD.
    public func svdAttackAnalysis(maxK: Int, seed: UInt64) throws -> ReportAnalysis {
        try requireOutputBlock("svd-attack")
        let attack = try SVDAttack(linearCoefficients: model.linear.explicitCoefficients().linear)
        var generator = SeededGenerator(seed: seed)
        let model = self.model
        let results = try attack.table(inputs: testInputs, labels: testLabels, maximumRemoved: maxK,
                                       network: model.network, linear: { model.linear($0) }, quadratic: { model.quadratic($0) },
                                       using: &generator)
        let header = ["k", "network", "quadratic", "linear", "network (k random)"]
        let rows = results.map { [String($0.removed), Self.percent($0.networkAccuracy), Self.percent($0.quadraticAccuracy),
                                  Self.percent($0.linearAccuracy), Self.percent($0.randomDirectionsNetworkAccuracy)] }
        var files = [ReportAnalysis.File]()
        let chart = Self.add(Figures.svdAttackChart(results), as: "svd-attack", to: &files)
        let shownK = [0, 1, 2, 5, maxK].filter { $0 <= min(maxK, attack.directions.rows) }
        let png = Self.add(examplesGrid(
            title: "Test images with the top-k singular directions of B removed",
            variants: shownK.map { k in (caption: "k=\(k)", transform: attack.projection(removing: k).callAsFunction) }),
            as: "svd-attack-examples", to: &files)
        let section = ReportPage.Section(
            heading: "SVD attack on the linear coefficients",
            caption: "B = UΣVᵀ; the test inputs are projected off the top-k right singular vectors (rows of Vᵀ), the input directions the linear approximant reads most, and every model is re-evaluated. The dashed curve removes k random orthonormal directions instead (mean of 3 draws): the control.",
            contents: [.svg(chart), .table(header: header, rows: rows), .png(png)])
        return ReportAnalysis(section: section, header: header, rows: rows, files: files)
    }

    /// Every test input pushed by each of `magnitudes` along a direction exciting the top `top`
    /// eigenvectors of `target` (and no other class's).
    ///
    /// - Throws: `InterpretabilityError.notOutputBlock` on an inner block,
    ///   `InterpretabilityError.targetOutOfRange`, and `LinearAlgebraError`.
    public func eigenAttackAnalysis(target: Int, top: Int, magnitudes: [Double]) throws -> ReportAnalysis {
        try requireOutputBlock("eigen-attack")
        guard outputNames.indices.contains(target) else {
            throw InterpretabilityError.targetOutOfRange(target: target, classCount: outputNames.count)
        }
        let polynomial = try model.quadratic.explicitCoefficients()
        let attack = try EigenAttack(target: target, features: try EigenFeatures.all(of: polynomial), topCount: top,
                                     orientedBy: polynomial, at: testInputs.mean(over: .rows))
        let results = attack.sweep(inputs: testInputs, labels: testLabels, magnitudes: magnitudes, network: model.network)
        let header = ["magnitude", "network accuracy", "classified as \(target)"]
        let rows = results.map { [String(format: "%g", $0.magnitude), Self.percent($0.networkAccuracy),
                                  Self.percent($0.fractionClassifiedAsTarget)] }
        var files = [ReportAnalysis.File]()
        let chart = Self.add(Figures.eigenAttackChart(results, target: outputNames[target]), as: "eigen-attack", to: &files)
        let png = Self.add(examplesGrid(
            title: "Test images pushed towards \(outputNames[target])",
            variants: magnitudes.map { magnitude in
                (caption: "+\(String(format: "%g", magnitude))", transform: { attack.perturbed($0, magnitude: magnitude) })
            }), as: "eigen-attack-examples", to: &files)
        let section = ReportPage.Section(
            heading: "Eigenvector attack towards \(outputNames[target])",
            caption: "The top \(top) eigenvectors (largest positive eigenvalues) of every class's Q are stacked as rows of E; the direction δ = E⁺e (e = 1 on the target's rows, 0 elsewhere) is normalized, signed so that the quadratic approximant's target margin rises at the mean test image (eigenvectors have no sign of their own), and added with growing magnitude to every test image.",
            contents: [.svg(chart), .table(header: header, rows: rows), .png(png)])
        return ReportAnalysis(section: section, header: header, rows: rows, files: files)
    }

    /// The whole report: a model section, then the eigen, SVD-attack and eigen-attack analyses
    /// (the report's settings: top 3, k ≤ 10 with seed 0, magnitudes 0…12 towards `target`),
    /// then `complexity` when the run has step checkpoints.
    ///
    /// - Throws: the errors of the analyses.
    public func report(title: String, distributionName: String, datasetName: String, target: Int,
                       complexity: ReportAnalysis?) throws -> (page: ReportPage, analyses: [ReportAnalysis]) {
        var page = ReportPage(title: title)
        let block = model.block
        page.sections.append(.init(heading: "Model", caption: "Distribution: \(distributionName); \(testInputs.rows) \(datasetName) test images.",
                                   contents: [.text("\(block.inputDimension) → \(block.hiddenCount) → \(block.outputCount), activation \(block.activation.name).")]))
        var analyses = [try eigenAnalysis(top: 3), try svdAttackAnalysis(maxK: 10, seed: 0),
                        try eigenAttackAnalysis(target: target, top: 3, magnitudes: [0, 1, 2, 3, 4, 6, 8, 12])]
        if let complexity { analyses.append(complexity) }
        page.sections += analyses.map(\.section)
        return (page, analyses)
    }

    /// Adds a grid's `name.png` and `name.svg` to `files`; returns the PNG bytes.
    static func add(_ grid: ImageGrid, as name: String, to files: inout [ReportAnalysis.File]) -> [UInt8] {
        let png = PNGCodec.encode(grid.image())
        files.append(.init(name: "\(name).png", contents: png))
        files.append(.init(name: "\(name).svg", contents: Array(grid.svg().utf8)))
        return png
    }

    /// Adds a chart's `name.svg` to `files`; returns the SVG text.
    static func add(_ chart: LineChart, as name: String, to files: inout [ReportAnalysis.File]) -> String {
        let svg = chart.svg()
        files.append(.init(name: "\(name).svg", contents: Array(svg.utf8)))
        return svg
    }

    /// A fraction as a percentage with one decimal.
    static func percent(_ value: Double) -> String { String(format: "%.1f%%", 100 * value) }
}
