import Foundation

// `swift run -c release passmail-bench` prints one table of every measured target.
// Each module's rows come from a function in its own file here.
// `PASSMAIL_BENCH_ONLY=tui` (comma-separated areas) runs only those areas' rows.
let only = ProcessInfo.processInfo.environment["PASSMAIL_BENCH_ONLY"].map { Set($0.split(separator: ",").map(String.init)) }
func wanted(_ area: String) -> Bool { only?.contains(area) ?? true }
var rows: [BenchRow] = []
if wanted("roster") { rows += rosterBenchmarks() }
if wanted("passes") { rows += passesBenchmarks() }
if wanted("mail") { rows += mailBenchmarks() }
if wanted("engine") { rows += engineBenchmarks() }
if wanted("tui") { rows += tuiBenchmarks() }
BenchRow.printTable(rows)
