import XCTest
import Core
@testable import Engine

/// The pure machine, event by event: what it dispatches, records and decides.
final class RunMachineTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func machine(_ n: Int, _ settings: RunSettings = RunSettings(concurrency: 1), random: Double = 0) -> RunMachine {
        RunMachine(entryCount: n, settings: settings, random: { random })
    }

    func dispatched(_ w: RunMachine.Work, file: StaticString = #filePath, line: UInt = #line) -> RunMachine.Batch {
        guard case .dispatch(let b) = w else { XCTFail("expected a dispatch, got \(w)", file: file, line: line); return .init(entries: [], attempts: []) }
        return b
    }

    /// Renders, records the intent and completes one entry with an outcome.
    @discardableResult
    func complete(_ m: inout RunMachine, _ e: Int, _ outcome: DeliveryOutcome, at t: Date? = nil) -> [JournalRecord] {
        let now = t ?? t0
        let intent = m.readyToSend(e, messageID: "m\(e)", now: now)
        guard case .sending(e, _, "m\(e)", _) = intent else { XCTFail("intent \(intent)"); return [] }
        let r = m.sendCompleted(e, outcome: outcome, now: now)
        m.workerFinished()
        return r
    }

    func testSendsEveryEntryInOrderThenFinishes() {
        var m = machine(3)
        for e in 0..<3 {
            let b = dispatched(m.nextWork(now: t0))
            XCTAssertEqual(b.entries, [e])
            XCTAssertEqual(b.attempts, [1])
            XCTAssertEqual(m.counts.inFlight, 1)
            XCTAssertEqual(complete(&m, e, .sent(messageId: "p\(e)")), [.sent(entry: e, messageID: "p\(e)", note: nil, at: t0)])
        }
        XCTAssertEqual(m.nextWork(now: t0), .ended(.finished, record: .finished(at: t0)))
        XCTAssertEqual(m.nextWork(now: t0), .ended(.finished, record: nil), "the finished record is written once")
        XCTAssertEqual(m.counts.sent, 3)
        XCTAssertEqual(m.runState, .finished)
    }

    func testConcurrencyCapsWorkersInFlight() {
        var m = machine(5, RunSettings(concurrency: 2))
        XCTAssertEqual(dispatched(m.nextWork(now: t0)).entries, [0])
        XCTAssertEqual(dispatched(m.nextWork(now: t0)).entries, [1])
        XCTAssertEqual(m.nextWork(now: t0), .wait(until: nil), "both workers busy: wait for an outcome")
        complete(&m, 1, .sent(messageId: "x"))
        XCTAssertEqual(dispatched(m.nextWork(now: t0)).entries, [2])
    }

    func testMailjetBatchesUpToMaxBatchSize() {
        var m = machine(120, RunSettings(concurrency: 2, maxBatchSize: 50))
        XCTAssertEqual(dispatched(m.nextWork(now: t0)).entries, Array(0..<50))
        XCTAssertEqual(dispatched(m.nextWork(now: t0)).entries, Array(50..<100))
        XCTAssertEqual(m.counts.inFlight, 100)
    }

    func testTransientFailureBacksOffThenRetriesWithTheNextAttempt() {
        var m = machine(1, RunSettings(concurrency: 1, maxAttempts: 3, retryBaseSeconds: 10, retryMaxSeconds: 100), random: 0)
        _ = m.nextWork(now: t0)
        // Equal jitter with random 0: half of base·2^0.
        XCTAssertEqual(complete(&m, 0, .transient(reason: "451 busy", retryAfter: nil)),
                       [.retrying(entry: 0, reason: "451 busy", attempt: 1, nextAttemptAt: t0 + 5, at: t0)])
        XCTAssertEqual(m.nextWork(now: t0), .wait(until: t0 + 5))
        XCTAssertEqual(m.counts.retrying, 1)
        let b = dispatched(m.nextWork(now: t0 + 5))
        XCTAssertEqual(b.attempts, [2])
        // Second failure: base·2 = 20, half of it with random 0.
        XCTAssertEqual(complete(&m, 0, .transient(reason: "451 busy", retryAfter: nil), at: t0 + 5),
                       [.retrying(entry: 0, reason: "451 busy", attempt: 2, nextAttemptAt: t0 + 15, at: t0 + 5)])
        _ = dispatched(m.nextWork(now: t0 + 15))
        let last = complete(&m, 0, .transient(reason: "451 busy", retryAfter: nil), at: t0 + 15)
        XCTAssertEqual(last, [.failed(entry: 0, reason: "gave up after 3 attempts: 451 busy", at: t0 + 15)])
    }

    /// The clock steps back an hour while an entry waits to be retried: it still waits
    /// only its backoff, not the backoff plus the hour.
    func testARetryWaitsItsBackoffEvenWhenTheClockStepsBack() {
        var m = machine(1, RunSettings(concurrency: 1, maxAttempts: 3, retryBaseSeconds: 10, retryMaxSeconds: 100), random: 0)
        _ = m.nextWork(now: t0)
        complete(&m, 0, .transient(reason: "451 busy", retryAfter: nil), at: t0 + 1)
        let back = t0 - 3600
        XCTAssertEqual(m.nextWork(now: back), .wait(until: back + 5))
        XCTAssertEqual(dispatched(m.nextWork(now: back + 5)).attempts, [2])

        // The same after a restart: the journal's times are replayed, then the clock is behind them.
        var n = machine(1, RunSettings(concurrency: 1, maxAttempts: 3, retryBaseSeconds: 10, retryMaxSeconds: 100), random: 0)
        _ = n.nextWork(now: t0)
        let header = RunHeader(runID: "r1", created: t0, transportKind: "smtp", transportName: "smtp", fingerprint: "f",
                               messageDomain: "example.org", members: [RunMember(attendeeID: "a0", name: "A", email: "a@example.org")])
        let records = [.header(header), n.readyToSend(0, messageID: "m0", now: t0)]
            + n.sendCompleted(0, outcome: .transient(reason: "451 busy", retryAfter: nil), now: t0 + 1)
        var replayed = try! RunMachine(replaying: records, settings: n.settings, random: { 0 })
        XCTAssertEqual(replayed.nextWork(now: back), .wait(until: back + 5))
    }

    func testRetryAfterIsAFloorAndJitterStaysInTheUpperHalf() {
        let p = RetryPolicy(maxAttempts: 5, base: 10, cap: 1000)
        XCTAssertEqual(p.delay(afterAttempt: 1, retryAfter: 120, random: 0.9), 120)
        XCTAssertEqual(p.delay(afterAttempt: 1, retryAfter: 1, random: 1), 10)
        XCTAssertEqual(p.delay(afterAttempt: 3, retryAfter: nil, random: 0.5), 30)
        XCTAssertEqual(p.delay(afterAttempt: 20, retryAfter: nil, random: 1), 1000, "capped at retry_max_seconds")
    }

    func testPermanentFailureAndInDoubtAreEndStates() {
        var m = machine(2, RunSettings(concurrency: 2))
        _ = m.nextWork(now: t0); _ = m.nextWork(now: t0)
        XCTAssertEqual(complete(&m, 0, .permanent(reason: "550 no such user")), [.failed(entry: 0, reason: "550 no such user", at: t0)])
        XCTAssertEqual(complete(&m, 1, .inDoubt(reason: "connection lost after DATA")),
                       [.inDoubt(entry: 1, reason: "connection lost after DATA", at: t0)])
        XCTAssertEqual(m.nextWork(now: t0), .ended(.finished, record: .finished(at: t0)))
        XCTAssertEqual(m.counts.failed, 1)
        XCTAssertEqual(m.counts.inDoubt, 1)
    }

    func testFatalOutcomePausesWithTheReasonAndRequeuesWithoutFailingAnyone() {
        var m = machine(4, RunSettings(concurrency: 2))
        _ = m.nextWork(now: t0); _ = m.nextWork(now: t0)
        let reason = "credentials rejected by smtp.example.org: 535 5.7.8 bad credentials"
        XCTAssertEqual(complete(&m, 0, .fatal(reason: reason)),
                       [.pending(entry: 0, reason: "not sent: \(reason)", at: t0), .paused(reason: reason, byOrganiser: false, at: t0)])
        XCTAssertEqual(m.nextWork(now: t0), .wait(until: nil), "entry 1 is still in flight")
        XCTAssertEqual(complete(&m, 1, .sent(messageId: "ok")).count, 1, "in-flight outcomes still land while paused")
        XCTAssertEqual(m.nextWork(now: t0), .ended(.paused(reason: reason), record: nil))
        XCTAssertEqual(m.counts.failed, 0)
        XCTAssertEqual(m.counts.pending, 3)
        XCTAssertEqual(m.pauseReason, reason)
        XCTAssertEqual(m.resume(now: t0), [.resumed(at: t0)])
        let b = dispatched(m.nextWork(now: t0))
        XCTAssertEqual(b.entries, [0])
        XCTAssertEqual(b.attempts, [2], "the attempt that met the fatal answer still counts")
    }

    /// One address the server keeps deferring is retried until `max_attempts` and then
    /// failed; its retries are not five different failures, so the run does not pause.
    func testOneEntryRetriedManyTimesDoesNotTripTheBreaker() {
        var m = machine(1, RunSettings(concurrency: 1, maxAttempts: 5, retryBaseSeconds: 1, retryMaxSeconds: 1, breakerThreshold: 5))
        var t = t0
        for attempt in 1...5 {
            XCTAssertEqual(dispatched(m.nextWork(now: t)).attempts, [attempt])
            let r = complete(&m, 0, .transient(reason: "451 4.3.0 try later", retryAfter: nil), at: t)
            XCTAssertFalse(r.contains { if case .paused = $0 { return true }; return false }, "attempt \(attempt): \(r)")
            t += 2
        }
        XCTAssertEqual(m.counts.failed, 1)
        XCTAssertEqual(m.nextWork(now: t), .ended(.finished, record: .finished(at: t)))
    }

    func testBreakerTripsOnConsecutiveFailuresOfTheSameKind() {
        var m = machine(10, RunSettings(concurrency: 1, maxAttempts: 5, retryBaseSeconds: 60, breakerThreshold: 3))
        for e in 0..<2 {
            _ = m.nextWork(now: t0)
            XCTAssertEqual(complete(&m, e, .transient(reason: "451 4.3.0 try later", retryAfter: nil)).count, 1)
        }
        _ = m.nextWork(now: t0)
        let r = complete(&m, 2, .transient(reason: "451 4.3.0 try later", retryAfter: nil))
        XCTAssertEqual(r.count, 2)
        guard case .paused(let reason, false, _) = r[1] else { return XCTFail("expected a pause, got \(r)") }
        XCTAssertTrue(reason.contains("3 consecutive failures"), reason)
        XCTAssertTrue(reason.contains("451 4.3.0 try later"), reason)
        XCTAssertEqual(m.counts.failed, 0, "the breaker never marks the rest failed")
        XCTAssertEqual(m.counts.pending, 7)
    }

    func testBreakerIgnoresDifferentKindsAndResetsOnSuccess() {
        var m = machine(10, RunSettings(concurrency: 1, breakerThreshold: 2))
        _ = m.nextWork(now: t0)
        complete(&m, 0, .permanent(reason: "550 5.1.1 user unknown"))
        _ = m.nextWork(now: t0)
        complete(&m, 1, .permanent(reason: "552 mailbox full"))
        _ = m.nextWork(now: t0)
        complete(&m, 2, .sent(messageId: "x"))
        _ = m.nextWork(now: t0)
        XCTAssertEqual(complete(&m, 3, .permanent(reason: "552 mailbox full")).count, 1)
        XCTAssertEqual(m.runState, .running)
    }

    func testRatePerMinuteSpacesMessages() {
        var m = machine(5, RunSettings(concurrency: 4, ratePerMinute: 60))
        XCTAssertEqual(dispatched(m.nextWork(now: t0)).entries, [0])
        XCTAssertEqual(m.nextWork(now: t0), .wait(until: t0 + 1))
        XCTAssertEqual(dispatched(m.nextWork(now: t0 + 1)).entries, [1])
        XCTAssertEqual(m.nextWork(now: t0 + 1.5), .wait(until: t0 + 2))
    }

    /// NTP steps the clock back an hour mid-run: the rate cap keeps spacing messages
    /// instead of stalling the run until the clock catches up again.
    func testARateCappedRunKeepsGoingWhenTheClockStepsBack() {
        var m = machine(5, RunSettings(concurrency: 4, ratePerMinute: 60))
        XCTAssertEqual(dispatched(m.nextWork(now: t0)).entries, [0])
        let back = t0 - 3600
        XCTAssertEqual(m.nextWork(now: back), .wait(until: back + 1))
        XCTAssertEqual(dispatched(m.nextWork(now: back + 1)).entries, [1])
        XCTAssertEqual(m.nextWork(now: back + 1.5), .wait(until: back + 2))
    }

    func testRatePerHourLimitsBurstToAMinutesWorth() {
        var m = machine(10, RunSettings(concurrency: 10, ratePerHour: 120, maxBatchSize: 1))
        _ = dispatched(m.nextWork(now: t0))
        _ = dispatched(m.nextWork(now: t0))
        XCTAssertEqual(m.nextWork(now: t0), .wait(until: t0 + 30))
    }

    func testRateLimitShrinksMailjetBatches() {
        var m = machine(100, RunSettings(concurrency: 1, ratePerMinute: 600, maxBatchSize: 50))
        XCTAssertEqual(dispatched(m.nextWork(now: t0)).entries.count, 10, "capacity is one second of the rate")
    }

    func testOrganiserPauseWaitsInsteadOfEnding() {
        var m = machine(3)
        XCTAssertEqual(m.pause(now: t0), [.paused(reason: "paused by the organiser", byOrganiser: true, at: t0)])
        XCTAssertEqual(m.pause(now: t0), [], "pausing twice changes nothing")
        XCTAssertEqual(m.nextWork(now: t0), .wait(until: nil))
        XCTAssertEqual(m.resume(now: t0), [.resumed(at: t0)])
        XCTAssertEqual(dispatched(m.nextWork(now: t0)).entries, [0])
    }

    func testCancelKeepsUnsentEntriesUnsentAndLetsInFlightLand() {
        var m = machine(3)
        _ = m.nextWork(now: t0)
        XCTAssertEqual(m.cancel(now: t0), [.cancelled(at: t0)])
        XCTAssertEqual(m.nextWork(now: t0), .wait(until: nil))
        complete(&m, 0, .sent(messageId: "x"))
        XCTAssertEqual(m.nextWork(now: t0), .ended(.cancelled, record: nil))
        XCTAssertEqual(m.counts.pending, 2)
        XCTAssertEqual(m.counts.sent, 1)
        XCTAssertEqual(m.runState, .cancelled)
    }

    func testStopDrainsAndLeavesTheRunResumable() {
        var m = machine(3)
        _ = m.nextWork(now: t0)
        m.stop()
        XCTAssertEqual(m.nextWork(now: t0), .wait(until: nil))
        complete(&m, 0, .sent(messageId: "x"))
        XCTAssertEqual(m.nextWork(now: t0), .ended(.stopped, record: nil))
        XCTAssertEqual(m.runState, .running)
    }

    func testJournalFailureRequeuesUnrecordedEntriesAndPauses() {
        var m = machine(3, RunSettings(concurrency: 2))
        _ = m.nextWork(now: t0)
        _ = m.readyToSend(0, messageID: "m0", now: t0)
        m.journalFailed(reason: "cannot write the session file: No space left on device", entries: [0])
        m.workerFinished()
        XCTAssertEqual(m.entries[0], .pending)
        XCTAssertEqual(m.attempts(of: 0), 0)
        XCTAssertEqual(m.nextWork(now: t0), .ended(.paused(reason: "cannot write the session file: No space left on device"), record: nil))
    }

    func testRenderFailureFailsTheEntryWithTheReason() {
        var m = machine(2)
        _ = m.nextWork(now: t0)
        XCTAssertEqual(m.renderFailed(0, reason: "no email", now: t0), [.failed(entry: 0, reason: "no email", at: t0)])
        m.workerFinished()
        XCTAssertEqual(dispatched(m.nextWork(now: t0)).entries, [1])
    }

    func testDueRetriesGoBeforeFreshEntries() {
        var m = machine(3, RunSettings(concurrency: 1, retryBaseSeconds: 2, retryMaxSeconds: 2))
        _ = m.nextWork(now: t0)
        complete(&m, 0, .transient(reason: "421", retryAfter: nil))
        XCTAssertEqual(dispatched(m.nextWork(now: t0)).entries, [1], "retry not due yet")
        complete(&m, 1, .sent(messageId: "x"))
        XCTAssertEqual(dispatched(m.nextWork(now: t0 + 10)).entries, [0])
    }

    // MARK: - In doubt

    func testLookupsResolveInDoubtEntries() {
        var m = machine(3, RunSettings(concurrency: 3))
        for _ in 0..<3 { _ = m.nextWork(now: t0) }
        for e in 0..<3 { complete(&m, e, .inDoubt(reason: "timeout")) }
        XCTAssertEqual(m.nextWork(now: t0), .ended(.finished, record: .finished(at: t0)))
        XCTAssertEqual(m.lookedUp(0, result: .found(messageID: "mj-1"), now: t0),
                       [.sent(entry: 0, messageID: "mj-1", note: "confirmed by the provider", at: t0)])
        XCTAssertEqual(m.lookedUp(1, result: .unknown, now: t0), [])
        XCTAssertEqual(m.lookedUp(2, result: .notFound, now: t0),
                       [.pending(entry: 2, reason: "the provider never received it", at: t0), .resumed(at: t0)],
                       "a finished run reopens when an entry goes back to the queue")
        XCTAssertEqual(dispatched(m.nextWork(now: t0)).entries, [2])
        XCTAssertEqual(m.entries[1], .inDoubt(reason: "timeout"))
    }

    func testAnEarlyNotFoundWaitsForTheGracePeriodInsteadOfResending() {
        var settings = RunSettings(concurrency: 2)
        settings.lookupGrace = 300
        var m = machine(2, settings)
        _ = m.nextWork(now: t0); _ = m.nextWork(now: t0)
        complete(&m, 0, .inDoubt(reason: "timeout"), at: t0)
        complete(&m, 1, .inDoubt(reason: "timeout"), at: t0)
        XCTAssertEqual(m.nextWork(now: t0), .ended(.finished, record: .finished(at: t0)))

        let early = t0.addingTimeInterval(10)
        let records = m.lookedUp(0, result: .notFound, now: early)
        guard case .inDoubt(0, let reason, early)? = records.first else { return XCTFail("\(records)") }
        XCTAssertTrue(reason.hasPrefix("waiting until "), reason)
        XCTAssertTrue(reason.contains("to ask Mailjet again"), reason)
        XCTAssertEqual(records.last, .resumed(at: early), "the run is not finished while a lookup is due")
        XCTAssertEqual(m.entries[0], .inDoubt(reason: reason))
        XCTAssertTrue(m.awaitsLookup(0))
        XCTAssertEqual(m.lookupsDue(now: early), [])
        XCTAssertEqual(m.nextWork(now: early), .wait(until: t0.addingTimeInterval(300)), "nothing is resent; the run waits")

        let later = t0.addingTimeInterval(300)
        XCTAssertEqual(m.lookupsDue(now: later), [0])
        XCTAssertEqual(m.lookedUp(0, result: .found(messageID: "mj-0"), now: later),
                       [.sent(entry: 0, messageID: "mj-0", note: "confirmed by the provider", at: later)])
        XCTAssertEqual(m.lookupsDue(now: later), [])

        XCTAssertEqual(m.lookedUp(1, result: .found(messageID: "mj-1"), now: early).count, 1, "found is trusted at once")
        XCTAssertEqual(m.entries[1], .sent(messageID: "mj-1"))
        XCTAssertEqual(m.nextWork(now: later), .ended(.finished, record: .finished(at: later)))
    }

    func testNotFoundAgainAfterTheGracePeriodResendsOnce() {
        var settings = RunSettings(concurrency: 1)
        settings.lookupGrace = 300
        var m = machine(1, settings)
        _ = m.nextWork(now: t0)
        complete(&m, 0, .inDoubt(reason: "timeout"), at: t0)
        _ = m.nextWork(now: t0)
        XCTAssertEqual(m.lookedUp(0, result: .notFound, now: t0.addingTimeInterval(1)).count, 2)
        let later = t0.addingTimeInterval(301)
        XCTAssertEqual(m.lookedUp(0, result: .notFound, now: later),
                       [.pending(entry: 0, reason: "the provider never received it", at: later)])
        XCTAssertEqual(dispatched(m.nextWork(now: later)).attempts, [2])
    }

    func testTheGracePeriodCountsFromTheJournalledIntentAfterACrash() throws {
        let header = RunHeader(runID: "r-g", created: t0, transportKind: "mailjet", transportName: "Mailjet", fingerprint: "f",
                               messageDomain: "example.org",
                               members: [RunMember(attendeeID: "a0", name: "A", email: "a@example.org")])
        var settings = RunSettings()
        settings.lookupGrace = 300
        // Crashed once while waiting for the grace period: the last record is the "waiting" in-doubt one.
        var m = try RunMachine(replaying: [.header(header), .sending(entry: 0, attempt: 1, messageID: "m", at: t0),
                                           .inDoubt(entry: 0, reason: "waiting until 00:00 to ask Mailjet again", at: t0)],
                               settings: settings)
        _ = m.reopen(now: t0.addingTimeInterval(60))
        XCTAssertEqual(m.lookedUp(0, result: .notFound, now: t0.addingTimeInterval(60)).count, 1)
        XCTAssertEqual(m.lookupsDue(now: t0.addingTimeInterval(299)), [])
        XCTAssertEqual(m.lookupsDue(now: t0.addingTimeInterval(300)), [0])
    }

    func testOrganiserDecidesInDoubtEntries() {
        var m = machine(2, RunSettings(concurrency: 2))
        _ = m.nextWork(now: t0); _ = m.nextWork(now: t0)
        complete(&m, 0, .inDoubt(reason: "t")); complete(&m, 1, .inDoubt(reason: "t"))
        XCTAssertEqual(m.markSent(0, messageID: "m0", now: t0), [.sent(entry: 0, messageID: "m0", note: "marked sent by the organiser", at: t0)])
        XCTAssertEqual(m.resendInDoubt(1, now: t0).first, .pending(entry: 1, reason: "the organiser chose to resend it", at: t0))
        XCTAssertEqual(dispatched(m.nextWork(now: t0)).attempts, [2])
    }

    func testAMessageRenderedAfterAPauseIsNotSent() {
        var m = machine(3, RunSettings(concurrency: 2))
        _ = m.nextWork(now: t0)
        XCTAssertTrue(m.acceptsSends)
        _ = m.pause(now: t0)
        XCTAssertFalse(m.acceptsSends)
        m.renderAbandoned(0)
        m.workerFinished()
        XCTAssertEqual(m.entries[0], .pending)
        XCTAssertEqual(m.attempts(of: 0), 0)
        _ = m.resume(now: t0)
        XCTAssertEqual(dispatched(m.nextWork(now: t0)).attempts, [1])
    }
}
