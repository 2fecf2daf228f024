import ArgumentParser

/// `--threads`, the OpenBLAS thread count of the benchmarks that take one.
struct BLASThreadsOption: ParsableArguments {
    @Option(help: "OpenBLAS threads.")
    var threads: Int = 1

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }
}
