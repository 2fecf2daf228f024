// The Benchmarks module: see README "Architecture".
