import XCTest
@testable import TUI

/// Columns, not characters: CJK and emoji take two, combining accents none.
final class DisplayWidthTests: XCTestCase {
    func testWidths() {
        XCTAssertEqual("Zoe".displayWidth, 3)
        XCTAssertEqual("Zoë".displayWidth, 3)
        XCTAssertEqual("Zoe\u{0308}".displayWidth, 3, "decomposed ë")
        XCTAssertEqual("山田".displayWidth, 4)
        XCTAssertEqual("株式会社".displayWidth, 8)
        XCTAssertEqual("🚀".displayWidth, 2)
        XCTAssertEqual("👩‍💻".displayWidth, 2, "ZWJ sequence is one cluster")
        XCTAssertEqual("❤️".displayWidth, 2, "VS16 asks for emoji presentation")
        XCTAssertEqual("한국어".displayWidth, 6)
        XCTAssertEqual("ｆｕｌｌ".displayWidth, 8)
        XCTAssertEqual("✓ ✗ ● │ █".displayWidth, 9)
    }

    func testTruncateAndPadByColumns() {
        XCTAssertEqual("山田太郎".truncated(toWidth: 5), "山田…")
        XCTAssertEqual("山田太郎".padded(toWidth: 6), "山田… ")
        XCTAssertEqual("山田太郎".padded(toWidth: 8), "山田太郎")
        XCTAssertEqual("Zoë Müller".padded(toWidth: 12), "Zoë Müller  ")
        XCTAssertEqual("Graphwerk 🚀".padded(toWidth: 11), "Graphwerk …")
        XCTAssertEqual("abc".padded(toWidth: 5, alignRight: true), "  abc")
        XCTAssertEqual("山田".truncated(toWidth: 3, ellipsis: false), "山 ")
    }

    func testOverlayKeepsColumnsAroundWideCharacters() {
        var f = Frame(width: 10, height: 1)
        f.set(0, "山田太郎山")
        f.overlay(0, column: 3, StyledLine("ab", .key))
        XCTAssertEqual(f.lines[0], "山 ab 郎山")
        XCTAssertEqual(f.lines[0].displayWidth, 10)
        XCTAssertEqual(f.style(atRow: 0, column: 3), .key)
    }

    func testWrapping() {
        XCTAssertEqual("one two three".wrapped(toWidth: 7), ["one two", "three"])
        XCTAssertEqual("abcdefghij".wrapped(toWidth: 4), ["abcd", "efgh", "ij"])
        XCTAssertEqual("a\n\nb".wrapped(toWidth: 4), ["a", "", "b"])
    }
}
