import Polynomials
import Testing

@Suite struct EvaluationCostTests {
    @Test(arguments: [(15, 8, 5), (27, 10, 5), (59, 16, 6), (119, 20, 7)])
    func patersonStockmeyerMatchesOpenFHE(degree: Int, products: Int, depth: Int) {
        // The counts the issue quotes from OpenFHE's EvalChebyshevSeriesPS on [-1, 1].
        let cost = EvaluationCost.chebyshevPatersonStockmeyer(degree: degree, needsAffineMap: false)
        #expect(cost.nonScalarMultiplications == products)
        #expect(cost.depth == depth)
        #expect(EvaluationCost.chebyshevPatersonStockmeyer(degree: degree, needsAffineMap: true).depth == depth + 1)
    }

    @Test func depthMatchesOpenFHEsDegreeToDepthTable() {
        // OpenFHE's GetDepthByDegree (FUNCTION_EVALUATION.md) includes the map onto [-1, 1]:
        // degree 5 → 4, 6…13 → 5, 14…27 → 6, 28…59 → 7, 60…119 → 8, 120…247 → 9, 248…495 → 10,
        // 496…1007 → 11. Our depth comes from (k, m), not from this table.
        let table: [(ClosedRange<Int>, Int)] = [(5 ... 5, 4), (6 ... 13, 5), (14 ... 27, 6), (28 ... 59, 7),
                                                (60 ... 119, 8), (120 ... 247, 9), (248 ... 495, 10), (496 ... 1007, 11)]
        for (degrees, depth) in table {
            for n in degrees {
                #expect(EvaluationCost.chebyshevPatersonStockmeyer(degree: n, needsAffineMap: true).depth == depth, "degree \(n)")
            }
        }
    }

    @Test func hornerAndBudgets() {
        let horner = EvaluationCost.horner(degree: 8)
        #expect(horner.nonScalarMultiplications == 7 && horner.scalarMultiplications == 1)
        #expect(horner.additions == 8 && horner.depth == 8)
        #expect(EvaluationCost.optimalDepth(degree: 15) == 4 && EvaluationCost.optimalDepth(degree: 16) == 5)
        // Depth 6 with the map onto [-1, 1] leaves 5 for the series: degree 27 is the largest.
        #expect(EvaluationCost.largestDegree(forDepth: 6, needsAffineMap: true) == 27)
    }
}
