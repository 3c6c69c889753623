import Foundation
import XCTest
import Core
import Roster
@testable import TUI

/// Launch in two steps: the first screenful from a LIMIT query, then the full roster and index.
/// Keys pressed in between wait for the full roster, so they never act on the first page alone.
final class TwoPhaseLoadTests: XCTestCase {
    let roster = SampleRoster.many(500)

    /// A model as the app starts it: nothing loaded yet, then the first page arrives.
    func launched(pageSize: Int = 25) -> TUIScript {
        var ui = TUIScript(attendees: [])
        ui.model = AppModel(context: SampleRoster.context, width: 100, height: 30, rosterLoaded: false)
        ui.send(.rosterFirstPage(Array(roster.prefix(pageSize)), total: roster.count))
        return ui
    }

    func testTheFirstPageShowsRealRowsAndTheTrueTotal() {
        let ui = launched()
        XCTAssertTrue(ui.screenText.contains("p0@example.org"))
        XCTAssertTrue(ui.screenText.contains("p24@example.org"))
        XCTAssertFalse(ui.screenText.contains("Loading the roster…\n"))
        XCTAssertTrue(ui.screenText.contains("First 25 of 500 total · loading the full roster…"))
        XCTAssertFalse(ui.screenText.contains("25 shown"), "no count may pretend the first page is everyone")
    }

    func testSelectAllPressedEarlySelectsEveryoneOnceTheRosterIsThere() {
        var ui = launched()
        ui.press("a")
        XCTAssertEqual(ui.model.table.selection.count, 0, "a must never select only the first page")
        XCTAssertTrue(ui.screenText.contains("1 key will apply when it is ready"))
        ui.send(.rosterLoaded(RosterIndex(roster), passTypes: []))
        XCTAssertEqual(ui.model.table.selection.count, 500)
        XCTAssertTrue(ui.screenText.contains("500 selected · 500 shown · 500 total"))
        XCTAssertEqual(ui.model.pendingKeys, [])
    }

    func testASearchTypedEarlyFiltersTheFullRoster() {
        var ui = launched()
        ui.press("/000499<enter>")
        XCTAssertEqual(ui.model.table.search, "", "typing waits for the full roster")
        ui.send(.rosterLoaded(RosterIndex(roster), passTypes: []))
        XCTAssertEqual(ui.model.table.search, "000499")
        XCTAssertEqual(ui.model.table.searchMode, .applied)
        XCTAssertEqual(ui.visibleNames, ["Person 000499"])
    }

    func testMovesAndSpaceApplyInOrderOnTheFullRoster() {
        var ui = launched()
        ui.press("G<space>")
        ui.send(.rosterLoaded(RosterIndex(roster), passTypes: []))
        XCTAssertEqual(ui.selectedNames, ["Person 000499"], "G goes to the last of 500, not of the first page")
    }

    func testSortAndTypeFilterWaitForTheFullRoster() {
        var ui = launched()
        ui.press("ot")
        XCTAssertEqual(ui.model.table.sort, .roster)
        ui.send(.rosterLoaded(RosterIndex(roster), passTypes: []))
        XCTAssertEqual(ui.model.table.sort, .name)
        XCTAssertEqual(ui.model.table.onlyType, "Attendee")
        XCTAssertEqual(ui.model.table.visible.count, 100)
    }

    func testTheFullRosterKeepsTheCursorAndReplacesTheFooter() {
        var ui = launched()
        ui.send(.rosterLoaded(RosterIndex(roster), passTypes: []))
        XCTAssertEqual(ui.cursorName, "Person 000000")
        XCTAssertTrue(ui.screenText.contains("0 selected · 500 shown · 500 total"))
        XCTAssertFalse(ui.screenText.contains("loading the full roster"))
        XCTAssertNil(ui.model.firstPageTotal)
    }

    func testALateFirstPageNeverReplacesTheFullRoster() {
        var ui = launched()
        ui.send(.rosterLoaded(RosterIndex(roster), passTypes: []))
        ui.send(.rosterFirstPage(Array(roster.prefix(3)), total: 3))
        XCTAssertEqual(ui.model.table.total, 500)
        XCTAssertTrue(ui.screenText.contains("500 total"))
    }

    func testQuitWorksWhileLoadingAndCtrlCAlways() {
        var ui = launched()
        XCTAssertEqual(ui.press("q"), [.quit], "quitting never waits for the load")
        XCTAssertEqual(ui.model.pendingKeys, [])
        var busy = launched()
        busy.press("j")
        XCTAssertEqual(busy.press("q"), [], "after a queued key, q waits its turn")
        XCTAssertEqual(busy.press("<ctrl-c>"), [.quit])
        XCTAssertTrue(busy.model.quitting)
    }

    func testKeysOnTheResumePromptAreNotHeldBack() {
        var ui = TUIScript(attendees: [])
        ui.model = AppModel(context: SampleRoster.context, width: 100, height: 30,
                            unfinished: SampleRoster.unfinishedRun(), rosterLoaded: false)
        ui.press("?")
        XCTAssertTrue(ui.model.helpVisible)
        XCTAssertEqual(ui.model.pendingKeys, [])
    }

    func testAFailedLoadDropsWaitingKeysAndRefusesMoreButQuitStillWorks() {
        var ui = launched()
        ui.press("a")
        ui.send(.rosterLoadFailed("database disk image is malformed"))
        XCTAssertEqual(ui.model.pendingKeys, [])
        XCTAssertEqual(ui.model.table.selection.count, 0)
        XCTAssertTrue(ui.screenText.contains("Cannot read the roster: database disk image is malformed"))
        XCTAssertEqual(ui.press("a"), [])
        XCTAssertEqual(ui.model.table.selection.count, 0, "never acts on the first page alone")
        XCTAssertTrue(ui.screenText.contains("the roster could not be read"))
        XCTAssertEqual(ui.press("q"), [.quit])
    }

    func testAFailedReloadAfterARunOnlyComplains() {
        var ui = launched()
        ui.send(.rosterLoaded(RosterIndex(roster), passTypes: []))
        ui.send(.rosterLoadFailed("disk I/O error"))
        XCTAssertNil(ui.model.rosterLoadError)
        ui.press("a")
        XCTAssertEqual(ui.model.table.selection.count, 500)
    }
}
