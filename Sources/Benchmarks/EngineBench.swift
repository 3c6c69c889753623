import Foundation

/// Benchmark rows for the Engine module (owned by whoever builds Engine).
func engineBenchmarks() -> [BenchRow] {
    []
}
