import XCTest
import Core
@testable import Engine

/// A crash can cut the journal after any record: replaying every prefix must
/// rebuild a machine that never resends anything the prefix says may have left.
final class CrashReplayTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let settings = RunSettings(concurrency: 3, maxAttempts: 3, retryBaseSeconds: 1, retryMaxSeconds: 1, breakerThreshold: 100)

    func header(_ n: Int) -> RunHeader {
        RunHeader(runID: "r1", created: t0, transportKind: "smtp", transportName: "smtp (127.0.0.1:25)", fingerprint: "f",
                  messageDomain: "example.org",
                  members: (0..<n).map { RunMember(attendeeID: "a\($0)", name: "Zoë \"Z\" \($0)", email: "a\($0)@example.org") })
    }

    /// What the scripted transport answers for an entry's attempt.
    func outcome(_ e: Int, attempt: Int) -> DeliveryOutcome {
        if e % 5 == 0 && attempt == 1 { return .transient(reason: "451 busy", retryAfter: nil) }
        if e % 7 == 3 { return .permanent(reason: "550 unknown user") }
        if e == 4 { return .inDoubt(reason: "connection lost after the final dot") }
        return .sent(messageId: "id-\(e)")
    }

    /// Drives a whole run the way the controller does, returning the journal.
    func scriptedJournal(entries n: Int) -> [JournalRecord] {
        var m = RunMachine(entryCount: n, settings: settings, random: { 0.5 })
        var journal: [JournalRecord] = [.header(header(n))]
        var now = t0
        var inFlight: [(Int, Int)] = []
        var step = 0
        loop: while true {
            step += 1
            if step == 7 { journal += m.pause(now: now); journal += m.resume(now: now) }
            switch m.nextWork(now: now) {
            case .dispatch(let b):
                for (e, a) in zip(b.entries, b.attempts) {
                    journal.append(m.readyToSend(e, messageID: "mid-\(e)", now: now))
                    inFlight.append((e, a))
                }
            case .wait:
                if inFlight.isEmpty { now += 1; continue }
                let (e, a) = inFlight.removeFirst()
                journal += m.sendCompleted(e, outcome: outcome(e, attempt: a), now: now)
                m.workerFinished()
            case .ended(let end, let record):
                XCTAssertEqual(end, .finished)
                if let record { journal.append(record) }
                break loop
            }
        }
        return journal
    }

    func testEveryRecordSurvivesItsLine() throws {
        let journal = scriptedJournal(entries: 20)
        let members = header(20).members
        for r in journal {
            let line = Array(r.line(members: members).utf8)
            let back = try line.withUnsafeBufferPointer { try JournalRecord.parse($0) }
            XCTAssertEqual(back, r)
        }
    }

    func testReplayOfEveryPrefixNeverResendsWhatMayHaveLeft() throws {
        let n = 20
        let journal = scriptedJournal(entries: n)
        XCTAssertGreaterThan(journal.count, 45)
        for cut in 1...journal.count {
            let prefix = Array(journal[0..<cut])
            var last: [Int: JournalRecord] = [:]
            for r in prefix { if let e = r.entry { last[e] = r } }

            var m = try RunMachine(replaying: prefix, settings: settings, random: { 0.5 })
            let c = m.counts
            XCTAssertEqual(c.pending + c.sent + c.failed + c.retrying + c.inDoubt + c.inFlight, n, "cut \(cut)")
            XCTAssertEqual(c.inFlight, 0, "nothing is in flight after a crash (cut \(cut))")
            var mayHaveLeft = Set<Int>()
            for e in 0..<n {
                switch last[e] {
                case nil, .pending?: XCTAssertEqual(m.entries[e], .pending, "cut \(cut) entry \(e)")
                case .sending?:
                    XCTAssertEqual(m.entries[e], .inDoubt(reason: RunMachine.interruptedReason), "cut \(cut) entry \(e)")
                    XCTAssertTrue(m.interrupted.contains(e))
                    mayHaveLeft.insert(e)
                case .sent?: XCTAssertEqual(m.entries[e], .sent(messageID: "id-\(e)")); mayHaveLeft.insert(e)
                case .failed?: guard case .failed = m.entries[e] else { return XCTFail("cut \(cut) entry \(e): \(m.entries[e])") }
                case .retrying(_, _, let a, let next, _)?:
                    XCTAssertEqual(m.entries[e], .retrying(reason: "451 busy", attempt: a, nextAttemptAt: next), "attempt and time survive")
                case .inDoubt?: guard case .inDoubt = m.entries[e] else { return XCTFail("cut \(cut) entry \(e)") }; mayHaveLeft.insert(e)
                default: XCTFail("unexpected record \(String(describing: last[e]))")
                }
            }
            // Resume with "leave" and run to the end with a transport that always accepts.
            let opening = m.reopen(now: t0 + 1000)
            XCTAssertEqual(opening.filter { if case .inDoubt = $0 { return true }; return false }.count,
                           prefix.last.map { _ in last.values.filter { if case .sending = $0 { return true }; return false }.count } ?? 0)
            var now = t0 + 1000
            var rounds = 0
            while rounds < 1000 {
                rounds += 1
                switch m.nextWork(now: now) {
                case .dispatch(let b):
                    for e in b.entries {
                        XCTAssertFalse(mayHaveLeft.contains(e), "cut \(cut): entry \(e) may have been delivered and was sent again")
                        _ = m.readyToSend(e, messageID: "mid-\(e)", now: now)
                        _ = m.sendCompleted(e, outcome: .sent(messageId: "again-\(e)"), now: now)
                    }
                    m.workerFinished()
                case .wait: now += 10
                case .ended(let end, _):
                    XCTAssertEqual(end, .finished, "cut \(cut)")
                    rounds = 10_000
                }
            }
            XCTAssertTrue(m.entries.allSatisfy(\.isFinal), "cut \(cut): every entry ends sent, failed or in doubt")
        }
    }

    func testReplayRestoresPausedAndCancelledRuns() throws {
        let h = header(3)
        var m = try RunMachine(replaying: [.header(h), .paused(reason: "535 bad credentials", byOrganiser: false, at: t0)], settings: settings)
        XCTAssertEqual(m.runState, .paused)
        XCTAssertEqual(m.pauseReason, "535 bad credentials")
        XCTAssertEqual(m.reopen(now: t0), [.resumed(at: t0)])
        XCTAssertEqual(m.runState, .running)
        let c = try RunMachine(replaying: [.header(h), .cancelled(at: t0)], settings: settings)
        XCTAssertEqual(c.runState, .cancelled)
    }

    func testReplayRejectsRecordsForEntriesThatDoNotExist() {
        XCTAssertThrowsError(try RunMachine(replaying: [.header(header(2)), .sent(entry: 5, messageID: "x", note: nil, at: t0)], settings: settings)) {
            XCTAssertEqual(($0 as? RunMachine.ReplayError)?.recordIndex, 1)
        }
        XCTAssertThrowsError(try RunMachine(replaying: [.finished(at: t0)], settings: settings))
    }
}
