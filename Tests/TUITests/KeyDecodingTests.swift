import XCTest
@testable import TUI

/// What `wget_wch` returns, as keys: control bytes, Esc, Backspace variants, any Unicode character.
final class KeyDecodingTests: XCTestCase {
    func testControlBytes() {
        XCTAssertEqual(CursesScreen.characterKey(3), .ctrlC)
        XCTAssertEqual(CursesScreen.characterKey(21), .ctrlU)
        XCTAssertEqual(CursesScreen.characterKey(27), .escape)
        XCTAssertEqual(CursesScreen.characterKey(10), .enter)
        XCTAssertEqual(CursesScreen.characterKey(13), .enter)
        XCTAssertEqual(CursesScreen.characterKey(127), .backspace)
        XCTAssertEqual(CursesScreen.characterKey(8), .backspace)
        XCTAssertNil(CursesScreen.characterKey(1), "other control bytes are ignored, not typed")
    }

    func testUnicodeCharactersAreText() {
        XCTAssertEqual(CursesScreen.characterKey(0x71), .char("q"))
        XCTAssertEqual(CursesScreen.characterKey(0xF8), .char("ø"))
        XCTAssertEqual(CursesScreen.characterKey(0x5C71), .char("山"))
        XCTAssertEqual(CursesScreen.characterKey(0x1F680), .char("🚀"))
        XCTAssertNil(CursesScreen.characterKey(0xD800), "a lone surrogate is not a character")
    }
}
