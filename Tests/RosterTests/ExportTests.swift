import XCTest
import Core
import TestSupport
@testable import Roster

/// The "who got it, who didn't" report as CSV and JSON, and the readable table.
final class ExportTests: XCTestCase {
    let sent = Date(timeIntervalSince1970: 1_790_000_000)

    var people: [Attendee] {
        [
            Attendee(id: "1", firstName: "Zoë", lastName: "Müller", email: "zoe@example.org", company: "Acme, Inc.", passType: "VIP",
                     fields: [.init(name: "Diet", value: "vegan"), .init(name: "status", value: "board")],
                     delivery: DeliveryRecord(status: .sent, passGeneratedAt: sent, emailedAt: sent, messageId: "<1@x>")),
            Attendee(id: "2", firstName: "李", lastName: "小龍", email: "li@example.cn", passType: "Speaker",
                     fields: [.init(name: "Note", value: "line 1\nline 2")],
                     delivery: DeliveryRecord(status: .failed, lastError: "550 5.1.1 user unknown")),
        ]
    }

    func testCSVHasFixedColumnsThenEveryFieldAndReadsBack() throws {
        let csv = RosterExport.csv(people)
        let records = try CSVParser.parse(Array(csv.utf8), delimiter: UInt8(ascii: ","), file: "r.csv")
        XCTAssertEqual(records[0].fields, RosterExport.columns + ["Diet", "field:status", "Note"])
        XCTAssertEqual(records[1].fields, ["1", "Zoë", "Müller", "zoe@example.org", "Acme, Inc.", "VIP", "sent",
                                           "2026-09-21T14:13:20Z", "2026-09-21T14:13:20Z", "<1@x>", "", "vegan", "board", ""])
        XCTAssertEqual(records[2].fields[6], "failed")
        XCTAssertEqual(records[2].fields[10], "550 5.1.1 user unknown")
        XCTAssertEqual(records[2].fields[13], "line 1\nline 2")
        XCTAssertTrue(csv.hasSuffix("\r\n"))
    }

    func testExcelFlavour() {
        let csv = RosterExport.csv(people, delimiter: ";", byteOrderMark: true)
        XCTAssertTrue(csv.hasPrefix("\u{FEFF}id;first_name;"))
    }

    func testJSONIsOneArrayWithTheDocumentedKeys() throws {
        let json = RosterExport.json(people)
        let array = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
        XCTAssertEqual(array.count, 2)
        for key in ["id", "first_name", "last_name", "email", "company", "pass_type", "status", "emailed_at", "last_error",
                    "fields", "pass_generated_at", "message_id"] {
            XCTAssertTrue(array[0].keys.contains(key), key)
        }
        XCTAssertEqual(array[0]["emailed_at"] as? String, "2026-09-21T14:13:20Z")
        XCTAssertTrue(array[1]["emailed_at"] is NSNull)
        XCTAssertEqual((array[0]["fields"] as? [String: String])?["Diet"], "vegan")
        XCTAssertEqual((array[1]["fields"] as? [String: String])?["Note"], "line 1\nline 2")
        XCTAssertEqual(RosterExport.json([]), "[]")
    }

    func testTableAlignsByCellWidth() {
        let lines = AttendeeTable.render(people, timeZone: TimeZone(identifier: "UTC")!)
        XCTAssertEqual(lines.count, 3)
        // The EMAIL column starts at the same terminal column on every line, CJK names included.
        let columns = lines.map { line -> Int in
            let prefix = line.components(separatedBy: line.contains("@") ? (line.contains("zoe") ? "zoe@" : "li@") : "EMAIL")[0]
            return CellWidth.of(prefix)
        }
        XCTAssertEqual(Set(columns).count, 1, lines.joined(separator: "\n"))
        XCTAssertTrue(lines[0].hasSuffix("LAST ERROR"))
        XCTAssertTrue(lines[1].contains("2026-09-21 14:13"))
        XCTAssertFalse(lines[2].contains("\n"))
    }

    func testCellWidth() {
        XCTAssertEqual(CellWidth.of("abc"), 3)
        XCTAssertEqual(CellWidth.of("Zoë"), 3)
        XCTAssertEqual(CellWidth.of("Zoe\u{308}"), 3)
        XCTAssertEqual(CellWidth.of("李小龍"), 6)
        XCTAssertEqual(CellWidth.of("🎉"), 2)
        XCTAssertEqual(CellWidth.truncate("李小龍李小龍", to: 7), "李小龍…")
        XCTAssertEqual(CellWidth.truncate("short", to: 7), "short")
    }
}

extension ExportTests {
    func testTableNarrowsToTheTerminalWidth() {
        var many = people
        many[0].email = "a.very.long.address.for.testing.purposes@example.org"
        many[0].company = "An Extremely Long Company Name Incorporated"
        let wide = AttendeeTable.render(many, timeZone: TimeZone(identifier: "UTC")!)
        let narrow = AttendeeTable.render(many, timeZone: TimeZone(identifier: "UTC")!, maxWidth: 100)
        XCTAssertGreaterThan(wide.map(CellWidth.of).max()!, 100)
        XCTAssertLessThanOrEqual(narrow.map(CellWidth.of).max()!, 100, narrow.joined(separator: "\n"))
        XCTAssertTrue(narrow[1].contains("…"))
        XCTAssertTrue(narrow[0].hasPrefix("ID  NAME"))
    }
}

extension ExportTests {
    func testJSONEscapesAwkwardTextAndStaysParseable() throws {
        let awkward = "quote \" backslash \\ newline \n tab \t ctl \u{1} emoji 🎟️ 李"
        let a = Attendee(id: "x\"y", firstName: awkward, lastName: "", email: "a@example.org",
                         fields: [.init(name: awkward, value: awkward)])
        let array = try JSONSerialization.jsonObject(with: Data(RosterExport.json([a]).utf8)) as! [[String: Any]]
        XCTAssertEqual(array[0]["id"] as? String, "x\"y")
        XCTAssertEqual(array[0]["first_name"] as? String, awkward)
        XCTAssertEqual((array[0]["fields"] as? [String: String])?[awkward], awkward)
    }

    func testFieldsJSONDecodesStandardEscapes() throws {
        let text = #"[{"name":"a\u00e9\ud83c\udf9f\/","value":"x\"\\\n\t\u0001"}, {"value":"v","name":"n"}]"#
        let fields = try Array(text.utf8).withUnsafeBufferPointer { try FieldsJSON.decode($0) }
        XCTAssertEqual(fields, [.init(name: "aé🎟/", value: "x\"\\\n\t\u{1}"), .init(name: "n", value: "v")])
        XCTAssertThrowsError(try Array("[{\"name\":".utf8).withUnsafeBufferPointer { try FieldsJSON.decode($0) })
        XCTAssertEqual(try Array("[]".utf8).withUnsafeBufferPointer { try FieldsJSON.decode($0) }, [])
    }
}
