import XCTest
@testable import TUI

/// One table drives dispatch, the key bar and help: they cannot disagree.
final class KeyTableTests: XCTestCase {
    func testNoKeyIsBoundTwiceInAScope() {
        for scope in KeyScope.allCases {
            var seen: [Key: String] = [:]
            for b in KeyTable.bindings(for: scope) {
                for k in b.keys {
                    XCTAssertNil(seen[k], "\(scope): \(k.label) bound to both \(seen[k] ?? "") and \(b.short)")
                    seen[k] = b.short
                }
            }
        }
    }

    func testEveryScopeCanBeLeftAndCtrlCAlwaysQuits() {
        for scope in KeyScope.allCases {
            let keys = KeyTable.bindings(for: scope).flatMap(\.keys)
            XCTAssertTrue(keys.contains(.ctrlC), "\(scope) has no Ctrl-C")
        }
    }

    func testKeyBarShowsTheRosterKeysFromTheTable() {
        let ui = TUIScript()
        let bar = ui.frame.lines.last!
        XCTAssertTrue(bar.contains("space select"))
        XCTAssertTrue(bar.contains("/ search"))
        XCTAssertTrue(bar.contains("f filter"))
        XCTAssertTrue(bar.contains("? help"))
        XCTAssertFalse(bar.contains("s send"), "disabled keys are left out of the bar")
    }

    /// On an 80-column terminal with a selection the roster's keys do not all fit:
    /// the way out (q quit) and ? help stay, less needed keys give way.
    func testOnANarrowTerminalTheBarKeepsQuitAndHelp() {
        var ui = TUIScript(width: 80, height: 24)
        ui.press("<space>")
        let bar = ui.frame.lines.last!
        XCTAssertTrue(bar.contains("q quit"), bar)
        XCTAssertTrue(bar.hasSuffix("? help") || bar.trimmingTrailingSpaces.hasSuffix("? help"), bar)
        XCTAssertTrue(bar.contains("space select"), bar)
        XCTAssertTrue(bar.contains("s send"), bar)
        XCTAssertLessThanOrEqual(bar.trimmingTrailingSpaces.displayWidth, 80)
        var small = TUIScript(width: 60, height: 16)
        small.press("<space>")
        XCTAssertTrue(small.frame.lines.last!.contains("q quit"), small.frame.lines.last!)
    }

    func testKeyBarFollowsTheScreen() {
        var ui = TUIScript()
        ui.press("<space>")
        XCTAssertTrue(ui.frame.lines.last!.contains("s send"))
        ui.press("<enter>")
        XCTAssertTrue(ui.frame.lines.last!.contains("o write PDF") == false, "o waits for the preview")
        ui.send(.previewReady(PreviewContent(attendeeID: "a2", to: "Ada Lovelace <ada@example.org>", subject: "Your pass",
                                             text: "Hello", attachmentName: "Pass - Ada Lovelace.pdf",
                                             attachmentBytes: 86_000, humanCode: "K7Q-4PX2")))
        XCTAssertTrue(ui.frame.lines.last!.contains("o write PDF"))
        XCTAssertTrue(ui.frame.lines.last!.contains("Esc/q back"))
    }

    func testHelpListsEveryKeyOfTheScreenWithReasons() {
        var ui = TUIScript()
        ui.press("?")
        assertSnapshot(ui.screenText, named: "help-roster")
        for b in KeyTable.bindings(for: .roster) {
            XCTAssertTrue(ui.screenText.contains(b.long), "help misses \(b.long)")
        }
        XCTAssertTrue(ui.screenText.contains("(not now: select attendees first (space, a))"))
        ui.press("j")   // j scrolls the help, it does not move the table
        XCTAssertTrue(ui.model.helpVisible)
        ui.press("s")   // any other key closes, and does nothing else
        XCTAssertFalse(ui.model.helpVisible)
        XCTAssertEqual(ui.model.table.cursor, 0)
    }

    func testKeyNamesRoundTrip() {
        XCTAssertEqual(Key(name: "space"), .char(" "))
        XCTAssertEqual(Key(name: "esc"), .escape)
        XCTAssertEqual(Key(name: "pgdn"), .pageDown)
        XCTAssertEqual(Key(name: "q"), .char("q"))
        XCTAssertNil(Key(name: "nonsense"))
    }
}

/// Help longer than a small screen scrolls instead of being cut off.
final class HelpScrollTests: XCTestCase {
    func testHelpScrollsOnASmallScreen() {
        var ui = TUIScript(width: 60, height: 16)
        ui.press("?")
        XCTAssertTrue(ui.screenText.contains("↓ more (j)"))
        XCTAssertFalse(ui.screenText.contains("Quit now"))
        ui.press(String(repeating: "j", count: 40))
        XCTAssertTrue(ui.model.helpVisible)
        XCTAssertTrue(ui.screenText.contains("Any key closes this help."))
        XCTAssertTrue(ui.screenText.contains("Ctrl-C"))
        ui.press("x")
        XCTAssertFalse(ui.model.helpVisible)
    }
}
