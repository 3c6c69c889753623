import Foundation
import Core
import Roster
import Mail
import Engine

/// Benchmark rows for the Engine module.
///
/// Overhead per email (journal intent + outcome, both fsynced, plus the roster
/// update), throughput against a sink answering after 500 ms, and the time to
/// load a 100,000-entry session file.
func engineBenchmarks() -> [BenchRow] {
    var rows: [BenchRow] = []
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("passmail-bench-engine-\(getpid())")
    try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    do {
        rows.append(contentsOf: try overheadRows(root))
        rows.append(contentsOf: throughputRows(root))
        rows.append(try resumeRow(root))
    } catch {
        rows.append(BenchRow(area: "engine", measure: "benchmark failed", value: "\(error)", target: "-", met: false))
    }
    return rows
}

private func benchMembers(_ n: Int) -> [RunMember] {
    (0..<n).map { RunMember(attendeeID: "att-\($0)", name: "Attendee Number \($0)", email: "attendee.\($0)@example.org") }
}

private func overheadRows(_ root: URL) throws -> [BenchRow] {
    let n = 300
    let dir = root.appendingPathComponent("overhead")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let roster = try RosterStore(url: dir.appendingPathComponent("passmail.db"))
    let members = benchMembers(n)
    _ = try roster.upsert(members.map { Attendee(id: $0.attendeeID, firstName: "Attendee", lastName: "\($0.attendeeID)", email: $0.email) })
    let header = RunHeader(runID: "rbench", created: Date(), transportKind: "smtp", transportName: "sink", fingerprint: "f",
                           messageDomain: "example.org", members: members)
    let journal = try SessionJournal.create(header: header, in: dir)
    var machine = RunMachine(entryCount: n, settings: RunSettings(concurrency: 1))
    var i = 0
    let samples = try measure(iterations: n) {
        guard case .dispatch(let b) = machine.nextWork(now: Date()) else { return }
        let e = b.entries[0]
        try journal.append([machine.readyToSend(e, messageID: "rbench.\(e)@example.org", now: Date())])
        try roster.recordDelivery(id: members[e].attendeeID, status: .inDoubt, at: Date(), messageId: nil, error: "being sent")
        let records = machine.sendCompleted(e, outcome: .sent(messageId: "250 ok"), now: Date())
        try journal.append(records)
        machine.workerFinished()
        try roster.recordDelivery(id: members[e].attendeeID, status: .sent, at: Date(), messageId: "m", error: nil)
        i += 1
    }
    journal.close()
    return [
        BenchRow(area: "engine", measure: "overhead per email (2 fsynced journal appends + 2 roster updates), median", value: ms(median(samples)),
                 target: "< 10 ms", met: median(samples) < 0.010),
        BenchRow(area: "engine", measure: "overhead per email, p99", value: ms(percentile(samples, 0.99)), target: "< 50 ms",
                 met: percentile(samples, 0.99) < 0.050),
    ]
}

/// A transport that accepts everything after a fixed latency.
private struct SinkTransport: MailTransport {
    let latency: TimeInterval
    var displayName: String { "sink (\(Int(latency * 1000)) ms)" }
    var maxBatchSize: Int { 1 }
    var canLookUp: Bool { false }
    func send(_ messages: [OutgoingMessage]) async -> [DeliveryOutcome] {
        try? await Task.sleep(nanoseconds: UInt64(latency * 1e9))
        return messages.map { .sent(messageId: $0.messageID) }
    }
    func lookUp(customID: String) async -> LookupResult { .unknown(reason: "sink") }
    func shutdown() async {}
}

private struct BenchRenderer: MessageRenderer {
    func message(for member: RunMember, runID: String, messageID: String, customID: String, at: Date) throws -> OutgoingMessage {
        OutgoingMessage(attendeeID: member.attendeeID, customID: customID, messageID: messageID, from: Mailbox(address: "team@example.org"),
                        to: Mailbox(name: member.name, address: member.email), subject: "Your pass", text: "Hello", date: at)
    }
}

private struct NullLedger: DeliveryLedger {
    func recordDelivery(attendeeID: String, status: DeliveryStatus, at: Date, messageID: String?, error: String?) throws {}
    func statuses(of attendeeIDs: [String]) throws -> [String: DeliveryStatus] { [:] }
}

private final class ResultBox: @unchecked Sendable { var value: Double = 0 }

private func throughputRows(_ root: URL) -> [BenchRow] {
    var rows: [BenchRow] = []
    let latency = 0.5
    for c in [1, 4, 8] {
        let n = c * 8
        let dir = root.appendingPathComponent("throughput-\(c)")
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                let run = try RunController.begin(sessions: dir, members: benchMembers(n), settings: RunSettings(concurrency: c),
                                                  transport: SinkTransport(latency: latency), renderer: BenchRenderer(), ledger: NullLedger(),
                                                  transportKind: "smtp", fingerprint: "f", messageDomain: "example.org", resend: false, notices: [])
                let t0 = Date()
                _ = await run.run()
                box.value = Double(n) / Date().timeIntervalSince(t0)
            } catch {
                box.value = 0
            }
            done.signal()
        }
        done.wait()
        let limit = Double(c) / latency
        let ratio = box.value / limit
        rows.append(BenchRow(area: "engine", measure: "throughput, sink 500 ms, concurrency \(c) (limit \(String(format: "%.0f", limit * 60))/min)",
                             value: String(format: "%.1f/min = %.0f %%", box.value * 60, ratio * 100), target: "≥ 90 % of limit",
                             met: ratio >= 0.9))
    }
    return rows
}

private func resumeRow(_ root: URL) throws -> BenchRow {
    let n = 100_000
    let dir = root.appendingPathComponent("resume")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let members = benchMembers(n)
    let header = RunHeader(runID: "rbig", created: Date(), transportKind: "smtp", transportName: "smtp (mail.example.org:587)",
                           fingerprint: "f", messageDomain: "example.org", members: members)
    let journal = try SessionJournal.create(header: header, in: dir)
    let now = Date()
    var batch: [JournalRecord] = []
    for e in 0..<n {
        batch.append(.sending(entry: e, attempt: 1, messageID: "rbig.att-\(e)@example.org", at: now))
        if e % 50 == 7 { batch.append(.retrying(entry: e, reason: "451 4.3.0 try again later", attempt: 1, nextAttemptAt: now, at: now)) }
        else if e < n - 3 { batch.append(.sent(entry: e, messageID: "250 2.0.0 Ok: queued as \(e)", note: nil, at: now)) }
        if batch.count > 5000 { try journal.append(batch); batch = [] }
    }
    try journal.append(batch)
    journal.close()
    let url = SessionJournal.url(for: "rbig", in: dir)
    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    let samples = try measure(iterations: 5) {
        let loaded = try LoadedSession.load(url)
        _ = try RunMachine(replaying: loaded.records, settings: RunSettings())
    }
    return BenchRow(area: "engine", measure: "resume: load + replay 100,000-entry session (\(size / 1_000_000) MB)",
                    value: ms(median(samples)), target: "< 1 s", met: median(samples) < 1.0)
}
