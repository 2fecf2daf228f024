import Activations
import ArgumentParser
import Foundation
import Polynomials

extension ApproxCommand {
    /// Prints max errors of Taylor, Chebyshev interpolation, least squares and minimax side by side.
    /// A cell is "n/a" where a method does not apply or fails for that activation and degree
    /// (Taylor at a kink, a Remez run that does not converge); a range no method can use is
    /// refused before anything is printed.
    func printTable(activations names: [String], degrees: [Int]) throws {
        let interval = try range.map(Self.parseRange) ?? -8 ... 8
        do { try Polynomial.validateInterval(interval) } catch { throw usage(error) }
        let methods: [ApproximationMethod] = [.taylor, .chebyshev, .leastSquares, .minimax]
        let functions = try names.map { try Activation.named(orExpression: $0, kinksOn: interval) }
        var rows = [[String: Any]]()
        if outputFormat != .json {
            print("max |f − p| on [\(interval.lowerBound), \(interval.upperBound)] (Taylor at the center)")
            print(pad("activation", 12) + pad("degree", 8) + methods.map { pad($0.rawValue, 15) }.joined())
        }
        for function in functions {
            for degree in degrees {
                var cells = [String](), row: [String: Any] = ["activation": function.name, "degree": degree]
                for method in methods {
                    do {
                        let fit = try function.approximation(ApproximationRequest(method: method, degree: degree, interval: interval))
                        cells.append(String(format: "%.3e", fit.errors.maxError))
                        row[method.rawValue] = fit.errors.maxError
                    } catch {
                        cells.append("n/a")
                        row[method.rawValue] = NSNull()
                    }
                }
                rows.append(row)
                if outputFormat != .json { print(pad(function.name, 12) + pad(String(degree), 8) + cells.map { pad($0, 15) }.joined()) }
            }
        }
        if outputFormat == .json {
            let data = try JSONSerialization.data(withJSONObject: ["interval": [interval.lowerBound, interval.upperBound], "rows": rows],
                                                  options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
