import Foundation
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

    /// Names in Indic scripts: a spacing vowel sign takes its own column, as curses and
    /// the terminal (wcwidth) count it, so the columns after such a name stay in place.
    func testSpacingVowelSignsTakeAColumnAndCombiningMarksNone() {
        XCTAssertEqual("राजेश".displayWidth, 4, "र ा ज े श: ा takes a column, े none")
        XCTAssertEqual("தமிழ்".displayWidth, 4, "Tamil ி takes a column, ் none")
        XCTAssertEqual("ใจดี".displayWidth, 3)
        XCTAssertEqual("Nguyễn".displayWidth, 6)
        XCTAssertEqual("\u{1112}\u{1161}\u{11AB}".displayWidth, 2, "decomposed 한 is one wide cell")
        XCTAssertEqual("Priya राजेश".padded(toWidth: 14), "Priya राजेश    ")
        XCTAssertEqual("👍🏽".displayWidth, 2, "an emoji with a skin tone is one picture")
        XCTAssertEqual("🇸🇪".displayWidth, 2)
    }

    /// The renderer writes each cluster so that curses and any terminal advance exactly
    /// the columns the layout gave it: emoji sequences terminals disagree on are reduced.
    func testEveryClusterIsWrittenInTheColumnsTheLayoutGaveIt() {
        func written(_ s: String, utf8: Bool = true) -> String {
            var out = String.UnicodeScalarView()
            for c in s { out.append(contentsOf: TerminalGlyph.scalars(for: c, width: DisplayWidth.of(c), utf8: utf8)) }
            return String(out)
        }
        XCTAssertEqual(written("Zoë 山田 राजेश தமிழ் José\u{301}"), "Zoë 山田 राजेश தமிழ் José\u{301}", "written as they are")
        XCTAssertEqual(written("🇸🇪"), "🇸🇪")
        XCTAssertEqual(written("👩‍💻 dev"), "👩 dev", "a ZWJ sequence: its first emoji")
        XCTAssertEqual(written("❤️x"), "❤ x", "VS16: text heart, padded to the two columns")
        XCTAssertEqual(written("👍🏽"), "👍", "skin tone dropped: four columns in tmux, two elsewhere")
        XCTAssertEqual(written("a\tb\u{1B}c"), "abc", "controls from imported data are not drawn")
        XCTAssertEqual(written("Zoë 山田", utf8: false), "Zo? ? ? ", "no UTF-8: a question mark per column")
        for s in ["राजेश", "👩‍💻", "❤️", "👍🏽", "山田", "Zoë"] {
            XCTAssertEqual(written(s).unicodeScalars.reduce(0) { $0 + DisplayWidth.scalarWidth($1) }, s.displayWidth, s)
        }
    }

    /// With LANG unset the locale is "C": curses would drop every non-ASCII character.
    func testNoLocaleConfiguredMeansUTF8() {
        let saved = String(cString: setlocale(LC_CTYPE, nil))
        defer { setlocale(LC_CTYPE, saved) }
        setlocale(LC_CTYPE, "C")
        XCTAssertFalse(TerminalLocale.isUTF8)
        XCTAssertTrue(TerminalLocale.ensureUTF8())
        XCTAssertTrue(TerminalLocale.isUTF8)
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
