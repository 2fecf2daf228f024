import Activations
import Foundation
import LinearAlgebra
import Testing
@testable import NeuralNetworks

@Suite("Fitted initializations")
struct FittedInitializationTests {
    /// Values and slopes of `layer` at `points`: forward, and backward of a unit upstream
    /// gradient (the layer's own code, not the fit's).
    static func valuesAndSlopes(_ layer: any Layer<Double>, at points: [Double]) -> (values: [Double], slopes: [Double]) {
        var layer = layer
        let x = Matrix<Double>(rows: points.count, columns: 1, elements: points)
        var y = Matrix<Double>(rows: 0, columns: 0), dx = Matrix<Double>(rows: 0, columns: 0)
        layer.forward(x, into: &y, training: true)
        layer.backward(Matrix(rows: points.count, columns: 1, repeating: 1), input: x, output: y, inputGradient: &dx,
                       needsInputGradient: true)
        return (y.elements.map { $0 }, dx.elements.map { $0 })
    }

    static func layer(_ text: String) throws -> any Layer<Double> {
        var generator = SeededGenerator(seed: 1)
        return try Architecture(parsing: text).makeModel(as: Double.self, using: &generator).layers[0]
    }

    /// The Fourier fit is the least-squares fit of GELU's values and slopes at its sample
    /// points: the sum of squared residuals S, computed from the layer's own forward and
    /// backward passes, rises when any coefficient moves by ±h. S is quadratic in the
    /// coefficients, S(c ± h·e) − S(c) = ±2h·∂S + h²·‖column‖², so at the optimum (∂S = 0 up
    /// to rounding, ~1e-12 here) both changes are positive for h = 1e-4 (h²‖column‖² ≥ 1e-9).
    @Test(arguments: ["fourier(deg=5,frequencies=learnable,init=gelu)", "fourier(deg=5,init=gelu)"])
    func fourierFitIsLeastSquares(text: String) throws {
        let base = try Self.layer(text)
        let points = FittedInitialization.samples(16 * 6, on: -3 ... 3)
        func sumOfSquares(_ layer: any Layer<Double>) -> Double {
            let (values, slopes) = Self.valuesAndSlopes(layer, at: points)
            return zip(points, zip(values, slopes)).reduce(0) { total, item in
                let (x, (value, slope)) = item
                return total + pow(value - Activation.gelu.value(x), 2) + pow(slope - Activation.gelu.derivative(x), 2)
            }
        }
        let optimum = sumOfSquares(base)
        var parameterCount = 0
        var copy = base
        copy.visitParameters { value, _ in parameterCount += value.elements.count }
        let fitted = text.contains("learnable") ? parameterCount - 5 : parameterCount  // frequencies are not fitted
        for index in 0 ..< fitted {
            for h in [1e-4, -1e-4] {
                var moved = base
                var seen = 0
                moved.visitParameters { value, _ in
                    for element in value.elements.indices {
                        if seen == index { value.elements[element] += h }
                        seen += 1
                    }
                }
                #expect(sumOfSquares(moved) > optimum, "\(text): parameter \(index) moved by \(h)")
            }
        }
    }

    /// The tropical-rational fit is a difference of two convex piecewise-linear functions: both
    /// max-plus polynomials have non-decreasing slopes, so each maximum is the function its
    /// pieces describe; it follows GELU on [−3, 3] and matches it at no more than the expected
    /// cost: each piece is a chord-like fit of a function with |f″| ≤ φ(0) = 0.4, so the error
    /// of 2d + 1 pieces over the width 6 stays below (6/(2d+1))²·0.4/8 ≈ 1.5e-2 for d = 5
    /// (the linear interpolant's bound, which the least-squares fit cannot exceed by more than
    /// a factor 2) — asserted with that factor.
    @Test func tropicalFitIsADifferenceOfConvexFunctions() throws {
        let layer = try #require(try Self.layer("tropical-rational(deg=5,init=gelu)") as? TropicalRationalActivation<Double>)
        for slopes in [layer.numeratorSlopes.elements, layer.denominatorSlopes.elements] {
            #expect(zip(slopes, slopes.dropFirst()).allSatisfy { $0 <= $1 })
        }
        let points = (0 ... 600).map { -3 + Double($0) / 100 }
        let values = Self.valuesAndSlopes(layer, at: points).values
        let error = zip(values, points).map { abs($0 - Activation.gelu.value($1)) }.max() ?? .infinity
        #expect(error <= 2 * pow(6.0 / 11, 2) * 0.4 / 8 * 2)
        // Per-channel sets all start from the same fit.
        let channels = try #require(try Self.layer("tropical-rational(deg=5,channels=3,init=gelu)") as? TropicalRationalActivation<Double>)
        #expect(channels.numeratorSlopes.row(2) == layer.numeratorSlopes.row(0))
    }
}
