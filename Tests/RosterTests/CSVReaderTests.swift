import XCTest
import Core
import TestSupport
@testable import Roster

/// Reading CSV the way exports are really written: quotes, line breaks, encodings, delimiters.
final class CSVReaderTests: XCTestCase {
    func parse(_ text: String, _ delimiter: Character = ",") throws -> [CSVRecord] {
        try CSVParser.parse(Array(text.utf8), delimiter: delimiter.asciiValue!, file: "f.csv")
    }

    func testQuotedFieldsKeepDelimitersLineBreaksAndDoubledQuotes() throws {
        let r = try parse("name,note\n\"Doe, Jane\",\"said \"\"hi\"\"\nthen left\"\n")
        XCTAssertEqual(r.map(\.fields), [["name", "note"], ["Doe, Jane", "said \"hi\"\nthen left"]])
    }

    func testEveryLineEndingEndsARecord() throws {
        for nl in ["\n", "\r\n", "\r"] {
            let r = try parse("a,b\(nl)c,d\(nl)e,f")
            XCTAssertEqual(r.map(\.fields), [["a", "b"], ["c", "d"], ["e", "f"]], nl.debugDescription)
            XCTAssertEqual(r.map(\.line), [1, 2, 3], nl.debugDescription)
        }
    }

    func testLineNumbersArePhysicalLinesEvenAfterMultiLineFields() throws {
        let r = try parse("h1,h2\r\n\"two\r\nlines\",x\r\n\r\nlast,y\r\n")
        XCTAssertEqual(r.filter { !$0.isBlank }.map(\.line), [1, 2, 5])
    }

    func testBlankLinesAreBlankRecordsButAnEmptyQuotedFieldIsNot() throws {
        let r = try parse("a\n\n\"\"\n")
        XCTAssertEqual(r.map(\.isBlank), [false, true, false])
    }

    func testTrailingDelimiterMeansATrailingEmptyField() throws {
        XCTAssertEqual(try parse("a,b,\n").map(\.fields), [["a", "b", ""]])
        XCTAssertEqual(try parse("a,b,").map(\.fields), [["a", "b", ""]])
    }

    func testUnclosedQuoteNamesTheLineWhereItOpened() throws {
        XCTAssertThrowsError(try parse("a,b\nc,\"d\ne,f\n")) { e in
            XCTAssertEqual((e as? CSVError)?.line, 2)
            XCTAssertTrue("\(e)".hasPrefix("f.csv:2: "), "\(e)")
        }
    }

    func testLenientQuotesLikeSpreadsheets() throws {
        XCTAssertEqual(try parse("a\"b,\"c\"d\n").map(\.fields), [["a\"b", "cd"]])
    }

    func testUTF8BOMIsSkippedAndReported() throws {
        let d = try TextDecoding.decode([0xEF, 0xBB, 0xBF] + Array("Email\n".utf8), encoding: nil, file: "f.csv")
        XCTAssertEqual(String(decoding: d.utf8, as: UTF8.self), "Email\n")
        XCTAssertEqual(d.detected, "UTF-8 with BOM")
    }

    func testInvalidUTF8NamesLineAndByteOffsetAndSuggestsAnEncoding() {
        let bytes = Array("Name,Email\nJos".utf8) + [0xE9] + Array(",jose@example.org\n".utf8)
        XCTAssertThrowsError(try TextDecoding.decode(bytes, encoding: nil, file: "x.csv")) { e in
            let err = e as! CSVError
            XCTAssertEqual(err.line, 2)
            XCTAssertEqual(err.byteOffset, 14)
            XCTAssertEqual(err.exitCode, .dataError)
            XCTAssertTrue(err.description.hasPrefix("x.csv:2: byte offset 14: invalid UTF-8 (byte 0xE9)"), err.description)
            XCTAssertTrue(err.description.contains("--encoding cp1252"))
        }
    }

    func testOverlongAndSurrogateEncodingsAreInvalid() {
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            XCTAssertThrowsError(try TextDecoding.decode(Array("a\n".utf8) + bad, encoding: nil, file: "f"), "\(bad)")
        }
    }

    func testLatin1AndWindows1252() throws {
        let latin = try TextDecoding.decode([0x4A, 0x6F, 0x73, 0xE9, 0x80], encoding: .latin1, file: "f")
        XCTAssertEqual(String(decoding: latin.utf8, as: UTF8.self), "José\u{80}")
        let cp = try TextDecoding.decode([0x4A, 0x6F, 0x73, 0xE9, 0x80, 0x93, 0x94], encoding: .cp1252, file: "f")
        XCTAssertEqual(String(decoding: cp.utf8, as: UTF8.self), "José€“”")
        XCTAssertThrowsError(try TextDecoding.decode([0x41, 0x81], encoding: .cp1252, file: "f"))
    }

    func testUTF16WithBOMIsDecoded() throws {
        let text = "Name,Email\nZoë,zoe@example.org\n"
        let le: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        XCTAssertEqual(String(decoding: try TextDecoding.decode(le, encoding: nil, file: "f").utf8, as: UTF8.self), text)
        XCTAssertEqual(try TextDecoding.decode(be, encoding: nil, file: "f").detected, "UTF-16BE")
    }

    func testNULByteIsAClearError() {
        XCTAssertThrowsError(try TextDecoding.decode(Array("a,b\nc".utf8) + [0] + Array("d\n".utf8), encoding: nil, file: "n.csv")) { e in
            XCTAssertTrue("\(e)".hasPrefix("n.csv:2: byte offset 5: NUL byte"), "\(e)")
        }
    }

    func testDelimiterSniffing() {
        func sniff(_ s: String) -> String { DelimiterSniffer.name(DelimiterSniffer.sniff(Array(s.utf8))) }
        XCTAssertEqual(sniff("Name;Email;Company\nA;a@x.org;\"Foo, Inc\"\n"), "\";\"")
        XCTAssertEqual(sniff("Name\tEmail\nA, B\ta@x.org\n"), "tab")
        XCTAssertEqual(sniff("Name|Email\nA|a@x.org\n"), "\"|\"")
        XCTAssertEqual(sniff("\"Last, First\",Email\n\"Doe; Jane\",j@x.org\n"), "\",\"")
        XCTAssertEqual(sniff("Email\nx@y.org\n"), "\",\"")
    }

    func testWriterQuotesOnlyWhatNeedsIt() {
        var w = CSVWriter()
        w.append(["plain", "a,b", "say \"hi\"", "two\nlines", " padded", ""])
        XCTAssertEqual(w.text, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",\r\n")
    }

    func testWriterOutputReadsBackIdentically() throws {
        let rows = [["id", "note"], ["1", "multi\r\nline, \"quoted\""], ["2", ""], ["3", "Zoë 李"]]
        var w = CSVWriter()
        rows.forEach { w.append($0) }
        XCTAssertEqual(try parse(w.text).map(\.fields), rows)
    }
}
