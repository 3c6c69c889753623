import XCTest
import Core
@testable import TUI

/// Multi-select: space, a, A, i, v — and the footer counts.
final class SelectionTests: XCTestCase {
    func testSpaceTogglesAndMovesDown() {
        var ui = TUIScript()
        ui.press("<space><space>")
        XCTAssertEqual(ui.selectedNames, ["Zoë Müller", "Ada Lovelace"])
        XCTAssertEqual(ui.cursorName, "太郎 山田")
        ui.press("k<space>")
        XCTAssertEqual(ui.selectedNames, ["Zoë Müller"])
        XCTAssertTrue(ui.screenText.contains("1 selected · 12 shown · 12 total"))
    }

    func testAllShownClearAllAndInvert() {
        var ui = TUIScript()
        ui.press("t")            // only Attendee (4)
        ui.press("a")
        XCTAssertEqual(ui.model.table.selection.count, 4)
        ui.press("t")            // only Speaker (3)
        ui.press("i")
        XCTAssertEqual(ui.model.table.selection.count, 7)
        ui.press("<space>")      // unselect first Speaker
        XCTAssertEqual(ui.model.table.selection.count, 6)
        ui.press("A")
        XCTAssertTrue(ui.model.table.selection.isEmpty)
        ui.press("A")
        XCTAssertEqual(ui.model.message?.text, "A: nothing is selected")
    }

    func testVStartsARangeThatFollowsTheCursor() {
        var ui = TUIScript()
        ui.press("j")            // Ada
        ui.press("vjj")
        XCTAssertEqual(ui.selectedNames, ["Ada Lovelace", "太郎 山田", "Grace Hopper"])
        ui.press("k")            // shrinking the range unselects
        XCTAssertEqual(ui.selectedNames, ["Ada Lovelace", "太郎 山田"])
        ui.press("v")            // end
        ui.press("jjj")
        XCTAssertEqual(ui.selectedNames, ["Ada Lovelace", "太郎 山田"])
    }

    func testRangeKeepsEarlierSelection() {
        var ui = TUIScript()
        ui.press("G<space>")     // Tim (last); space at the bottom stays there
        ui.press("gvj")
        XCTAssertEqual(Set(ui.selectedNames), ["Tim Berners-Lee", "Zoë Müller", "Ada Lovelace"])
        ui.press("<esc>")        // Esc ends the range first
        XCTAssertFalse(ui.model.table.isRangeActive)
    }

    func testPagingKeepsTheCursorVisible() {
        var ui = TUIScript(attendees: SampleRoster.many(200), width: 80, height: 20)
        XCTAssertEqual(ui.model.tablePageSize, 15)
        ui.press("<pgdn>")
        XCTAssertEqual(ui.model.table.cursor, 15)
        XCTAssertEqual(ui.model.table.top, 1)
        ui.press("G")
        XCTAssertEqual(ui.model.table.cursor, 199)
        XCTAssertTrue(ui.screenText.contains("Person 000199"))
        XCTAssertFalse(ui.screenText.contains("Person 000000"))
        ui.press("<pgup>g")
        XCTAssertEqual(ui.model.table.cursor, 0)
        XCTAssertTrue(ui.screenText.contains("Person 000000"))
    }
}
