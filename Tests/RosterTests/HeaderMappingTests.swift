import XCTest
import Core
import TestSupport
@testable import Roster

/// Understanding the headers real ticketing exports write.
final class HeaderMappingTests: XCTestCase {
    func map(_ headers: [String]) throws -> HeaderMapping { try HeaderMapping.map(headers, file: "f.csv", line: 1) }

    func testEventbriteAttendeeReportUsesAttendeeNumberNotOrderNumber() throws {
        let h = ["Order #", "Order Date", "First Name", "Last Name", "Email", "Quantity", "Ticket Type", "Attendee #", "Company"]
        let m = try map(h)
        XCTAssertEqual(m.email, 4)
        XCTAssertEqual(m.firstName, 2)
        XCTAssertEqual(m.lastName, 3)
        XCTAssertEqual(m.passType, 6)
        XCTAssertEqual(m.id, 7)
        XCTAssertFalse(m.idIsOrderLevel)
        XCTAssertEqual(m.company, 8)
        XCTAssertEqual(m.fieldColumns.map(\.name), ["Order #", "Order Date", "Quantity"])
    }

    func testPretixPrefersAttendeeEmailAndFallsBackToOrderEmail() throws {
        let m = try map(["Order code", "Email", "Attendee name", "Attendee email", "Product", "Company"])
        XCTAssertEqual(m.email, 3)
        XCTAssertEqual(m.emailFallback, 1)
        XCTAssertEqual(m.fullName, 2)
        XCTAssertEqual(m.passType, 4)
        XCTAssertEqual(m.id, 0)
        XCTAssertTrue(m.idIsOrderLevel)
    }

    func testGoogleFormsAndExcelSpellings() throws {
        let g = try map(["Timestamp", "Email Address", "Full name", "Organisation", "Registration type"])
        XCTAssertEqual([g.email, g.fullName, g.company, g.passType], [1, 2, 3, 4])
        XCTAssertNil(g.id)
        let x = try map(["\u{FEFF}E-Mail", " Vorname ", "NACHNAME", "Organization", "Category"])
        XCTAssertEqual([x.email, x.firstName, x.lastName, x.company, x.passType], [0, 1, 2, 3, 4])
    }

    func testNormalisationIgnoresCaseSpacesPunctuationAndBOM() {
        XCTAssertEqual(HeaderMapping.normalize("\u{FEFF} E-mail Address "), "emailaddress")
        XCTAssertEqual(HeaderMapping.normalize("Attendee #"), "attendeenumber")
        XCTAssertEqual(HeaderMapping.normalize("Ticket_Type"), "tickettype")
    }

    func testNoEmailColumnListsTheColumnsTheFileHas() {
        XCTAssertThrowsError(try map(["Name", "Phone", ""])) { e in
            let msg = "\(e)"
            XCTAssertTrue(msg.hasPrefix("f.csv:1: no email column"), msg)
            XCTAssertTrue(msg.contains("\"Name\", \"Phone\", \"Column 3\""), msg)
            XCTAssertEqual((e as? UserFacingError)?.exitCode, .dataError)
        }
    }

    func testDuplicateHeadersStayDistinctFields() throws {
        let m = try map(["Email", "Note", "Note"])
        XCTAssertEqual(m.fieldColumns.map(\.name), ["Note", "Note (2)"])
    }

    func testNameSplitting() {
        let cases: [(String, String, String)] = [
            ("Ada Lovelace", "Ada", "Lovelace"),
            ("Lovelace, Ada", "Ada", "Lovelace"),
            ("Mary Ann  Smith", "Mary Ann", "Smith"),
            ("Ludwig van Beethoven", "Ludwig", "van Beethoven"),
            ("Martin Luther King Jr.", "Martin Luther", "King Jr."),
            ("John Smith, Jr.", "John", "Smith Jr."),
            ("Cher", "Cher", ""),
            ("", "", ""),
            ("Zoë Müller", "Zoë", "Müller"),
        ]
        for (full, first, last) in cases {
            let s = NameSplitter.split(full)
            XCTAssertEqual(s.first, first, full)
            XCTAssertEqual(s.last, last, full)
        }
    }
}
