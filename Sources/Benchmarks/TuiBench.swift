import Foundation

/// Benchmark rows for the Tui module (owned by whoever builds Tui).
func tuiBenchmarks() -> [BenchRow] {
    []
}
