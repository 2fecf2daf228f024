import Foundation
import PolynomialConversion

/// What `polynet convert` prints for a network of several blocks: one row per block and the
/// accuracies with blocks replaced, as a table or one JSON object.
struct NetworkConvertReport {
    let conversion: NetworkConversion
    let dataset: String?
    let testCount: Int?

    /// "784 → 128 → 128 → 10".
    var shape: String {
        let network = conversion.network
        return ([network.inputDimension] + network.blocks.map(\.hiddenCount) + [network.outputCount])
            .map(String.init).joined(separator: " → ")
    }

    /// "the network is a polynomial of degree 9 (3 × 3)", when it is one.
    var polynomialLine: String? {
        guard let total = conversion.network.polynomialDegree else { return nil }
        let factors = conversion.network.blocks.compactMap { $0.activation.polynomialDegree.map(String.init) }
        return "the network is a polynomial of degree \(total) (\(factors.joined(separator: " × "))); each block is exact from --degree \(conversion.network.blocks.compactMap(\.activation.polynomialDegree).max() ?? 0)"
    }

    var summary: String {
        let degrees = conversion.degrees
        var lines = ["network: \(shape), \(conversion.blocks.count) blocks",
                     "distribution: each block's own Gaussian, fitted to the training data flowing into it",
                     "degree: \(conversion.degree)"]
        if let polynomialLine { lines.append(polynomialLine) }
        let degreeList = degrees.map(String.init).joined(separator: ", ")
        var header = ["block", "map", "activation", "R² Gaussian (degree \(degreeList))"]
        if testCount != nil {
            header += ["R² test (degree \(degreeList))", "accuracy, block replaced"]
        }
        var rows = [[String]]()
        for (k, result) in conversion.blocks.enumerated() {
            let block = conversion.network.blocks[k]
            var row = [String(k + 1), "\(block.inputDimension) → \(block.hiddenCount) → \(block.outputCount)", block.activation.name,
                       result.gaussianPooledRSquared(degrees: degrees).map { String(format: "%.4f", $0) }.joined(separator: "  ")]
            if testCount != nil {
                row.append(result.data.map { String(format: "%.4f", $0.pooledRSquared) }.joined(separator: "  "))
                row.append(result.replacedAccuracy.map { String(format: "%.2f%%", 100 * $0) } ?? "")
            }
            rows.append(row)
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            lines.append(row.enumerated().map { String(repeating: " ", count: widths[$0.offset] - $0.element.count) + $0.element }
                .joined(separator: "  "))
        }
        let regularized = conversion.blocks.enumerated().filter { $0.element.distribution.regularization > 0 }
        if !regularized.isEmpty {
            lines.append("(singular input covariance regularized: " + regularized.map {
                "block \($0.offset + 1) +\(String(format: "%.0e", $0.element.distribution.regularization))·mean(diag)·I"
            }.joined(separator: ", ") + ")")
        }
        if let model = conversion.modelAccuracy, let all = conversion.allReplacedAccuracy, let testCount {
            lines.append(String(format: "accuracy on %@ test data (%d): model %.2f%%, every block replaced %.2f%%",
                                dataset ?? "data", testCount, 100 * model, 100 * all))
        }
        return lines.joined(separator: "\n")
    }

    func jsonText() throws -> String {
        let degrees = conversion.degrees
        var object: [String: Any] = ["degree": conversion.degree, "degrees": degrees, "shape": shape]
        if let total = conversion.network.polynomialDegree { object["polynomial_degree"] = total }
        object["blocks"] = conversion.blocks.enumerated().map { k, result -> [String: Any] in
            let block = conversion.network.blocks[k]
            var entry: [String: Any] = [
                "block": k + 1, "input": block.inputDimension, "hidden": block.hiddenCount, "output": block.outputCount,
                "activation": block.activation.name,
                "r2_pooled_gaussian_by_degree": result.gaussianPooledRSquared(degrees: degrees),
                "r2_gaussian": result.variance.rSquared(degree: conversion.degree),
                "regularization": result.distribution.regularization,
            ]
            if !result.data.isEmpty {
                entry["r2_pooled_data_by_degree"] = result.data.map(\.pooledRSquared)
                entry["r2_data"] = result.data.last?.rSquared ?? []
            }
            if let accuracy = result.replacedAccuracy { entry["accuracy_block_replaced"] = accuracy }
            return entry
        }
        if let model = conversion.modelAccuracy, let all = conversion.allReplacedAccuracy {
            object["accuracy"] = ["model": model, "all_replaced": all]
        }
        if let dataset { object["dataset"] = dataset }
        let bytes = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: bytes, as: UTF8.self)
    }
}
