import LinearAlgebra
import Testing

/// Checks that two matrices have the same shape and agree elementwise within
/// `absolute + relative·|expected|`, naming the first index that differs.
public func expectClose<Scalar: BLASScalar>(
    _ actual: Matrix<Scalar>, _ expected: Matrix<Scalar>,
    absolute: Scalar, relative: Scalar = 0,
    _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.rows == expected.rows, actual.columns == expected.columns else {
        Issue.record("shape \(actual.rows)×\(actual.columns) differs from expected \(expected.rows)×\(expected.columns)",
                     sourceLocation: sourceLocation)
        return
    }
    expectClose(Array(actual.elements), Array(expected.elements), absolute: absolute, relative: relative,
                comment, columns: actual.columns, sourceLocation: sourceLocation)
}

/// Checks that two arrays have the same length and agree elementwise within
/// `absolute + relative·|expected|`, naming the first index that differs.
public func expectClose<Scalar: BinaryFloatingPoint>(
    _ actual: [Scalar], _ expected: [Scalar],
    absolute: Scalar, relative: Scalar = 0,
    _ comment: Comment? = nil, columns: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record("\(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    for index in actual.indices {
        let difference = abs(actual[index] - expected[index])
        let allowed = absolute + relative * abs(expected[index])
        if !(difference <= allowed) {
            let position = columns.map { "(\(index / $0), \(index % $0))" } ?? "[\(index)]"
            Issue.record("first difference at \(position): \(actual[index]) vs expected \(expected[index]) (|Δ| = \(difference) > \(allowed))\(comment.map { "; \($0)" } ?? "")",
                         sourceLocation: sourceLocation)
            return
        }
    }
}

/// Checks that two matrices have the same shape and differ elementwise by at most the
/// corresponding entry of `bounds` (a rounding bound computed by the caller), naming the first
/// index that differs.
public func expectClose<Scalar: BLASScalar>(
    _ actual: Matrix<Scalar>, _ expected: Matrix<Scalar>, within bounds: Matrix<Double>,
    _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.rows == expected.rows, actual.columns == expected.columns,
          bounds.rows == expected.rows, bounds.columns == expected.columns else {
        Issue.record("shape \(actual.rows)×\(actual.columns) differs from expected \(expected.rows)×\(expected.columns) or bounds \(bounds.rows)×\(bounds.columns)",
                     sourceLocation: sourceLocation)
        return
    }
    expectClose(Array(actual.elements), Array(expected.elements), within: Array(bounds.elements),
                comment, columns: actual.columns, sourceLocation: sourceLocation)
}

/// Checks that two arrays have the same length and differ elementwise by at most the
/// corresponding entry of `bounds`, naming the first index that differs.
public func expectClose<Scalar: BinaryFloatingPoint>(
    _ actual: [Scalar], _ expected: [Scalar], within bounds: [Double],
    _ comment: Comment? = nil, columns: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count, bounds.count == expected.count else {
        Issue.record("\(actual.count) values, expected \(expected.count) (\(bounds.count) bounds)", sourceLocation: sourceLocation)
        return
    }
    for index in actual.indices {
        let difference = abs(Double(actual[index]) - Double(expected[index]))
        if !(difference <= bounds[index]) {
            let position = columns.map { "(\(index / $0), \(index % $0))" } ?? "[\(index)]"
            Issue.record("first difference at \(position): \(actual[index]) vs expected \(expected[index]) (|Δ| = \(difference) > \(bounds[index]))\(comment.map { "; \($0)" } ?? "")",
                         sourceLocation: sourceLocation)
            return
        }
    }
}
