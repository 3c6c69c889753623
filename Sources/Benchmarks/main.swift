import Foundation

// `swift run -c release passmail-bench` prints one table of every measured target.
// Each module's rows come from a function in its own file here.
var rows: [BenchRow] = []
rows += rosterBenchmarks()
rows += passesBenchmarks()
rows += mailBenchmarks()
rows += engineBenchmarks()
rows += tuiBenchmarks()
BenchRow.printTable(rows)
