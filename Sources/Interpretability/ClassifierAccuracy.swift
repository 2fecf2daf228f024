import LinearAlgebra

/// The fraction of rows of `scores` whose largest entry is at the row's label.
public func classificationAccuracy(scores: Matrix<Double>, labels: [Int]) -> Double {
    precondition(scores.rows == labels.count, "\(scores.rows) score rows for \(labels.count) labels")
    guard !labels.isEmpty else { return 0 }
    let correct = zip(scores.argmaxOfRows(), labels).filter { $0 == $1 }.count
    return Double(correct) / Double(labels.count)
}

/// The fraction of rows of `scores` whose largest entry is `target`.
public func fractionClassified(as target: Int, scores: Matrix<Double>) -> Double {
    guard scores.rows > 0 else { return 0 }
    return Double(scores.argmaxOfRows().filter { $0 == target }.count) / Double(scores.rows)
}
