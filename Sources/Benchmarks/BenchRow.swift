import Foundation

/// One line of the benchmark table: what was measured, the median (and p99 when
/// it matters), the target, and whether it was met.
struct BenchRow {
    var area: String
    var measure: String
    var value: String
    var target: String
    var met: Bool?

    static func printTable(_ rows: [BenchRow]) {
        let headers = ["area", "measure", "result", "target", "ok"]
        let cells = rows.map { [$0.area, $0.measure, $0.value, $0.target, $0.met.map { $0 ? "yes" : "NO" } ?? "-"] }
        var widths = headers.map(\.count)
        for r in cells { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ r: [String]) -> String {
            "| " + r.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: " | ") + " |"
        }
        print(line(headers))
        print("|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|")
        for r in cells { print(line(r)) }
    }
}

/// Runs `body` `iterations` times and returns the sorted durations in seconds.
func measure(iterations: Int, _ body: () throws -> Void) rethrows -> [Double] {
    var out: [Double] = []
    for _ in 0..<iterations {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        out.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    return out.sorted()
}

func median(_ sorted: [Double]) -> Double { sorted.isEmpty ? 0 : sorted[sorted.count / 2] }
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

/// Peak resident set size of this process so far, in MiB (from /proc).
func peakRSSMiB() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Double($0) } ?? 0
        return kb / 1024
    }
    return 0
}

func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1000) }
