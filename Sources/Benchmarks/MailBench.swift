import Foundation

/// Benchmark rows for the Mail module (owned by whoever builds Mail).
func mailBenchmarks() -> [BenchRow] {
    []
}
