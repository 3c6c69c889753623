import XCTest
@testable import Core

/// The one JSON string literal the journal and the roster's fields column both use.
final class JSONStringTests: XCTestCase {
    func roundTrip(_ s: String) throws -> String {
        var out = ""
        JSONString.append(s, to: &out)
        var i = 0
        let back = try Array(out.utf8).withUnsafeBufferPointer { try JSONString.read($0, at: &i) }
        XCTAssertEqual(i, out.utf8.count)
        return back
    }

    func testEverythingRoundTripsAndStaysOneLine() throws {
        for s in ["", "plain", "Zoë \"Z\" Müller", "back\\slash", "line\nbreak\r\ttab", "\u{1}\u{1F}",
                  "sep\u{2028}par\u{2029}", "emoji 👩‍💻 李娜"] {
            XCTAssertEqual(try roundTrip(s), s)
            var out = ""
            JSONString.append(s, to: &out)
            XCTAssertFalse(out.contains("\n") || out.contains("\u{2028}"), out)
        }
    }

    func testEscapesWrittenByOtherEncodersAreRead() throws {
        let json = #""a\/b \u00e9 \ud83d\ude00 \n""#
        var i = 0
        let s = try Array(json.utf8).withUnsafeBufferPointer { try JSONString.read($0, at: &i) }
        XCTAssertEqual(s, "a/b é 😀 \n")
    }

    func testTruncatedLiteralsAreMalformed() {
        for json in [#""abc"#, #""a\"#, #""\u12"#, "abc"] {
            var i = 0
            XCTAssertThrowsError(try Array(json.utf8).withUnsafeBufferPointer { try JSONString.read($0, at: &i) }, json)
        }
    }
}
