import Foundation
import XCTest
import Core
import Roster
@testable import TUI

/// The roster table at fixed sizes, compared with text snapshots.
final class RosterScreenTests: XCTestCase {
    func testRosterAt100x30() {
        var ui = TUIScript()
        ui.press("j<space>")
        assertSnapshot(ui.screenText, named: "roster-100x30")
        XCTAssertTrue(ui.frame.lines[0].contains("passmail · Nordic Developer Days 2027 · 12–14 March 2027"))
        XCTAssertTrue(ui.screenText.contains("sent 12 Mar"))
        XCTAssertTrue(ui.screenText.contains("in doubt"))
        XCTAssertTrue(ui.screenText.contains("1 selected · 12 shown · 12 total"))
    }

    func testRosterAtTheMinimumSize() {
        let ui = TUIScript(width: 60, height: 16)
        assertSnapshot(ui.screenText, named: "roster-60x16")
        XCTAssertTrue(ui.frame.lines.allSatisfy { $0.displayWidth == 60 })
    }

    func testEveryLineIsExactlyTheFrameWidthWithWideCharacters() {
        for width in [60, 73, 100, 151] {
            let ui = TUIScript(width: width, height: 20)
            for line in ui.frame.lines {
                XCTAssertEqual(line.displayWidth, width, "width \(width): \(line)")
            }
        }
    }

    func testTooSmallSaysSoInsteadOfGarbage() {
        var ui = TUIScript(width: 59, height: 20)
        XCTAssertTrue(ui.screenText.contains("Terminal too small: 59×20"))
        ui.send(.resized(width: 100, height: 15))
        XCTAssertTrue(ui.screenText.contains("Terminal too small: 100×15"))
        XCTAssertEqual(ui.press("j"), [])
        ui.send(.resized(width: 100, height: 30))
        XCTAssertTrue(ui.screenText.contains("Zoë Müller"))
        XCTAssertEqual(ui.press("q"), [.quit])
    }

    /// Shrunk to a sliver mid-run: whole words, not "passmail needs at le".
    func testATinyWindowGetsTheShortFormInWholeWords() {
        var ui = TUIScript(width: 20, height: 5)
        XCTAssertEqual(ui.screenText.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) },
                       ["Too small: 20×5", "needs 60×16", "q quits"])
        ui.send(.resized(width: 12, height: 3))
        XCTAssertTrue(ui.frame.lines.allSatisfy { $0.displayWidth == 12 })
        XCTAssertTrue(ui.screenText.contains("Too small:"), ui.screenText)
        XCTAssertEqual(ui.press("q"), [.quit])
    }

    func testResizeKeepsTheCursorOnScreen() {
        var ui = TUIScript(attendees: SampleRoster.many(100), width: 100, height: 40)
        ui.press("jjjjjjjjjjjjjjjjjjjjjjjjjjjjjj")   // row 30
        ui.send(.resized(width: 80, height: 20))
        XCTAssertTrue(ui.screenText.contains("Person 000030"))
        let cursorRow = ui.frame.spans.firstIndex { $0.contains { $0.style == .cursor } }!
        XCTAssertTrue(ui.frame.lines[cursorRow].contains("Person 000030"))
    }

    func testCursorRowAndStatusesAreStyled() {
        let ui = TUIScript()
        let f = ui.frame
        XCTAssertEqual(f.style(atRow: 2, column: 0), .cursor)
        let failedRow = f.lines.firstIndex { $0.contains("Émile Zola") }!
        let col = f.lines[failedRow].columnOf("failed")!
        XCTAssertEqual(f.style(atRow: failedRow, column: col), .error)
    }

    func testFirstFrameComesBeforeTheRosterAndReloadsKeepSelectionAndCursor() {
        var ui = TUIScript(attendees: [])
        ui.model.rosterLoaded = false
        XCTAssertTrue(ui.screenText.contains("Loading the roster…"))
        ui.send(.rosterLoaded(RosterIndex(SampleRoster.attendees), passTypes: []))
        XCTAssertTrue(ui.screenText.contains("Zoë Müller"))
        ui.press("jj<space>/graf<enter>")
        // A reload after a run (statuses changed, order the same) keeps selection, filter and cursor.
        var updated = SampleRoster.attendees
        updated[0].delivery = DeliveryRecord(status: .sent, emailedAt: SampleRoster.date("2027-03-12T10:00:00Z"))
        ui.send(.rosterLoaded(RosterIndex(updated), passTypes: []))
        XCTAssertEqual(ui.selectedNames, ["太郎 山田"])
        XCTAssertEqual(ui.visibleNames, ["Zoë Müller", "Olga Graf"])
        XCTAssertTrue(ui.screenText.contains("sent 12 Mar"))
    }

    func testEmptyRosterExplainsHowToImport() {
        let ui = TUIScript(attendees: [])
        XCTAssertTrue(ui.screenText.contains("The roster is empty: import attendees with `passmail import FILE`."))
    }

    func testPreviewShowsMessageAndWritesThePass() {
        var ui = TUIScript()
        XCTAssertEqual(ui.press("<enter>"), [.renderPreview(attendeeID: "a1")])
        XCTAssertTrue(ui.screenText.contains("Rendering…"))
        XCTAssertEqual(ui.press("o"), [])
        ui.send(.previewReady(PreviewContent(attendeeID: "a1", to: "Zoë Müller <zoe@example.org>",
                                             subject: "Your pass for Nordic Developer Days 2027",
                                             text: "Hi Zoë,\n\nyour pass is attached. Show the QR code at the door.\n\nSee you there!",
                                             attachmentName: "Pass - Zoë Müller.pdf", attachmentBytes: 86_016,
                                             humanCode: "K7Q-4PX2")))
        assertSnapshot(ui.screenText, named: "preview")
        XCTAssertEqual(ui.press("o"), [.writePass(attendeeID: "a1")])
        ui.send(.passWritten(attendeeID: "a1", path: "/ws/passes/Pass - Zoë Müller.pdf"))
        XCTAssertTrue(ui.screenText.contains("Written to  /ws/passes/Pass - Zoë Müller.pdf"))
        ui.press("<esc>")
        XCTAssertEqual(ui.model.screen, .roster)
    }

    func testPreviewFailureShowsTheReason() {
        var ui = TUIScript()
        ui.press("<enter>")
        ui.send(.previewFailed(attendeeID: "a1", reason: "templates/pass.txt.mustache:3: {{Company}}: no such field"))
        XCTAssertTrue(ui.screenText.contains("Cannot render this attendee's message:"))
        XCTAssertTrue(ui.screenText.contains("{{Company}}: no such field"))
    }
}

extension String {
    /// The display column where `needle` starts.
    func columnOf(_ needle: String) -> Int? {
        guard let r = range(of: needle) else { return nil }
        return String(self[..<r.lowerBound]).displayWidth
    }
}
