import Foundation
import XCTest
import Core
@testable import Passes

/// Attachment names from spreadsheet data: readable, and safe on every file system and mail client.
final class PassFileNameTests: XCTestCase {
    func testNamedAfterTheAttendee() {
        XCTAssertEqual(PassFileName.forAttendee(attendee("Zoë", "Müller")), "Pass - Zoë Müller.pdf")
    }

    func testDecomposedAccentsBecomeComposed() {
        XCTAssertEqual(PassFileName.forAttendee(attendee("Zoe\u{0308}", "")), "Pass - Zo\u{00EB}.pdf")
    }

    func testPathSeparatorsAndForbiddenCharactersAreReplaced() {
        XCTAssertEqual(PassFileName.forAttendee(attendee("AC/DC", "Fan\\Club: \"Best\" <1>?*|")), "Pass - AC-DC Fan-Club- -Best- -1----.pdf")
        XCTAssertEqual(PassFileName.forAttendee(attendee("../../etc", "passwd")), "Pass - -..-etc passwd.pdf")
    }

    func testControlCharactersAndLineBreaksBecomeSingleSpaces() {
        XCTAssertEqual(PassFileName.forAttendee(attendee("Ada\n\r\t", "\u{0000}Lovelace\u{2028}")), "Pass - Ada Lovelace.pdf")
    }

    func testNamelessAttendeeIsNamedById() {
        XCTAssertEqual(PassFileName.forAttendee(attendee(" ", "", id: "row/17")), "Pass - row-17.pdf")
    }

    func testVeryLongNamesStayWithinFileSystemLimits() {
        let name = PassFileName.forAttendee(attendee(String(repeating: "Ünïcödé ", count: 60), ""))
        XCTAssertLessThanOrEqual(name.utf8.count, 255)
        XCTAssertTrue(name.hasSuffix(".pdf"))
    }

    func testNamesakesAreToldApartById() {
        XCTAssertEqual(PassFileName.disambiguated(attendee("John", "Smith", id: "a-2")), "Pass - John Smith (a-2).pdf")
    }
}
