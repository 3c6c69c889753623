import Foundation

/// Benchmark rows for the Roster module (owned by whoever builds Roster).
func rosterBenchmarks() -> [BenchRow] {
    []
}
