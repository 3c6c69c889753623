import Foundation
import XCTest
import Core
import Engine
@testable import TUI

/// An unfinished run is the first thing shown; in-doubt entries always get an explicit choice.
final class ResumeTests: XCTestCase {
    /// A resumed run whose earlier session had a failure: `r` on the summary retries it too,
    /// not only what failed after the resume (the counts said 1 failed; r said "nothing failed").
    func testRetryOnTheSummaryIncludesFailuresFromBeforeTheResume() {
        var ui = TUIScript(unfinished: SampleRoster.unfinishedRun(sent: 1, total: 4, failed: 1, inDoubt: 0))
        XCTAssertEqual(ui.press("r"), [.resumeRun(runID: "r20270312-1402", inDoubt: .leave)])
        // Émile (a6) failed before the resume; Zoë, Grace and Chen are sent now.
        ui.send(.runStarted(runID: "r20270312-1402", attendeeIDs: ["a2", "a6", "a1", "a4"], startedAt: Date()))
        ui.send(.engine(.entryFinished(EntryReport(attendeeID: "a1", name: "Zoë Müller", email: "zoe@example.org",
                                                   outcome: .sent(messageId: "m1"), at: Date()))))
        ui.send(.engine(.entryFinished(EntryReport(attendeeID: "a4", name: "Grace Hopper", email: "grace@example.org",
                                                   outcome: .sent(messageId: "m2"), at: Date()))))
        var c = RunCounts(); c.total = 4; c.sent = 3; c.failed = 1
        ui.send(.engine(.ended(RunInfo(id: "r20270312-1402", state: .finished, counts: c, transport: "smtp", startedAt: Date()))))
        XCTAssertEqual(ui.model.screen, .summary)
        XCTAssertTrue(ui.screenText.contains("✗ 1 failed"))
        XCTAssertTrue(ui.frame.lines.last!.contains("r retry failed"), ui.frame.lines.last!)
        XCTAssertEqual(ui.press("r"), [.checkSend(attendeeIDs: ["a6"])])
    }

    func testPromptIsTheFirstScreen() {
        let ui = TUIScript(unfinished: SampleRoster.unfinishedRun())
        assertSnapshot(ui.screenText, named: "resume-prompt")
        XCTAssertTrue(ui.screenText.contains("Unfinished send from 14:02 — 19 of 78 sent, 0 failed, 1 in doubt."))
        XCTAssertTrue(ui.screenText.contains("[r] Resume   [v] View   [x] Abandon"))
    }

    func testResumeAsksAboutInDoubtEntriesBeforeAnything() {
        var ui = TUIScript(unfinished: SampleRoster.unfinishedRun())
        XCTAssertEqual(ui.press("r"), [], "no silent default for in-doubt entries")
        XCTAssertTrue(ui.screenText.contains("1 entry is in doubt"))
        XCTAssertTrue(ui.screenText.contains("[s] Resend (may arrive twice)   [m] Mark as sent   [l] Leave in doubt"))
        XCTAssertEqual(ui.press("x"), [], "keys of the first stage do nothing here")
        XCTAssertEqual(ui.press("m"), [.resumeRun(runID: "r20270312-1402", inDoubt: .markSent)])
        XCTAssertEqual(ui.model.screen, .progress)
        XCTAssertEqual(ui.model.run?.counts.sent, 19)
    }

    /// Resend or mark as sent is decided knowing whom it concerns.
    func testTheInDoubtChoiceNamesWhoIsInDoubt() {
        var ui = TUIScript(unfinished: SampleRoster.unfinishedRun(inDoubt: 2))
        ui.model.unfinishedInDoubt = ["Björn Gråberg <bjorn@example.se>", "Chen Wei <chen@example.cn>"]
        ui.press("r")
        XCTAssertTrue(ui.screenText.contains("? Björn Gråberg <bjorn@example.se>"), ui.screenText)
        XCTAssertTrue(ui.screenText.contains("? Chen Wei <chen@example.cn>"), ui.screenText)
        var many = TUIScript(width: 80, height: 16, unfinished: SampleRoster.unfinishedRun(inDoubt: 40))
        many.model.unfinishedInDoubt = (0..<40).map { "Person \($0) <p\($0)@example.org>" }
        many.press("r")
        XCTAssertTrue(many.screenText.contains("? Person 0 <p0@example.org>"), many.screenText)
        XCTAssertTrue(many.screenText.contains("more (`passmail runs` lists the run)"), many.screenText)
        XCTAssertEqual(many.frame.lines.count, 16)
    }

    func testEachInDoubtChoiceMapsToItsPolicy() {
        for (key, policy) in [("s", InDoubtPolicy.resend), ("m", .markSent), ("l", .leave)] {
            var ui = TUIScript(unfinished: SampleRoster.unfinishedRun())
            XCTAssertEqual(ui.press("r" + key), [.resumeRun(runID: "r20270312-1402", inDoubt: policy)])
        }
    }

    func testResumeWithoutInDoubtStartsAtOnce() {
        var ui = TUIScript(unfinished: SampleRoster.unfinishedRun(inDoubt: 0))
        XCTAssertEqual(ui.press("r"), [.resumeRun(runID: "r20270312-1402", inDoubt: .leave)])
    }

    func testViewShowsTheRosterAndRResumesFromThere() {
        var ui = TUIScript(unfinished: SampleRoster.unfinishedRun(inDoubt: 0))
        ui.press("v")
        XCTAssertEqual(ui.model.screen, .roster)
        XCTAssertTrue(ui.frame.lines[0].contains("unfinished run: r resumes"))
        ui.press("s")
        XCTAssertEqual(ui.model.message?.text, "s: select attendees first (space, a)")
        ui.press("r")
        guard case .resumePrompt = ui.model.screen else { return XCTFail("r shows the prompt again") }
    }

    func testAbandonIsConfirmed() {
        var ui = TUIScript(unfinished: SampleRoster.unfinishedRun())
        XCTAssertEqual(ui.press("x"), [])
        XCTAssertTrue(ui.screenText.contains("Abandon the unfinished run?"))
        XCTAssertEqual(ui.press("y"), [.abandonRun(runID: "r20270312-1402")])
        ui.send(.runAbandoned(runID: "r20270312-1402"))
        XCTAssertEqual(ui.model.screen, .roster)
        XCTAssertNil(ui.model.unfinished)
    }

    func testAFailedResumeCanBeTriedAgainFromTheRoster() {
        var ui = TUIScript(unfinished: SampleRoster.unfinishedRun(inDoubt: 0))
        ui.press("r")
        ui.send(.runFailedToStart(reason: "run r20270312-1402 is being sent by another passmail (pid 4242)"))
        XCTAssertEqual(ui.model.screen, .roster)
        XCTAssertTrue(ui.screenText.contains("The run did not start: run r20270312-1402 is being sent by another passmail"))
        ui.press("r")
        guard case .resumePrompt = ui.model.screen else { return XCTFail("r offers the run again") }
    }

    func testPromptShowsTheDayWhenTheRunIsFromAnotherDay() {
        var run = SampleRoster.unfinishedRun()
        run.startedAt = SampleRoster.date("2027-03-10T09:05:00Z")
        run.state = .paused
        run.pauseReason = "disk full"
        let ui = TUIScript(unfinished: run)
        XCTAssertTrue(ui.screenText.contains("Unfinished send from 10 Mar 09:05"))
        XCTAssertTrue(ui.screenText.contains("paused: disk full"))
    }

    func testResumedRunPicksUpEngineEvents() {
        var ui = TUIScript(unfinished: SampleRoster.unfinishedRun(inDoubt: 0))
        ui.press("r")
        ui.send(.runStarted(runID: "r20270312-1402", attendeeIDs: [], startedAt: SampleRoster.date("2027-03-12T15:00:00Z")))
        var c = RunCounts(); c.total = 78; c.sent = 20; c.pending = 58; c.inFlight = 4
        ui.send(.engine(.progress(RunProgress(counts: c, elapsed: 3, perMinute: 20, eta: 174))))
        XCTAssertTrue(ui.screenText.contains("Processing 24/78"))
    }
}
