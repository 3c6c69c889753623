import Foundation
import Core
import Passes

/// Benchmark rows for the Passes module: how fast passes are signed and rendered.
///
/// A throw-away workspace with a fresh key; each pass is the full path the
/// engine takes per attendee (sign token + human code + QR + PDF), on one core.
func passesBenchmarks() -> [BenchRow] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("passmail-bench-passes-\(getpid())")
    defer { try? FileManager.default.removeItem(at: dir) }
    do {
        var config = PassmailConfig()
        config.event.id = "bench2027"
        config.event.name = "Benchmark Conference 2027"
        config.event.date = "12–14 March 2027"
        config.event.venue = "Kongresshaus Zürich"
        let workspace = Workspace(root: dir, config: config)
        try PassKeys.generate(for: workspace)
        let issuer = try PassIssuer(workspace: workspace, environment: [:])
        let people = (0..<400).map { i in
            Attendee(id: "att-\(i)", firstName: ["Zoë", "Jean-Baptiste", "Anna", "Siobhán"][i % 4],
                     lastName: ["Müller", "de la Fontaine-Villeneuve", "Nowak", "O'Sullivan"][i % 4],
                     email: "p\(i)@example.org", company: i % 3 == 0 ? "" : "Acme GmbH", passType: ["VIP", "Speaker", "Attendee"][i % 3])
        }
        _ = try issuer.issue(for: people[0])  // warm font caches
        // CPU time of this thread: "on one core" even while other processes share the machine.
        var times: [Double] = []
        for person in people {
            let t0 = threadCPUSeconds()
            _ = try issuer.issue(for: person)
            times.append(threadCPUSeconds() - t0)
        }
        times.sort()
        let perSecond = Double(times.count) / times.reduce(0, +)
        let verifier = PassVerifier(publicKey: issuer.publicKey)
        let token = try issuer.token(for: people[1])
        let verifyTimes = try measure(iterations: 2000) { _ = try verifier.verify(token) }
        let pdfKiB = Double(try issuer.issue(for: people[1]).pdf.count) / 1024
        return [
            BenchRow(area: "passes", measure: "passes rendered per CPU-second, one core (sign + QR + PDF)",
                     value: String(format: "%.0f /s (median %@, p99 %@)", perSecond, ms(median(times)), ms(percentile(times, 0.99))),
                     target: ">= 200 /s", met: perSecond >= 200),
            BenchRow(area: "passes", measure: "token verifications per second",
                     value: String(format: "%.0f /s (median %@)", 1 / median(verifyTimes), ms(median(verifyTimes))),
                     target: "-", met: nil),
            BenchRow(area: "passes", measure: "PDF size of an A6 pass", value: String(format: "%.0f KiB", pdfKiB),
                     target: "-", met: nil),
        ]
    } catch {
        return [BenchRow(area: "passes", measure: "passes rendered per second", value: "failed: \(error)", target: ">= 200 /s", met: false)]
    }
}

/// CPU seconds used by the calling thread (CLOCK_THREAD_CPUTIME_ID).
private func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
