import Foundation

/// Timing helpers for benchmarks: best-of-N and medians, in seconds.
public enum Stopwatch {
    /// Seconds taken by one call of `body`.
    public static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The median of `repetitions` timings of `body` (robust on a shared machine).
    public static func median(repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
        var samples = [Double]()
        for _ in 0 ..< repetitions { samples.append(try time(body)) }
        samples.sort()
        return samples[samples.count / 2]
    }

    /// Repetitions so that one measurement of an operation costing `estimate` seconds takes
    /// about `budget` seconds, at least 3.
    public static func repetitions(estimate: Double, budget: Double = 0.5) -> Int {
        max(3, min(10_000, Int(budget / max(estimate, 1e-9))))
    }
}

/// One benchmark result, printed as a JSON line.
public struct BenchmarkRecord: Sendable {
    public var benchmark: String
    public var fields: [String: Double]
    public var labels: [String: String]

    public init(benchmark: String, fields: [String: Double], labels: [String: String] = [:]) {
        self.benchmark = benchmark
        self.fields = fields
        self.labels = labels
    }

    /// The record as one line of JSON with sorted keys.
    public var jsonLine: String {
        var object: [String: Any] = ["benchmark": benchmark]
        // JSON has no NaN or infinity: a non-finite measurement is written as null.
        for (key, value) in fields { object[key] = value.isFinite ? (value * 1e4).rounded() / 1e4 : NSNull() }
        for (key, value) in labels { object[key] = value }
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        } catch {
            return "{\"benchmark\":\"\(benchmark)\",\"error\":\"cannot encode the record as JSON\"}"
        }
    }
}
