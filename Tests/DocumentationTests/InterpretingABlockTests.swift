import Foundation
import PolyNet
import Testing

/// The code of the article "Interpreting a block" (InterpretingABlock.md).
@Suite("Article: Interpreting a block")
struct InterpretingABlockTests {
    @Test func eigenFeaturesAttacksComplexityReport() throws {
        let (training, test) = try DocumentationData.slices.get()
        let run = try DocumentationData.reluRun.get()
        let checkpoint = try Checkpoint<Float>(contentsOf: try RunDirectory.resolveCheckpoint(run.path))
        let block = try FeedforwardBlock(checkpoint: checkpoint)
        let inputs = test.images.converted(to: Double.self)
        let classNames = (0 ..< 10).map(String.init)

        // The block with its degree-1 and degree-2 approximants under the data's Gaussian.
        let model = try StudiedModel(block: block, distribution: try GaussianDistribution(fitting: training.images))
        let quadratic = try model.quadratic.explicitCoefficients()

        // Eigen-features: per class, the eigenvectors of its quadratic form, as 28×28 pictures.
        let features = try EigenFeatures.all(of: quadratic)
        let strongest = features[3].topPositive(4)                // indices of class 3's largest eigenvalues
        let grid = Figures.eigenvectorGrid(features, top: 2, imageRows: 28, imageColumns: 28, classNames: classNames)

        // SVD attack: remove the top-k right singular directions of the linear coefficients.
        let svd = try SVDAttack(linearCoefficients: model.linear.explicitCoefficients().linear)
        var generator = SeededGenerator(seed: 0)
        let svdRows = try svd.table(inputs: inputs, labels: test.labels, maximumRemoved: 3, network: model.network,
                                    linear: { model.linear($0) }, quadratic: { model.quadratic($0) },
                                    randomDraws: 1, using: &generator)

        // Eigenvector attack: push inputs towards class 3 along its top eigenvectors.
        let attack = try EigenAttack(target: 3, features: features, topCount: 4, orientedBy: quadratic,
                                     at: inputs.mean(over: .rows))
        let eigenRows = attack.sweep(inputs: inputs, labels: test.labels, magnitudes: [0, 4, 12], network: model.network)

        // Complexity: how much of the block degrees 1 and 2 explain (one point per checkpoint).
        let point = try ComplexityCurve.point(step: checkpoint.step ?? 0, block: block,
                                              distribution: model.distribution, inputs: inputs)

        // A self-contained HTML page, as `polynet explain report` writes.
        var page = ReportPage(title: "Block report")
        page.sections.append(.init(heading: "Eigen-features", caption: "Top eigenvectors of each class's Q.",
                                   contents: [.svg(grid.svg())]))
        page.sections.append(.init(heading: "Attacks", caption: "Accuracy as directions are removed or added.",
                                   contents: [.svg(Figures.svdAttackChart(svdRows).svg()),
                                              .svg(Figures.eigenAttackChart(eigenRows, target: "3").svg())]))
        let html = page.html()

        #expect(strongest.count <= 4 && features.count == 10)
        #expect(svdRows.count == 4 && eigenRows.count == 3)
        #expect(eigenRows[2].fractionClassifiedAsTarget >= eigenRows[0].fractionClassifiedAsTarget)
        #expect(point.onData.count == 2 && point.underGaussian.count == 2)
        #expect(html.contains("<svg"))
    }
    @Test func wholeReport() throws {
        let (training, test) = try DocumentationData.slices.get()
        let run = try DocumentationData.reluRun.get()
        let checkpoint = try Checkpoint<Float>(contentsOf: try RunDirectory.resolveCheckpoint(run.path))
        let block = try FeedforwardBlock(checkpoint: checkpoint)
        let inputs = test.images.converted(to: Double.self)
        let classNames = (0 ..< 10).map(String.init)
        let model = try StudiedModel(block: block, distribution: try GaussianDistribution(fitting: training.images))

        // The whole page `polynet explain report` writes, assembled by the library.
        let subject = ExplainSubject(model: model, testInputs: inputs, testLabels: test.labels,
                                     image: (rows: 28, columns: 28), classNames: classNames)
        let (report, analyses) = try subject.report(title: "MNIST MLP", distributionName: "data",
                                                    datasetName: "MNIST", target: 3, complexity: nil)
        let figureFiles = analyses.flatMap(\.files).map(\.name)  // PNG and SVG files the page refers to
        let reportHTML = report.html()

        #expect(analyses.count == 3 && !figureFiles.isEmpty)
        #expect(reportHTML.contains("<section>"))
    }
}
