import XCTest
import Core
import Engine
@testable import TUI

/// Search as you type, the three filter states, pass types and status (lazygit's filter_files test, in words).
final class FilterTests: XCTestCase {
    func testTypingASearchNarrowsTheTableOnEveryKey() {
        var ui = TUIScript()
        ui.press("/gr")
        XCTAssertEqual(ui.model.table.searchMode, .typing)
        // "gr" matches Grafana Labs (company), Grace, Nordgren, Gråberg (accent-insensitive), Graf.
        XCTAssertEqual(ui.visibleNames, ["Zoë Müller", "Grace Hopper", "Linus Nordgren", "Björn Gråberg", "Olga Graf"])
        ui.press("af")
        XCTAssertEqual(ui.visibleNames, ["Zoë Müller", "Olga Graf"])
        XCTAssertTrue(ui.screenText.contains("/graf▏"))
    }

    func testWhileTypingQAndQuestionMarkAreText() {
        var ui = TUIScript()
        let effects = ui.press("/q?")
        XCTAssertEqual(effects, [], "q must not quit while typing")
        XCTAssertEqual(ui.model.table.search, "q?")
        XCTAssertFalse(ui.model.helpVisible)
        XCTAssertEqual(ui.visibleNames, [])
        XCTAssertTrue(ui.screenText.contains("No attendee matches the filter"))
    }

    func testEscLeavesTypingAndKeepsTheFilterThenEscClearsIt() {
        var ui = TUIScript()
        ui.press("/graf<esc>")
        XCTAssertEqual(ui.model.table.searchMode, .applied)
        XCTAssertEqual(ui.visibleNames, ["Zoë Müller", "Olga Graf"])
        XCTAssertTrue(ui.screenText.contains("search: graf"))
        // Now keys are commands again: j moves, it does not type.
        ui.press("j")
        XCTAssertEqual(ui.cursorName, "Olga Graf")
        ui.press("<esc>")
        XCTAssertEqual(ui.model.table.searchMode, .none)
        XCTAssertEqual(ui.visibleNames.count, 12)
        XCTAssertEqual(ui.cursorName, "Olga Graf", "the cursor stays on the same attendee")
    }

    /// While typing, Esc keeps the search: the empty table must not say Esc clears it.
    func testAnEmptyResultSaysWhatWorksInEachFilterState() {
        var ui = TUIScript()
        ui.press("/zzq")
        XCTAssertTrue(ui.screenText.contains("No attendee matches the filter “zzq” (Backspace or Ctrl-U edits it)."), ui.screenText)
        ui.press("<esc>")
        XCTAssertTrue(ui.screenText.contains("No attendee matches the filter (Esc clears it)."), ui.screenText)
        ui.press("<esc>")
        XCTAssertEqual(ui.visibleNames.count, 12)
    }

    func testEnterAppliesAndBackspaceAndCtrlUEdit() {
        var ui = TUIScript()
        ui.press("/grax<backspace>")
        XCTAssertEqual(ui.model.table.search, "gra")
        ui.press("<ctrl-u>")
        XCTAssertEqual(ui.model.table.search, "")
        ui.press("zola<enter>")
        XCTAssertEqual(ui.model.table.searchMode, .applied)
        XCTAssertEqual(ui.visibleNames, ["Émile Zola"])
    }

    func testSearchIsAccentAndCaseInsensitiveAndFindsCJK() {
        var ui = TUIScript()
        ui.press("/EMILE<enter>")
        XCTAssertEqual(ui.visibleNames, ["Émile Zola"])
        ui.press("<esc>/山田<enter>")
        XCTAssertEqual(ui.visibleNames, ["太郎 山田"])
    }

    func testSelectionSurvivesFiltering() {
        var ui = TUIScript()
        ui.press("<space><space>")   // Zoë, Ada
        ui.press("/zola<enter><space>")
        XCTAssertEqual(Set(ui.selectedNames), ["Zoë Müller", "Ada Lovelace", "Émile Zola"])
        XCTAssertTrue(ui.screenText.contains("3 selected · 1 shown · 12 total"))
        XCTAssertTrue(ui.screenText.contains("2 selected hidden by the filter"))
        ui.press("<esc>")
        XCTAssertEqual(Set(ui.selectedNames), ["Zoë Müller", "Ada Lovelace", "Émile Zola"])
    }

    func testTCyclesThroughOnePassTypeAtATime() {
        var ui = TUIScript()
        ui.press("t")
        XCTAssertEqual(ui.model.table.onlyType, "Attendee")
        XCTAssertEqual(ui.visibleNames, ["Zoë Müller", "太郎 山田", "Chen Wei", "Katherine Johnson"])
        XCTAssertTrue(ui.screenText.contains("type: Attendee"))
        ui.press("t")
        XCTAssertEqual(ui.model.table.onlyType, "Speaker")
        ui.press("ttt")   // VIP, Exhibitor, Press
        XCTAssertEqual(ui.model.table.onlyType, "Press")
        ui.press("t")
        XCTAssertNil(ui.model.table.onlyType)
        XCTAssertEqual(ui.visibleNames.count, 12)
    }

    func testFilterPanelUnchecksExhibitorAndPicksAStatus() {
        var ui = TUIScript()
        ui.press("f")
        assertSnapshot(ui.screenText, named: "filter-panel-open")
        // Rows: Attendee, Speaker, VIP, Exhibitor, Press, all, unsent, sent, failed, in doubt
        ui.press("jjj<space>")
        XCTAssertFalse(ui.visibleNames.contains("Linus Nordgren"))
        XCTAssertEqual(ui.visibleNames.count, 9)
        XCTAssertTrue(ui.screenText.contains("[ ] Exhibitor (3)"))
        ui.press("jjj<space>")      // status: unsent
        XCTAssertEqual(ui.model.table.statusFilter, .unsent)
        XCTAssertEqual(ui.visibleNames, ["Zoë Müller", "太郎 山田", "Grace Hopper", "Margaret Hamilton", "Chen Wei",
                                          "Katherine Johnson", "Tim Berners-Lee"])
        ui.press("f")
        XCTAssertEqual(ui.model.screen, .roster)
        XCTAssertTrue(ui.screenText.contains("without Exhibitor · status: unsent"))
        // Esc with no search clears the type and status filters.
        ui.press("<esc>")
        XCTAssertEqual(ui.visibleNames.count, 12)
    }

    /// Fourteen ticket types on an 80×24 terminal: the status choices are below the
    /// bottom of the panel, and moving there scrolls them into view.
    func testFilterPanelScrollsToItsCursorWhenThereAreManyPassTypes() {
        let types = ["Attendee", "Speaker", "Exhibitor", "VIP", "Press", "Volunteer", "Student", "Early Bird",
                     "Day 1 only", "Day 2 only", "Workshop", "Sponsor", "Staff", "Media Partner"]
        let attendees = (0..<56).map { i in
            SampleRoster.a("t\(i)", "Person", "\(i)", "p\(i)@example.org", "Acme", types[i % types.count])
        }
        var ui = TUIScript(attendees: attendees, width: 80, height: 24)
        ui.press("f")
        XCTAssertTrue(ui.screenText.contains("[x] Attendee (4)"))
        XCTAssertTrue(ui.screenText.contains("Pass types"))
        ui.press(String(repeating: "j", count: types.count + 4))   // the status "in doubt"
        XCTAssertTrue(ui.screenText.contains("( ) in doubt"), ui.screenText)
        ui.press("<space>")
        XCTAssertEqual(ui.model.table.statusFilter, .inDoubt)
        XCTAssertTrue(ui.screenText.contains("(•) in doubt"), ui.screenText)
        XCTAssertEqual(ui.frame.lines.count, 24)
        ui.press("k")    // back up to the top: the first pass type is shown again
        ui.press(String(repeating: "k", count: types.count + 3))
        XCTAssertTrue(ui.screenText.contains("[x] Attendee (4)"), ui.screenText)
    }

    func testFilterUsesTheSharedAttendeeFilterShape() {
        var ui = TUIScript()
        ui.press("fjjj<space>f/gra<esc>")
        XCTAssertEqual(ui.model.table.filter, AttendeeFilter(excludeTypes: ["Exhibitor"], search: "gra"))
    }

    func testSortCyclesAndKeepsTheCursorOnItsAttendee() {
        var ui = TUIScript()
        ui.press("jjj")
        XCTAssertEqual(ui.cursorName, "Grace Hopper")
        ui.press("o")   // by name (last name)
        XCTAssertEqual(ui.visibleNames.first, "Tim Berners-Lee")
        XCTAssertEqual(ui.cursorName, "Grace Hopper")
        ui.press("oo")  // type, then status: problems first
        XCTAssertEqual(ui.model.table.sort, .status)
        XCTAssertEqual(Array(ui.visibleNames.prefix(2)), ["Émile Zola", "Björn Gråberg"])
        XCTAssertEqual(ui.visibleNames.last, "Ada Lovelace")
    }
}

/// Outcomes arriving during a run move rows under a status filter at the next key or tick, not per outcome.
final class LiveFilterTests: XCTestCase {
    func testStatusFilteredTableCatchesUpOnTheNextTick() {
        var ui = TUIScript()
        ui.press("fjjjjjj<space>f")   // status: unsent
        XCTAssertEqual(ui.model.table.statusFilter, .unsent)
        let before = ui.visibleNames.count
        ui.press("a")
        ui.press("s")
        ui.send(.sendChecked(problems: [], problemCount: 0))
        ui.press("<enter>")
        ui.send(.runStarted(runID: "r1", attendeeIDs: ["a1"], startedAt: Date()))
        ui.send(.engine(.entryFinished(EntryReport(attendeeID: "a1", name: "Zoë Müller", email: "zoe@example.org",
                                                   outcome: .sent(messageId: "m"), at: Date()))))
        XCTAssertTrue(ui.model.table.isStale)
        ui.send(.tick(Date()))
        XCTAssertFalse(ui.visibleNames.contains("Zoë Müller"))
        XCTAssertEqual(ui.visibleNames.count, before - 1)
        XCTAssertTrue(ui.model.table.selection.contains(0), "still selected while hidden")
    }
}
