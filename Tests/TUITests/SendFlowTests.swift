import Foundation
import XCTest
import Core
import Engine
@testable import TUI

/// From selection to summary: confirm, progress, pause, cancel, leave the screen, quit.
final class SendFlowTests: XCTestCase {
    static let start = SampleRoster.date("2027-03-12T15:00:00Z")

    func report(_ id: String, _ name: String, _ outcome: EntryOutcome, second: Double = 10) -> EntryReport {
        EntryReport(attendeeID: id, name: name, email: "\(id)@example.org", outcome: outcome,
                    at: Self.start.addingTimeInterval(second))
    }

    func progress(sent: Int, failed: Int = 0, retrying: Int = 0, inDoubt: Int = 0, inFlight: Int = 0, total: Int,
                  elapsed: TimeInterval, perMinute: Double, eta: TimeInterval?) -> EngineEvent {
        var c = RunCounts()
        c.total = total; c.sent = sent; c.failed = failed; c.retrying = retrying; c.inDoubt = inDoubt
        c.inFlight = inFlight; c.pending = total - sent - failed - inDoubt
        return .progress(RunProgress(counts: c, elapsed: elapsed, perMinute: perMinute, eta: eta))
    }

    /// Selects the three Speakers and confirms: the state every later test starts from.
    func startedSpeakerRun() -> TUIScript {
        var ui = TUIScript()
        ui.press("tta")  // only Speakers, all of them
        ui.press("s")
        ui.send(.sendChecked(problems: [], problemCount: 0))
        ui.press("R<enter>")   // Ada was sent already: include her again
        ui.send(.runStarted(runID: "r20270312-1500", attendeeIDs: ["a2", "a7", "a12"], startedAt: Self.start))
        return ui
    }

    func testSendWithNothingSelectedSaysWhatToDo() {
        var ui = TUIScript()
        XCTAssertEqual(ui.press("s"), [])
        XCTAssertEqual(ui.model.screen, .roster)
        XCTAssertTrue(ui.screenText.contains("s: select attendees first (space, a)"))
    }

    func testConfirmShowsThePlanAndOnlyStartsOnEnter() {
        var ui = TUIScript()
        ui.press("tta")
        XCTAssertEqual(ui.press("s"), [.checkSend(attendeeIDs: ["a2", "a7", "a12"])])
        XCTAssertTrue(ui.screenText.contains("Checking templates for 3 attendees…"))
        XCTAssertEqual(ui.press("<enter>"), [], "cannot start while checking")
        ui.send(.sendChecked(problems: [], problemCount: 0))
        assertSnapshot(ui.screenText, named: "confirm-send-speakers")
        // Ada was sent already: left out unless R.
        XCTAssertTrue(ui.screenText.contains("Send 2 passes via smtp (smtp.example.org) · concurrency 4 · under a minute"))
        XCTAssertTrue(ui.screenText.contains("1 selected attendee already has a pass (or may have): left out. R includes them."))
        ui.press("R")
        XCTAssertTrue(ui.screenText.contains("Send 3 passes via"))
        XCTAssertTrue(ui.screenText.contains("(or may have): sent again. R leaves them out."))
        XCTAssertEqual(ui.press("<enter>"), [.startRun(attendeeIDs: ["a2", "a7", "a12"], resend: true)])
        XCTAssertEqual(ui.model.screen, .progress)
    }

    func testSelectionOfOnlyAlreadySentPeopleSendsNothingUnlessAsked() {
        var ui = TUIScript()
        ui.press("j<space>s")   // Ada, sent on 12 Mar
        ui.send(.sendChecked(problems: [], problemCount: 0))
        XCTAssertTrue(ui.screenText.contains("Nothing to send: press R to send to them again"))
        XCTAssertEqual(ui.press("<enter>"), [])
        XCTAssertEqual(ui.press("R<enter>"), [.startRun(attendeeIDs: ["a2"], resend: true)])
    }

    func testEstimateUsesConcurrency() {
        var ui = TUIScript(attendees: SampleRoster.many(66))
        ui.press("as")
        ui.send(.sendChecked(problems: [], problemCount: 0))
        // 66 messages × 11 s / 4 connections ≈ 3 min
        XCTAssertTrue(ui.screenText.contains("Send 66 passes via smtp (smtp.example.org) · concurrency 4 · about 3 min"))
    }

    func testTemplateProblemsAreListedInsteadOfStarting() {
        var ui = TUIScript()
        ui.press("as")
        ui.send(.sendChecked(problems: ["templates/pass.txt.mustache:3: {{Company}}: no such field (attendee a3)"],
                             problemCount: 12))
        XCTAssertTrue(ui.screenText.contains("Nothing will be sent: 12 problems to fix first."))
        XCTAssertTrue(ui.screenText.contains("{{Company}}: no such field"))
        XCTAssertTrue(ui.screenText.contains("… and 11 more"))
        XCTAssertEqual(ui.press("<enter>"), [])
        XCTAssertEqual(ui.model.message?.text, "Enter: fix the template problems first")
        ui.press("<esc>")
        XCTAssertEqual(ui.model.screen, .roster)
    }

    func testProgressScreenShowsLiveFiguresAndRecentOutcomes() {
        var ui = startedSpeakerRun()
        ui.send(.engine(.entryFinished(report("a2", "Ada Lovelace", .sent(messageId: "m1")))))
        ui.send(.engine(.entryFinished(report("a7", "Margaret Hamilton", .failed(reason: "550 5.1.1 mailbox unknown")))))
        ui.send(.engine(.entryFinished(report("a12", "Tim Berners-Lee",
            .retrying(reason: "421 try later", attempt: 1, nextAttemptAt: Self.start.addingTimeInterval(60))))))
        ui.send(.engine(progress(sent: 1, failed: 1, retrying: 1, inFlight: 1, total: 3, elapsed: 42, perMinute: 2.9, eta: 21)))
        assertSnapshot(ui.screenText, named: "progress-running")
        XCTAssertTrue(ui.screenText.contains("Processing 3/3"))
        XCTAssertTrue(ui.screenText.contains("✓ 1 sent   ✗ 1 failed   ↻ 1 retrying   ? 0 in doubt"))
        XCTAssertTrue(ui.screenText.contains("2.9/min · ETA 0:21 · elapsed 0:42"))
        // The failure is red, with its reason.
        let row = ui.frame.lines.firstIndex { $0.contains("550 5.1.1 mailbox unknown") }!
        XCTAssertEqual(ui.frame.style(atRow: row, column: 1), .error)
        // The table learned the outcomes.
        let ada = ui.model.table.attendees[ui.model.table.position(ofID: "a2")!]
        XCTAssertEqual(ada.delivery.status, .sent)
        XCTAssertEqual(ui.model.table.attendees[ui.model.table.position(ofID: "a7")!].delivery.status, .failed)
    }

    func testProgressAtTheMinimumSizeKeepsBarCountsAndKeys() {
        var ui = startedSpeakerRun()
        ui.send(.resized(width: 60, height: 16))
        ui.send(.engine(.entryFinished(report("a7", "Margaret Hamilton", .failed(reason: "550 5.1.1 mailbox unknown")))))
        ui.send(.engine(.paused(reason: "disk full: no space left on device (ENOSPC)")))
        assertSnapshot(ui.screenText, named: "progress-60x16-paused")
        XCTAssertTrue(ui.frame.lines.allSatisfy { $0.displayWidth == 60 })
        XCTAssertTrue(ui.screenText.contains("Free some disk space"))
        XCTAssertTrue(ui.frame.lines.last!.contains("? help"))
    }

    /// Paused, the ETA from before the pause would stand still on screen as if it were live.
    func testAPausedRunShowsNoETA() {
        var ui = startedSpeakerRun()
        ui.send(.engine(progress(sent: 1, total: 3, elapsed: 30, perMinute: 2, eta: 60)))
        XCTAssertTrue(ui.screenText.contains("ETA 1:00"), ui.screenText)
        ui.press("p")
        ui.send(.engine(.paused(reason: "paused by the organiser")))
        XCTAssertFalse(ui.screenText.contains("ETA"), ui.screenText)
        XCTAssertTrue(ui.screenText.contains("elapsed 0:30"))
        ui.press("p")
        ui.send(.engine(.resumed))
        ui.send(.engine(progress(sent: 2, total: 3, elapsed: 40, perMinute: 3, eta: 20)))
        XCTAssertTrue(ui.screenText.contains("ETA 0:20"), ui.screenText)
    }

    func testPauseAndResumeByTheOrganiser() {
        var ui = startedSpeakerRun()
        XCTAssertEqual(ui.press("p"), [.pause])
        XCTAssertTrue(ui.screenText.contains("Pausing after the messages in flight"))
        ui.send(.engine(.paused(reason: "paused by the organiser")))
        XCTAssertTrue(ui.screenText.contains("Paused. Press p to resume"))
        XCTAssertFalse(ui.screenText.contains("Paused by passmail"))
        XCTAssertEqual(ui.press("p"), [.resume])
        ui.send(.engine(.resumed))
        XCTAssertTrue(ui.screenText.contains("Processing"))
    }

    func testPausedByTheEngineSaysWhyAndWhatToDo() {
        var ui = startedSpeakerRun()
        ui.send(.engine(.paused(reason: "535 5.7.8 authentication credentials invalid")))
        assertSnapshot(ui.screenText, named: "progress-paused-by-engine")
        XCTAssertTrue(ui.screenText.contains("Paused by passmail: The mail server rejected the login."))
        XCTAssertTrue(ui.screenText.contains("Check PASSMAIL_SMTP_PASSWORD"))
    }

    func testCancelIsConfirmedFirst() {
        var ui = startedSpeakerRun()
        XCTAssertEqual(ui.press("c"), [])
        XCTAssertEqual(ui.model.pendingConfirm, .cancelRun)
        XCTAssertTrue(ui.screenText.contains("Cancel the run?"))
        XCTAssertEqual(ui.press("n"), [])
        XCTAssertNil(ui.model.pendingConfirm)
        ui.press("c")
        XCTAssertEqual(ui.press("y"), [.cancelRun])
        XCTAssertTrue(ui.screenText.contains("Cancelling"))
    }

    func testQLeavesTheProgressScreenWhileTheRunContinues() {
        var ui = startedSpeakerRun()
        XCTAssertEqual(ui.press("q"), [])
        XCTAssertEqual(ui.model.screen, .roster)
        XCTAssertTrue(ui.frame.lines[0].contains("sending 0/3"))
        ui.send(.engine(progress(sent: 2, total: 3, elapsed: 5, perMinute: 24, eta: 2)))
        XCTAssertTrue(ui.frame.lines[0].contains("sending 2/3"))
        ui.press("w")
        XCTAssertEqual(ui.model.screen, .progress)
    }

    func testQuittingDuringARunAsksAndSaysItStaysResumable() {
        var ui = startedSpeakerRun()
        ui.press("q")                      // back to roster
        XCTAssertEqual(ui.press("q"), [])  // asks
        XCTAssertTrue(ui.screenText.contains("Quit passmail?"))
        XCTAssertTrue(ui.screenText.contains("`passmail resume`"))
        XCTAssertEqual(ui.press("y"), [.quit])
    }

    func testCtrlCQuitsAtOnceEvenWhileTyping() {
        var ui = TUIScript()
        ui.press("/gr")
        XCTAssertEqual(ui.press("<ctrl-c>"), [.quit])
        XCTAssertTrue(ui.model.quitting)
    }

    func testSummaryListsProblemsAndRetriesTheFailed() {
        var ui = startedSpeakerRun()
        ui.send(.engine(.entryFinished(report("a2", "Ada Lovelace", .sent(messageId: "m1")))))
        ui.send(.engine(.entryFinished(report("a7", "Margaret Hamilton", .failed(reason: "550 5.1.1 mailbox unknown")))))
        ui.send(.engine(.entryFinished(report("a12", "Tim Berners-Lee", .inDoubt(reason: "connection lost after DATA")))))
        var c = RunCounts(); c.total = 3; c.sent = 1; c.failed = 1; c.inDoubt = 1
        ui.send(.engine(progress(sent: 1, failed: 1, inDoubt: 1, total: 3, elapsed: 75, perMinute: 2.4, eta: nil)))
        ui.send(.engine(.ended(RunInfo(id: "r20270312-1500", state: .finished, counts: c, transport: "smtp",
                                       startedAt: Self.start, finishedAt: Self.start.addingTimeInterval(75)))))
        XCTAssertEqual(ui.model.screen, .summary)
        assertSnapshot(ui.screenText, named: "summary-with-problems")
        XCTAssertEqual(ui.press("e"), [.exportReport(runID: "r20270312-1500", attendeeIDs: ["a2", "a7", "a12"])])
        XCTAssertEqual(ui.press("r"), [.checkSend(attendeeIDs: ["a7"])])
        guard case .confirmSend(let plan) = ui.model.screen else { return XCTFail("expected the confirm screen") }
        XCTAssertTrue(plan.isRetry)
    }

    func testSummaryScrollsThroughManyFailures() {
        var ui = TUIScript(attendees: SampleRoster.many(40), width: 80, height: 16)
        ui.press("as")
        ui.send(.sendChecked(problems: [], problemCount: 0))
        ui.press("<enter>")
        ui.send(.runStarted(runID: "r1", attendeeIDs: (0..<40).map { "p\($0)" }, startedAt: Self.start))
        for i in 0..<40 {
            ui.send(.engine(.entryFinished(report("p\(i)", "Person \(i)", .failed(reason: "550 no such user \(i)")))))
        }
        var c = RunCounts(); c.total = 40; c.failed = 40
        ui.send(.engine(.ended(RunInfo(id: "r1", state: .finished, counts: c, transport: "smtp", startedAt: Self.start))))
        XCTAssertTrue(ui.screenText.contains("Failures and in-doubt entries (40)"))
        XCTAssertTrue(ui.screenText.contains("Person 0 <p0@example.org>"))
        XCTAssertTrue(ui.screenText.contains("more (j scrolls; e exports them all)"))
        ui.press(String(repeating: "j", count: 50))
        XCTAssertTrue(ui.screenText.contains("550 no such user 39"))
        XCTAssertFalse(ui.screenText.contains("Person 0 <"))
        XCTAssertTrue(ui.frame.lines.allSatisfy { $0.displayWidth == 80 })
    }

    func testRunThatFailsToStartReturnsToTheRosterWithTheReason() {
        var ui = TUIScript()
        ui.press("as")
        ui.send(.sendChecked(problems: [], problemCount: 0))
        ui.press("<enter>")
        ui.send(.runFailedToStart(reason: "PASSMAIL_SMTP_PASSWORD is not set"))
        XCTAssertEqual(ui.model.screen, .roster)
        XCTAssertTrue(ui.screenText.contains("The run did not start: PASSMAIL_SMTP_PASSWORD is not set"))
        XCTAssertNil(ui.model.run)
    }

    /// The engine refuses attendees still held by an unfinished run with a long reason:
    /// it is wrapped over the bottom of the screen, not cut at the edge.
    func testALongReasonWhyTheRunDidNotStartIsShownInFull() {
        var ui = TUIScript(width: 80, height: 24)
        ui.press("as")
        ui.send(.sendChecked(problems: [], problemCount: 0))
        ui.press("<enter>")
        let reason = "attendees 100041, 100042, 100043 and 37 more are still unsent in unfinished run r20261204-165714-04f4 "
            + "(paused: paused by the organiser); finish it with `passmail resume r20261204-165714-04f4` or end it with "
            + "`passmail cancel r20261204-165714-04f4`"
        ui.send(.runFailedToStart(reason: reason))
        let shown = ui.frame.lines.map { $0.trimmingTrailingSpaces.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        XCTAssertTrue(shown.contains("The run did not start: " + reason), ui.screenText)
        XCTAssertEqual(ui.frame.lines.count, 24)
        XCTAssertTrue(ui.frame.lines[23].contains("? help"), "the key bar stays")
        XCTAssertEqual(ui.frame.style(atRow: 22, column: 2), .error)
        ui.press("o")
        XCTAssertTrue(ui.frame.lines[21].contains("selected ·"), "the next key that does something clears it: \(ui.screenText)")
    }

    /// A real server's reply is long ("127.0.0.1:2626 rejected the message: 550 5.1.1 …"):
    /// the summary shows every failure's reason in full, wrapped under it, and still scrolls.
    func testSummaryShowsEachFailureReasonInFull() {
        var ui = TUIScript(attendees: SampleRoster.many(12), width: 80, height: 24)
        ui.press("as")
        ui.send(.sendChecked(problems: [], problemCount: 0))
        ui.press("<enter>")
        ui.send(.runStarted(runID: "r1", attendeeIDs: (0..<12).map { "p\($0)" }, startedAt: Self.start))
        let reason = "smtp.example.org:587 rejected the message: 550 5.1.1 <p3@example.org>: Recipient address rejected: User unknown in virtual mailbox table"
        ui.send(.engine(.entryFinished(report("p3", "Person 3", .failed(reason: reason)))))
        for i in 4..<12 {
            ui.send(.engine(.entryFinished(report("p\(i)", "Person \(i)", .failed(reason: "\(reason) (\(i))")))))
        }
        var c = RunCounts(); c.total = 12; c.sent = 3; c.failed = 9
        ui.send(.engine(.ended(RunInfo(id: "r1", state: .finished, counts: c, transport: "smtp", startedAt: Self.start))))
        XCTAssertEqual(ui.model.screen, .summary)
        let shown = ui.frame.lines.map { $0.trimmingTrailingSpaces.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        XCTAssertTrue(shown.contains(reason), ui.screenText)
        XCTAssertTrue(ui.frame.lines.allSatisfy { $0.displayWidth == 80 })
        XCTAssertTrue(ui.screenText.contains("more (j scrolls; e exports them all)"), ui.screenText)
        ui.press(String(repeating: "j", count: 20))
        let end = ui.frame.lines.map { $0.trimmingTrailingSpaces.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        XCTAssertTrue(end.contains("\(reason) (11)"), ui.screenText)
        XCTAssertFalse(ui.screenText.contains("Person 3 <"), ui.screenText)
        XCTAssertFalse(ui.screenText.contains("more (j scrolls"), "the end of the list is on screen")
    }

    /// The engine's pause reason is shown whole, wrapped, with the advice.
    func testPauseReasonIsShownInFull() {
        var ui = startedSpeakerRun()
        let reason = "127.0.0.1:2626 refused the login (535 5.7.8 Authentication credentials invalid): check [smtp] username and PASSMAIL_SMTP_PASSWORD"
        ui.send(.engine(.paused(reason: reason)))
        let shown = ui.frame.lines.map { $0.trimmingTrailingSpaces.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        XCTAssertTrue(shown.contains("Reason: " + reason), ui.screenText)
    }
}
