import LinearAlgebra

/// `Matrix.apply` with a cubic polynomial against a plain pointer loop, over 10M Floats:
/// both should run at memory bandwidth.
public enum ElementwiseBenchmark {
    /// Runs the benchmark: nanoseconds per element for ours and for the baseline loop.
    public static func run(count: Int = 10_000_000) -> [BenchmarkRecord] {
        var matrix = Matrix<Float>(rows: 1, columns: count, repeating: 0.5)
        var baseline = [Float](repeating: 0.5, count: count)
        let (c0, c1, c2, c3): (Float, Float, Float, Float) = (0.1, 0.5, -0.25, 0.125)
        var ours = [Double](), raw = [Double]()
        for _ in 0 ..< 7 {
            ours.append(Stopwatch.time { matrix.apply { x in c0 + x * (c1 + x * (c2 + x * c3)) } })
            raw.append(Stopwatch.time {
                baseline.withUnsafeMutableBufferPointer { buffer in
                    for i in 0 ..< buffer.count {
                        let x = buffer[i]
                        buffer[i] = c0 + x * (c1 + x * (c2 + x * c3))
                    }
                }
            })
        }
        let oursNanoseconds = ours.sorted()[3] / Double(count) * 1e9
        let rawNanoseconds = raw.sorted()[3] / Double(count) * 1e9
        return [BenchmarkRecord(benchmark: "elementwise_cubic",
                                fields: ["elements": Double(count), "ours_ns_per_element": oursNanoseconds,
                                         "raw_loop_ns_per_element": rawNanoseconds,
                                         "ours_over_raw_time": oursNanoseconds / rawNanoseconds])]
    }
}
