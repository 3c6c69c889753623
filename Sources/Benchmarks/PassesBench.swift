import Foundation

/// Benchmark rows for the Passes module (owned by whoever builds Passes).
func passesBenchmarks() -> [BenchRow] {
    []
}
