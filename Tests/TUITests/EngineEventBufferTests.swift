import Foundation
import XCTest
import Engine
@testable import TUI

/// A fast run on a big roster: the engine reports faster than the screen redraws.
/// Its events must not pile up in the inbox ahead of the organiser's keys.
final class EngineEventBufferTests: XCTestCase {
    func progress(_ sent: Int) -> EngineEvent {
        var c = RunCounts(); c.total = 100_000; c.sent = sent; c.pending = 100_000 - sent
        return .progress(RunProgress(counts: c, elapsed: 1, perMinute: 60, eta: nil))
    }

    func testEventsThatArriveWhileTheLoopIsBusyNeedOneWakeUpAndKeepTheirOrder() {
        let buffer = EngineEventBuffer()
        var wakeUps = 0
        for i in 1...10_000 where buffer.append(progress(i)) { wakeUps += 1 }
        XCTAssertEqual(wakeUps, 1, "one inbox entry however many events arrived")
        let drained = buffer.drain()
        XCTAssertEqual(drained.count, 10_000)
        XCTAssertEqual(drained.first, progress(1))
        XCTAssertEqual(drained.last, progress(10_000))
        XCTAssertEqual(buffer.drain().count, 0)
        XCTAssertTrue(buffer.append(progress(10_001)), "the next event after a drain wakes the loop again")
    }

    /// The loop applies a drained batch in order: the screen ends where the engine is.
    func testABatchAppliedInOrderLeavesTheLatestFigures() {
        var ui = TUIScript(attendees: SampleRoster.many(20))
        ui.press("as")
        ui.send(.sendChecked(problems: [], problemCount: 0))
        ui.press("<enter>")
        ui.send(.runStarted(runID: "r1", attendeeIDs: (0..<20).map { "p\($0)" }, startedAt: Date()))
        let buffer = EngineEventBuffer()
        for i in 0..<20 {
            _ = buffer.append(.entryFinished(EntryReport(attendeeID: "p\(i)", name: "Person \(i)", email: "p\(i)@example.org",
                                                         outcome: .sent(messageId: "m\(i)"), at: Date())))
            var c = RunCounts(); c.total = 20; c.sent = i + 1; c.pending = 19 - i
            _ = buffer.append(.progress(RunProgress(counts: c, elapsed: Double(i), perMinute: 60, eta: nil)))
        }
        for event in buffer.drain() { ui.send(.engine(event)) }
        XCTAssertTrue(ui.screenText.contains("✓ 20 sent"), ui.screenText)
        XCTAssertEqual(ui.model.table.attendees.filter { $0.delivery.status == .sent }.count, 20)
    }
}
