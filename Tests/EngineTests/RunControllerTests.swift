import XCTest
import Core
import Mail
import TestSupport
@testable import Engine

/// The actor end to end with a scripted transport: what leaves, what is recorded, what the organiser sees.
final class RunControllerTests: XCTestCase {
    func testARunSendsEveryoneRecordsItAndReleasesTheRun() async throws {
        let dir = TemporaryDirectory()
        let transport = ScriptedTransport()
        let ledger = MemoryLedger()
        let run = try startRun(in: dir.url, 10, transport: transport, ledger: ledger)
        let log = EventLog(run.events)
        let info = await run.run()
        XCTAssertEqual(info.state, .finished)
        XCTAssertEqual(info.counts.sent, 10)
        XCTAssertNotNil(info.finishedAt)
        XCTAssertEqual(Set(transport.sent.map(\.attendeeID)).count, 10)
        XCTAssertEqual(transport.sent.first { $0.attendeeID == "a0" }?.messageID, "\(run.runID).a0@example.org")
        XCTAssertEqual(transport.sent.first { $0.attendeeID == "a0" }?.customID, "\(run.runID).a0")
        XCTAssertEqual(ledger.status.values.filter { $0 == .sent }.count, 10)
        let events = await log.all()
        XCTAssertEqual(events.filter { if case .entryFinished = $0 { return true }; return false }.count, 10)
        guard case .ended(let ended)? = events.last else { return XCTFail("last event \(String(describing: events.last))") }
        XCTAssertEqual(ended.counts.sent, 10)
        XCTAssertNil(RunLock.holder(runID: run.runID, in: dir.url), "the lock is released")
        XCTAssertEqual(transport.shutdowns, 1)
        let summary = try RunCatalog.summary(SessionJournal.url(for: run.runID, in: dir.url))
        XCTAssertEqual(summary.info.state, .finished)
        XCTAssertEqual(summary.info.counts.sent, 10)
    }

    func testCredentialsRejectedPausesWithTheReasonAndFailsNobody() async throws {
        let dir = TemporaryDirectory()
        let reason = "credentials rejected by smtp.example.org: 535 5.7.8 authentication failed"
        let transport = ScriptedTransport(script: { _, _ in .fatal(reason: reason) })
        let ledger = MemoryLedger()
        let run = try startRun(in: dir.url, 20, transport: transport, ledger: ledger)
        let log = EventLog(run.events)
        let info = await run.run()
        XCTAssertEqual(info.state, .paused)
        XCTAssertEqual(info.pauseReason, reason)
        XCTAssertEqual(info.counts.failed, 0)
        XCTAssertEqual(info.counts.pending, 20)
        XCTAssertLessThanOrEqual(transport.sent.count, 2, "no more than the workers already in flight")
        XCTAssertTrue(log.now().contains(.paused(reason: reason)))
        XCTAssertFalse(ledger.status.values.contains(.failed))
        let lastEnd = await run.lastEnd
        XCTAssertEqual(lastEnd, .paused(reason: reason))
        await run.close()
        let summary = try RunCatalog.summary(SessionJournal.url(for: run.runID, in: dir.url))
        XCTAssertEqual(summary.info.state, .paused)
        XCTAssertEqual(summary.info.pauseReason, reason)
        XCTAssertTrue(summary.isResumable)
    }

    func testTransientThenSentIsRetriedAndBadRecipientFails() async throws {
        let dir = TemporaryDirectory()
        let transport = ScriptedTransport(script: { id, attempt in
            if id == "a1" && attempt == 1 { return .transient(reason: "451 4.7.1 greylisted", retryAfter: nil) }
            if id == "a2" { return .permanent(reason: "550 5.1.1 no such user") }
            return .sent(messageId: "ok")
        })
        let run = try startRun(in: dir.url, 4, transport: transport,
                               settings: RunSettings(concurrency: 2, retryBaseSeconds: 0.05, retryMaxSeconds: 0.1))
        let info = await run.run()
        XCTAssertEqual(info.state, .finished)
        XCTAssertEqual(info.counts.sent, 3)
        XCTAssertEqual(info.counts.failed, 1)
        XCTAssertEqual(transport.sent.filter { $0.attendeeID == "a1" }.count, 2)
        XCTAssertEqual(Set(transport.sent.filter { $0.attendeeID == "a1" }.map(\.messageID)).count, 1, "same Message-ID on every attempt")
    }

    func testNothingLeavesWhenTheIntentCannotBeRecorded() async throws {
        let dir = TemporaryDirectory()
        let transport = ScriptedTransport()
        let run = try startRun(in: dir.url, 5, transport: transport)
        SessionJournal.simulatedWriteErrno = ENOSPC
        defer { SessionJournal.simulatedWriteErrno = nil }
        let info = await run.run()
        XCTAssertEqual(transport.sent.count, 0)
        XCTAssertEqual(info.state, .paused)
        XCTAssertTrue(info.pauseReason?.contains("No space left on device") ?? false, info.pauseReason ?? "")
    }

    /// Someone tidies `sessions/` while a run goes: without its journal the run could be
    /// started again by a second `passmail send`, so it pauses and sends nothing more.
    func testDeletingTheSessionFileMidRunPausesItAndNothingMoreLeaves() async throws {
        let dir = TemporaryDirectory()
        let sessions = dir.url
        let transport = ScriptedTransport(script: { id, _ in
            if id == "a3" {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: sessions.path)) ?? [] where name.hasSuffix(".session") {
                    try? FileManager.default.removeItem(at: sessions.appendingPathComponent(name))
                }
            }
            return .sent(messageId: "ok-\(id)")
        })
        let ledger = MemoryLedger()
        let run = try startRun(in: dir.url, 20, transport: transport, ledger: ledger, settings: RunSettings(concurrency: 1))
        let info = await run.run()
        XCTAssertEqual(info.state, .paused)
        XCTAssertTrue(info.pauseReason?.contains("deleted") ?? false, info.pauseReason ?? "")
        XCTAssertEqual(transport.sent.map(\.attendeeID), ["a0", "a1", "a2", "a3"], "nothing after the file was gone")
        XCTAssertEqual(ledger.status["a3"], .inDoubt, "its outcome could not be recorded")
        for i in 4..<20 { XCTAssertNotEqual(ledger.status["a\(i)"], .inDoubt, "a\(i) stays unsent for a later send") }
        await run.close()
    }

    /// `passmail runs` while another process is sending: a message in its hands is
    /// in flight, not in doubt (that only a crash makes it).
    func testALiveRunShowsItsMessagesInFlightNotInDoubt() async throws {
        let dir = TemporaryDirectory()
        let run = try startRun(in: dir.url, 3, transport: ScriptedTransport())
        let journal = await run.journal
        try journal.append([.sending(entry: 0, attempt: 1, messageID: "m0", at: Date())])
        let live = try RunCatalog.summary(journal.url)
        XCTAssertNotNil(live.holder)
        XCTAssertEqual(live.info.counts.inDoubt, 0)
        XCTAssertEqual(live.info.counts.inFlight, 1)
        XCTAssertEqual(live.entries[0], .sending(attempt: 1))
        await run.close()
        // Once nobody holds it, the same entry is in doubt.
        let crashed = try RunCatalog.summary(journal.url)
        XCTAssertEqual(crashed.info.counts.inDoubt, 1)
    }

    /// A full disk hits every worker at once; the organiser hears about it once.
    func testAFullDiskIsReportedOnceNotOncePerWorker() async throws {
        let dir = TemporaryDirectory()
        // The disk fills while four messages are with the server.
        let transport = ScriptedTransport(delay: 0.05, script: { id, _ in
            if id == "a5" { SessionJournal.simulatedWriteErrno = ENOSPC }
            return .sent(messageId: "ok-\(id)")
        })
        let run = try startRun(in: dir.url, 20, transport: transport, settings: RunSettings(concurrency: 4))
        let log = EventLog(run.events)
        defer { SessionJournal.simulatedWriteErrno = nil }
        let info = await run.run()
        await run.close()
        XCTAssertEqual(info.state, .paused)
        let pauses = await log.all().filter { if case .paused = $0 { return true }; return false }
        XCTAssertEqual(pauses.count, 1, "\(pauses)")
    }

    func testRenderProblemFailsOnlyThatAttendee() async throws {
        let dir = TemporaryDirectory()
        let transport = ScriptedTransport()
        let run = try startRun(in: dir.url, 3, transport: transport, renderer: PlainRenderer(failFor: ["a1"]))
        let info = await run.run()
        XCTAssertEqual(info.counts.sent, 2)
        XCTAssertEqual(info.counts.failed, 1)
        let entries = await run.entries
        guard case .failed(let reason) = entries[1] else { return XCTFail("\(entries[1])") }
        XCTAssertTrue(reason.contains("no pass type for a1"), reason)
    }

    func testStopLetsInFlightFinishAndLeavesTheRunResumable() async throws {
        let dir = TemporaryDirectory()
        let transport = ScriptedTransport(delay: 0.2)
        let run = try startRun(in: dir.url, 10, transport: transport)
        async let result = run.run()
        try await Task.sleep(nanoseconds: 50_000_000)
        await run.stop()
        let info = await result
        XCTAssertEqual(info.state, .running)
        XCTAssertEqual(info.counts.inFlight, 0)
        XCTAssertEqual(info.counts.sent, 2, "the two messages in flight finished")
        let end = await run.lastEnd
        XCTAssertEqual(end, .stopped)
        let summary = try RunCatalog.summary(SessionJournal.url(for: run.runID, in: dir.url))
        XCTAssertTrue(summary.isResumable)
        XCTAssertEqual(summary.info.counts.pending, 8)
    }

    /// Two sends started moments apart: the second chose its attendees before the first
    /// sent some of them. Who is already sent is decided again when the run is created.
    func testARunLeavesOutAttendeesAnotherRunSentSinceTheyWereSelected() async throws {
        let dir = TemporaryDirectory()
        let ledger = MemoryLedger()
        // The other run finished a1 and has a2 in flight while this one was still checking templates.
        try ledger.recordDelivery(attendeeID: "a1", status: .sent, at: Date(), messageID: "m1", error: nil)
        try ledger.recordDelivery(attendeeID: "a2", status: .inDoubt, at: Date(), messageID: nil, error: "being sent in run r1")
        let transport = ScriptedTransport()
        let run = try startRun(in: dir.url, 4, transport: transport, ledger: ledger)
        XCTAssertEqual(run.header.members.map(\.attendeeID), ["a0", "a3"])
        XCTAssertTrue(run.notices.contains { $0.contains("2 attendees") && $0.contains("meanwhile") }, "\(run.notices)")
        let info = await run.run()
        XCTAssertEqual(info.counts.sent, 2)
        XCTAssertEqual(Set(transport.sent.map(\.attendeeID)), ["a0", "a3"])

        // Everyone was sent meanwhile: no run at all.
        let all = MemoryLedger()
        for i in 0..<2 { try all.recordDelivery(attendeeID: "a\(i)", status: .sent, at: Date(), messageID: "m", error: nil) }
        XCTAssertThrowsError(try startRun(in: dir.url, 2, transport: ScriptedTransport(), ledger: all)) { error in
            XCTAssertTrue("\(error)".contains("already sent or in doubt"), "\(error)")
        }
        // --resend means it.
        let again = try RunController.begin(sessions: dir.url, members: members(2), settings: RunSettings(), transport: ScriptedTransport(),
                                            renderer: PlainRenderer(), ledger: all, transportKind: "smtp", fingerprint: "f",
                                            messageDomain: "example.org", resend: true, notices: [])
        XCTAssertEqual(again.header.members.count, 2)
        await again.close()
    }

    /// The roster lost its delivery records (`import --prune` by mistake, then the
    /// attendees imported again; or a deleted passmail.db): the session files still
    /// know who got a pass, so a new send does not mail them a second one.
    func testANewRunLeavesOutAttendeesEarlierRunsSentEvenWhenTheRosterForgot() async throws {
        let dir = TemporaryDirectory()
        let first = try startRun(in: dir.url, 2, transport: ScriptedTransport())
        _ = await first.run()
        let forgetful = MemoryLedger() // everyone "unsent"
        let transport = ScriptedTransport()
        let second = try startRun(in: dir.url, 4, transport: transport, ledger: forgetful)
        XCTAssertEqual(second.header.members.map(\.attendeeID), ["a2", "a3"])
        XCTAssertTrue(second.notices.contains { $0.contains("earlier runs sent") && $0.contains("a0, a1") && $0.contains("--resend") },
                      "\(second.notices)")
        _ = await second.run()
        XCTAssertEqual(transport.sent.map(\.attendeeID).sorted(), ["a2", "a3"])
    }

    func testOverlappingRunIsRefusedNamingTheRun() async throws {
        let dir = TemporaryDirectory()
        let first = try startRun(in: dir.url, 3, transport: ScriptedTransport())
        XCTAssertThrowsError(try startRun(in: dir.url, 2, transport: ScriptedTransport())) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(first.runID) && text.contains("passmail resume") && text.contains("passmail cancel"), text)
        }
        await first.cancel()
        _ = await first.run()
        XCTAssertNoThrow(try startRun(in: dir.url, 2, transport: ScriptedTransport()))
    }

    // MARK: - Resume

    /// A run that "crashed" right after recording the intents of a0 and a1.
    func crashedRun(_ dir: URL, n: Int = 4) throws -> String {
        let header = RunHeader(runID: "r-crash", created: Date(), transportKind: "smtp", transportName: "scripted", fingerprint: "f",
                               messageDomain: "example.org", members: members(n))
        let j = try SessionJournal.create(header: header, in: dir)
        try j.append([.sending(entry: 0, attempt: 1, messageID: "r-crash.a0@example.org", at: Date()),
                      .sending(entry: 1, attempt: 1, messageID: "r-crash.a1@example.org", at: Date())])
        j.close()
        return header.runID
    }

    func reopen(_ dir: URL, _ id: String, _ transport: ScriptedTransport, _ policy: InDoubtPolicy, ledger: MemoryLedger = MemoryLedger(),
                lookupGrace: TimeInterval = 0) throws -> RunController {
        let lock = try RunLock.acquire(runID: id, in: dir)
        let loaded = try LoadedSession.load(SessionJournal.url(for: id, in: dir))
        var settings = RunSettings(concurrency: 2)
        settings.lookupGrace = lookupGrace
        return try RunController.reopen(loaded: loaded, lock: lock, settings: settings, transport: transport,
                                        renderer: PlainRenderer(), ledger: ledger, inDoubt: policy, notices: [])
    }

    func testResumeNeverResendsInDoubtEntriesOnItsOwn() async throws {
        let dir = TemporaryDirectory()
        let id = try crashedRun(dir.url)
        let transport = ScriptedTransport()
        let ledger = MemoryLedger()
        let info = try await reopen(dir.url, id, transport, .leave, ledger: ledger).run()
        XCTAssertEqual(Set(transport.sent.map(\.attendeeID)), ["a2", "a3"])
        XCTAssertEqual(info.counts.inDoubt, 2)
        XCTAssertEqual(info.state, .finished)
        XCTAssertEqual(ledger.status["a0"], .inDoubt)
    }

    func testResumeWithResendOrMarkSent() async throws {
        let dir = TemporaryDirectory()
        let id = try crashedRun(dir.url)
        let transport = ScriptedTransport()
        _ = try await reopen(dir.url, id, transport, .resend).run()
        XCTAssertEqual(transport.sent.map(\.attendeeID).sorted(), ["a0", "a1", "a2", "a3"])
        XCTAssertEqual(transport.sent.first { $0.attendeeID == "a0" }?.messageID, "r-crash.a0@example.org")

        let dir2 = TemporaryDirectory()
        let id2 = try crashedRun(dir2.url)
        let t2 = ScriptedTransport()
        let info = try await reopen(dir2.url, id2, t2, .markSent).run()
        XCTAssertEqual(Set(t2.sent.map(\.attendeeID)), ["a2", "a3"])
        XCTAssertEqual(info.counts.sent, 4)
    }

    /// A run crashed with a0 in doubt; the organiser sent a0 their pass with `send --resend`
    /// meanwhile, then resumes the run choosing "resend": a0 does not get a second copy.
    func testResumeDoesNotResendWhatAnotherRunSentSince() async throws {
        let dir = TemporaryDirectory()
        let id = try crashedRun(dir.url)
        let ledger = MemoryLedger()
        try ledger.recordDelivery(attendeeID: "a0", status: .sent, at: Date(), messageID: "r-other.a0@example.org", error: nil)
        let transport = ScriptedTransport()
        let info = try await reopen(dir.url, id, transport, .resend, ledger: ledger).run()
        XCTAssertEqual(transport.sent.map(\.attendeeID).sorted(), ["a1", "a2", "a3"])
        XCTAssertEqual(info.counts.sent, 4)
        XCTAssertEqual(ledger.status["a0"], .sent)
        let text = try String(contentsOf: SessionJournal.url(for: id, in: dir.url), encoding: .utf8)
        XCTAssertTrue(text.contains("sent by another run since"), text)
    }

    /// The summary says "decide with `passmail resume --in-doubt mark-sent`"; typed without
    /// the run id, it finds the one finished run with entries in doubt.
    func testResumeWithAnInDoubtDecisionFindsTheFinishedRunWithoutItsID() async throws {
        let dir = TemporaryDirectory()
        let run = try startRun(in: dir.url, 3, transport: ScriptedTransport(script: { id, _ in
            id == "a1" ? .inDoubt(reason: "connection lost after the message was sent") : .sent(messageId: "ok")
        }))
        let info = await run.run()
        XCTAssertEqual(info.state, .finished)
        XCTAssertThrowsError(try RunCatalog.pickResumable(sessions: dir.url, runID: nil, decidingInDoubt: false))
        XCTAssertEqual(try RunCatalog.pickResumable(sessions: dir.url, runID: nil, decidingInDoubt: true), run.runID)
    }

    func testMailjetResolvesInDoubtEntriesByCustomID() async throws {
        let dir = TemporaryDirectory()
        let id = try crashedRun(dir.url)
        let transport = ScriptedTransport(canLookUp: true)
        transport.lookups = ["r-crash.a0": .found(messageId: "mj-576460"), "r-crash.a1": .notFound]
        let info = try await reopen(dir.url, id, transport, .leave).run()
        XCTAssertEqual(transport.sent.map(\.attendeeID).sorted(), ["a1", "a2", "a3"], "a0 was delivered; a1 never arrived")
        XCTAssertEqual(info.counts.sent, 4)
        XCTAssertEqual(info.counts.inDoubt, 0)
    }

    /// Mailjet may list a just-accepted message only after a while: resuming right after
    /// a crash must not resend on an early "not found", but ask again after the grace period.
    func testAnEarlyNotFoundIsAskedAgainAfterTheGracePeriodNotResent() async throws {
        let dir = TemporaryDirectory()
        let id = try crashedRun(dir.url)
        let transport = ScriptedTransport(canLookUp: true)
        transport.lookups = ["r-crash.a0": .found(messageId: "mj-0")]
        transport.lookupSequence = ["r-crash.a1": [.notFound, .found(messageId: "mj-1")]]
        let run = try reopen(dir.url, id, transport, .leave, lookupGrace: 0.5)
        let watcher = Task {
            var reasons: [String] = []
            for await e in run.events { if case .entryFinished(let r) = e, case .inDoubt(let why) = r.outcome { reasons.append(why) } }
            return reasons
        }
        let info = await run.run()
        XCTAssertEqual(transport.sent.map(\.attendeeID).sorted(), ["a2", "a3"], "a1 was accepted, only listed late: never resent")
        XCTAssertEqual(transport.lookedUp.filter { $0 == "r-crash.a1" }.count, 2)
        XCTAssertEqual(info.state, .finished)
        XCTAssertEqual(info.counts.sent, 4)
        XCTAssertEqual(info.counts.inDoubt, 0)
        let shown = await watcher.value
        XCTAssertTrue(shown.contains { $0.hasPrefix("waiting until ") && $0.contains("ask Mailjet again") }, "\(shown)")
        let text = try String(contentsOf: SessionJournal.url(for: id, in: dir.url), encoding: .utf8)
        XCTAssertTrue(text.contains("waiting until"), text)
    }

    func testNotFoundAgainAfterTheGracePeriodResendsExactlyOnce() async throws {
        let dir = TemporaryDirectory()
        let id = try crashedRun(dir.url)
        let transport = ScriptedTransport(canLookUp: true)
        transport.lookups = ["r-crash.a0": .found(messageId: "mj-0"), "r-crash.a1": .notFound]
        let info = try await reopen(dir.url, id, transport, .leave, lookupGrace: 0.5).run()
        XCTAssertEqual(transport.sent.map(\.attendeeID).sorted(), ["a1", "a2", "a3"])
        XCTAssertEqual(transport.lookedUp.filter { $0 == "r-crash.a1" }.count, 2)
        XCTAssertEqual(info.counts.sent, 4)
    }

    func testRetryingEntriesKeepAttemptAndTimeAcrossRestart() async throws {
        let dir = TemporaryDirectory()
        let header = RunHeader(runID: "r-retry", created: Date(), transportKind: "smtp", transportName: "scripted", fingerprint: "f",
                               messageDomain: "example.org", members: members(1))
        let j = try SessionJournal.create(header: header, in: dir.url)
        let next = Date().addingTimeInterval(0.3)
        try j.append([.sending(entry: 0, attempt: 2, messageID: "m", at: Date()),
                      .retrying(entry: 0, reason: "451", attempt: 2, nextAttemptAt: next, at: Date())])
        j.close()
        let transport = ScriptedTransport()
        let info = try await reopen(dir.url, "r-retry", transport, .leave).run()
        XCTAssertEqual(info.counts.sent, 1)
        let summary = try RunCatalog.summary(j.url)
        XCTAssertEqual(summary.entries[0], .sent(messageID: "ok-a0"))
        let loaded = try LoadedSession.load(j.url)
        XCTAssertTrue(loaded.records.contains { if case .sending(0, 3, _, let at) = $0 { return at >= next.addingTimeInterval(-0.01) }; return false },
                      "third attempt, not before the recorded time")
    }

    func testASecondResumeOfALiveRunIsRefused() async throws {
        let dir = TemporaryDirectory()
        let id = try crashedRun(dir.url)
        let held = try reopen(dir.url, id, ScriptedTransport(), .leave)
        XCTAssertThrowsError(try reopen(dir.url, id, ScriptedTransport(), .leave)) {
            XCTAssertTrue("\($0)".contains("is being sent by process \(getpid())"), "\($0)")
        }
        await held.close()
    }

    func testAFinishedRunWithInDoubtEntriesCanStillResendThem() async throws {
        let dir = TemporaryDirectory()
        let id = try crashedRun(dir.url, n: 3)
        let first = ScriptedTransport()
        let info = try await reopen(dir.url, id, first, .leave).run()
        XCTAssertEqual(info.state, .finished)
        XCTAssertEqual(info.counts.inDoubt, 2)
        XCTAssertThrowsError(try reopen(dir.url, id, ScriptedTransport(), .leave)) {
            XCTAssertTrue("\($0)".contains("has finished; nothing to resume"), "\($0)")
        }
        let second = ScriptedTransport()
        let again = try await reopen(dir.url, id, second, .resend).run()
        XCTAssertEqual(second.sent.map(\.attendeeID).sorted(), ["a0", "a1"])
        XCTAssertEqual(again.state, .finished)
        XCTAssertEqual(again.counts.sent, 3)
    }

    func testCancellingACrashedRunRecordsTheInterruptedEntriesAsInDoubt() throws {
        let dir = TemporaryDirectory()
        let workspace = Workspace(root: dir.url, config: PassmailConfig())
        try FileManager.default.createDirectory(at: workspace.sessionsURL, withIntermediateDirectories: true)
        let id = try crashedRun(workspace.sessionsURL)
        let info = try RunCatalog.cancel(workspace: workspace, runID: nil)
        XCTAssertEqual(info.id, id)
        XCTAssertEqual(info.counts.inDoubt, 2)
        XCTAssertEqual(info.counts.pending, 2)
        let summary = try RunCatalog.summary(SessionJournal.url(for: id, in: workspace.sessionsURL))
        XCTAssertEqual(summary.info.state, .cancelled)
        XCTAssertNotNil(summary.info.finishedAt)
        XCTAssertFalse(summary.isResumable)
        XCTAssertThrowsError(try RunCatalog.cancel(workspace: workspace, runID: id))
    }

    func testRatePerMinuteSpacesTheRecordedIntents() async throws {
        let dir = TemporaryDirectory()
        let run = try startRun(in: dir.url, 6, transport: ScriptedTransport(),
                               settings: RunSettings(concurrency: 4, ratePerMinute: 120))
        let info = await run.run()
        XCTAssertEqual(info.counts.sent, 6)
        let loaded = try LoadedSession.load(SessionJournal.url(for: run.runID, in: dir.url))
        let times = loaded.records.compactMap { r -> Date? in if case .sending(_, _, _, let at) = r { return at }; return nil }.sorted()
        XCTAssertEqual(times.count, 6)
        // 120/min = 2/s with a burst of 2: any stretch of T seconds holds at most 2 + 2·T intents.
        for i in 0..<times.count {
            for j in i..<times.count {
                let span = times[j].timeIntervalSince(times[i])
                XCTAssertLessThanOrEqual(Double(j - i + 1), 2 + 2 * span + 0.1, "intents \(i)...\(j) within \(span) s")
            }
        }
        XCTAssertGreaterThanOrEqual(times[5].timeIntervalSince(times[0]), 1.9, "six intents need at least two seconds at this rate")
    }

    func testTheRosterSaysInDoubtFromTheIntentUntilTheOutcome() async throws {
        let dir = TemporaryDirectory()
        let ledger = MemoryLedger()
        let gate = Gate()
        let transport = ScriptedTransport(script: { id, attempt in
            gate.wait()
            return attempt == 1 && id == "a0" ? .transient(reason: "451 later", retryAfter: nil) : .sent(messageId: "ok")
        })
        let run = try startRun(in: dir.url, 1, transport: transport, ledger: ledger,
                               settings: RunSettings(concurrency: 1, retryBaseSeconds: 0.05, retryMaxSeconds: 0.05))
        async let result = run.run()
        while transport.sent.isEmpty { try await Task.sleep(nanoseconds: 5_000_000) }
        XCTAssertEqual(ledger.status["a0"], .inDoubt, "while the server has it, it is not unsent")
        gate.open()
        let info = await result
        XCTAssertEqual(info.counts.sent, 1)
        XCTAssertEqual(ledger.status["a0"], .sent)
    }
}

extension RunControllerTests {
    func testResumeRepairsTheRosterFromTheJournal() async throws {
        let dir = TemporaryDirectory()
        let id = try crashedRun(dir.url)
        let ledger = MemoryLedger()
        try ledger.recordDelivery(attendeeID: "a0", status: .unsent, at: Date(), messageID: nil, error: nil)
        try ledger.recordDelivery(attendeeID: "a2", status: .inDoubt, at: Date(), messageID: nil, error: "being sent")
        let run = try reopen(dir.url, id, ScriptedTransport(delay: 0.2), .leave, ledger: ledger)
        XCTAssertEqual(ledger.status["a2"], .unsent, "pending per the journal")
        _ = await run.run()
        XCTAssertEqual(ledger.status["a0"], .inDoubt, "interrupted mid-send")
        XCTAssertEqual(ledger.status["a2"], .sent)
    }
}

/// Holds transport calls until the test opens it.
final class Gate: @unchecked Sendable {
    private let cond = NSCondition()
    private var isOpen = false
    func wait() { cond.lock(); while !isOpen { cond.wait() }; cond.unlock() }
    func open() { cond.lock(); isOpen = true; cond.broadcast(); cond.unlock() }
}
