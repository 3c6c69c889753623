import Foundation
import Core
import Roster

/// Benchmark rows for the Roster module: import, load, filter and the per-email delivery write.
func rosterBenchmarks() -> [BenchRow] {
    do {
        return try RosterBench().run()
    } catch {
        return [BenchRow(area: "roster", measure: "benchmark failed: \(error)", value: "-", target: "-", met: false)]
    }
}

/// User + system CPU seconds used by this process so far.
private func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

private struct RosterBench {
    let count = 100_000
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("passmail-bench-roster-\(getpid())")

    /// An Eventbrite-style export with non-ASCII names, quoted commas and a multi-line note here and there.
    func generateCSV() -> Data {
        let firsts = ["Zoë", "José", "Ana", "Li", "Ådne", "Max", "Chloé", "Sven", "Nuño", "Aiko", "Grace", "Ömer"]
        let lasts = ["Müller", "García", "Silva", "Wei", "Øvergård", "Smith", "Dubois", "Larsson", "Peña", "Tanaka", "Hopper", "Yılmaz"]
        let types = ["Attendee", "Attendee", "Attendee", "Exhibitor", "Speaker", "VIP", "Press"]
        let companies = ["Acme GmbH", "\"Foo, Inc.\"", "", "Globex", "Initech", "Umbrella Corp", "Société Générale"]
        var s = "Order #,Order Date,First Name,Last Name,Email,Quantity,Ticket Type,Attendee #,Company,Dietary\n"
        s.reserveCapacity(count * 120)
        for i in 0..<count {
            let f = firsts[i % firsts.count], l = lasts[(i / 7) % lasts.count]
            let note = i % 97 == 0 ? "\"no nuts,\nno gluten\"" : (i % 5 == 0 ? "vegan" : "")
            s += "\(100_000 + i / 2),2026-03-01,\(f),\(l),person\(i)@example.org,2,\(types[i % types.count]),A-\(i),\(companies[i % companies.count]),\(note)\n"
        }
        return Data(s.utf8)
    }

    func run() throws -> [BenchRow] {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("attendees.csv")
        try generateCSV().write(to: csv)
        var rows: [BenchRow] = []

        // Import into a fresh database, three times, median. CPU time shown too: on a
        // shared machine wall time mostly measures the neighbours.
        var importTimes: [Double] = []
        var cpuTimes: [Double] = []
        for n in 0..<3 {
            let store = try RosterStore(url: dir.appendingPathComponent("import-\(n).db"))
            let cpu0 = cpuSeconds()
            let t = try measure(iterations: 1) {
                let r = try RosterImporter.importFile(csv, into: store)
                precondition(r.added == count && r.rejected.isEmpty, "import bench: \(r.added) added, \(r.rejected.count) rejected")
            }
            cpuTimes.append(cpuSeconds() - cpu0)
            importTimes += t
        }
        importTimes.sort()
        cpuTimes.sort()
        rows.append(BenchRow(area: "roster", measure: "import 100,000-row CSV (new roster), median of 3",
                             value: String(format: "%.2f s (CPU %.2f s)", median(importTimes), median(cpuTimes)),
                             target: "< 3 s", met: median(importTimes) < 3))
        rows.append(BenchRow(area: "roster", measure: "peak memory (RSS) after importing 100,000 rows",
                             value: String(format: "%.0f MiB", peakRSSMiB()), target: "-", met: nil))

        do {
            let bytes = [UInt8](try Data(contentsOf: csv))
            var parsed: ParsedRoster?
            let parse = try measure(iterations: 3) { parsed = try RosterImporter.parse(bytes, file: "attendees.csv") }
            rows.append(BenchRow(area: "roster", measure: "  of which: decode + parse + validate 100,000 rows", value: ms(median(parse)), target: "-", met: nil))
            let fresh = try RosterStore(url: dir.appendingPathComponent("upsert.db"))
            let upsert = try measure(iterations: 1) { _ = try fresh.upsert(parsed!.attendees) }
            rows.append(BenchRow(area: "roster", measure: "  of which: upsert 100,000 rows into SQLite", value: ms(median(upsert)), target: "-", met: nil))
        }

        let store = try RosterStore(url: dir.appendingPathComponent("import-0.db"))
        let reimport = try measure(iterations: 3) { _ = try RosterImporter.importFile(csv, into: store) }
        rows.append(BenchRow(area: "roster", measure: "re-import same 100,000 rows (all unchanged)", value: String(format: "%.2f s", median(reimport)),
                             target: "-", met: nil))

        var all: [Attendee] = []
        let load = try measure(iterations: 5) { all = try store.allAttendees() }
        rows.append(BenchRow(area: "roster", measure: "load 100,000 attendees from SQLite", value: ms(median(load)), target: "-", met: nil))

        var index = RosterIndex([])
        let build = measure(iterations: 3) { index = RosterIndex(all) }
        rows.append(BenchRow(area: "roster", measure: "build RosterIndex (fold 100,000 rows)", value: ms(median(build)), target: "-", met: nil))

        let filter = AttendeeFilter(excludeTypes: ["exhibitor"], status: .unsent, search: "muller")
        var kept = 0
        let times = measure(iterations: 200) { kept = index.select(filter).count }
        precondition(kept > 0)
        rows.append(BenchRow(area: "roster", measure: "combined filter over 100,000 (type+status+text), median",
                             value: ms(median(times)) + " (p99 \(ms(percentile(times, 0.99))))", target: "< 20 ms", met: median(times) < 0.020))
        let typing = measure(iterations: 200) { _ = index.select(AttendeeFilter(search: "m")) }
        rows.append(BenchRow(area: "roster", measure: "one-letter search over 100,000, median", value: ms(median(typing)),
                             target: "< 20 ms", met: median(typing) < 0.020))

        let storeFilter = try measure(iterations: 3) { _ = try store.attendees(matching: filter) }
        rows.append(BenchRow(area: "roster", measure: "store.attendees(matching:) incl. load", value: ms(median(storeFilter)), target: "-", met: nil))

        var i = 0
        let record = try measure(iterations: 2000) {
            try store.recordDelivery(id: "A-\(i)", status: .sent, at: Date(), messageId: "<\(i)@bench>", error: nil)
            i += 1
        }
        rows.append(BenchRow(area: "roster", measure: "recordDelivery (per email), median",
                             value: String(format: "%.0f µs (p99 %.0f µs)", median(record) * 1e6, percentile(record, 0.99) * 1e6),
                             target: "-", met: nil))
        rows.append(BenchRow(area: "roster", measure: "peak memory (RSS) after all roster benchmarks",
                             value: String(format: "%.0f MiB", peakRSSMiB()), target: "-", met: nil))
        return rows
    }
}
