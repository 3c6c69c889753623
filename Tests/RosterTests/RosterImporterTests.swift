import XCTest
import Core
import TestSupport
@testable import Roster

/// Importing exports the way organisers get them, and re-importing corrected ones.
final class RosterImporterTests: XCTestCase {
    let dir = TemporaryDirectory("roster-import")
    lazy var store = try! RosterStore(url: dir.file("passmail.db"))

    @discardableResult
    func importText(_ text: String, name: String = "people.csv", _ options: ImportOptions = ImportOptions()) throws -> ImportReport {
        let url = dir.write(name, text)
        var o = options
        o.displayName = o.displayName ?? name
        return try RosterImporter.importFile(url, into: store, options: o)
    }

    func testEventbriteExportWithSeveralAttendeesPerOrder() throws {
        let r = try importText("""
            Order #,Order Date,First Name,Last Name,Email,Quantity,Ticket Type,Attendee #,Company
            501,2026-03-01,Zoë,Müller,zoe@example.org,2,VIP,9001,Acme GmbH
            501,2026-03-01,Max,Müller,max@example.org,2,VIP,9002,Acme GmbH
            502,2026-03-02,Ana,Silva,ana@example.org,1,Attendee,9003,

            """)
        XCTAssertEqual(r.added, 3)
        XCTAssertEqual(r.exitCode, .ok)
        let zoe = try XCTUnwrap(store.attendee(id: "9001"))
        XCTAssertEqual([zoe.firstName, zoe.lastName, zoe.email, zoe.company, zoe.passType], ["Zoë", "Müller", "zoe@example.org", "Acme GmbH", "VIP"])
        XCTAssertEqual(zoe.field("Order #"), "501")
        XCTAssertEqual(zoe.fields.map(\.name), ["Order #", "Order Date", "Quantity"])
    }

    func testPretixExportSplitsNamesAndUsesOrderCodesSafely() throws {
        try importText("""
            Order code,Email,Attendee name,Attendee email,Product,Company
            ABC12,buyer@example.org,Ada Lovelace,ada@example.org,Speaker,
            ABC12,buyer@example.org,"Babbage, Charles",,Speaker,Engines Ltd
            XYZ99,solo@example.org,Grace Hopper,grace@example.org,Attendee,Navy

            """)
        let all = try store.attendees()
        XCTAssertEqual(all.map(\.lastName), ["Lovelace", "Babbage", "Hopper"])
        XCTAssertEqual(all[1].firstName, "Charles")
        XCTAssertEqual(all[1].email, "buyer@example.org", "falls back to the order email")
        XCTAssertEqual(all[2].id, "XYZ99", "an order code that appears once is the id")
        XCTAssertTrue(all[0].id.hasPrefix("ABC12-"), all[0].id)
        XCTAssertNotEqual(all[0].id, all[1].id)
        XCTAssertEqual(all.map(\.passType), ["Speaker", "Speaker", "Attendee"])
    }

    func testGoogleFormsWithoutIdsGetStableIdsFromEmail() throws {
        let csv = "Timestamp,Email Address,Full name\n2026/01/01 10:00,Ada@Example.ORG,Ada Lovelace\n"
        try importText(csv)
        let id = try XCTUnwrap(store.attendees().first?.id)
        XCTAssertEqual(id, RosterImporter.derivedId(email: "ada@example.org"))
        let again = try importText(csv)
        XCTAssertEqual(again.unchanged, 1)
        XCTAssertEqual(try store.count(), 1)
    }

    func testExcelSemicolonCP1252() throws {
        let bytes: [UInt8] = Array("Name;E-Mail;Firma\r\nJos".utf8) + [0xE9] + Array(" Garc".utf8) + [0xED] + Array("a;jose@example.es;Caf".utf8) + [0xE9, 0x80] + Array("\r\n".utf8)
        let url = dir.write("excel.csv", bytes: bytes)
        XCTAssertThrowsError(try RosterImporter.importFile(url, into: store, options: ImportOptions(displayName: "excel.csv"))) { e in
            XCTAssertTrue("\(e)".hasPrefix("excel.csv:2: byte offset 22: invalid UTF-8"), "\(e)")
        }
        XCTAssertEqual(try store.count(), 0)
        let r = try RosterImporter.importFile(url, into: store, options: ImportOptions(encoding: .cp1252, displayName: "excel.csv"))
        XCTAssertEqual(r.delimiter, "\";\"")
        XCTAssertEqual(r.encoding, "Windows-1252")
        let a = try XCTUnwrap(store.attendees().first)
        XCTAssertEqual(a.fullName, "José García")
        XCTAssertEqual(a.company, "Café€")
    }

    func testBadRowsAreRejectedWithLinesAndGoodRowsStillImported() throws {
        let r = try importText("""
            Name,Email,Ticket Type
            Ada Lovelace,ada@example.org,VIP
            No Email,,VIP
            Bad Address,not-an-address,VIP
            "Multi
            Line",multi@example.org,VIP
            Short Row,short@example.org
            Ada Again,ADA@example.org,VIP
            Too,many@example.org,VIP,extra

            """)
        XCTAssertEqual(r.added, 2)
        XCTAssertEqual(r.exitCode, .dataError)
        XCTAssertEqual(r.rejected.map(\.line), [3, 4, 7, 8, 9])
        XCTAssertTrue(r.rejected[0].message.contains("no email"), r.rejected[0].message)
        XCTAssertTrue(r.rejected[1].message.contains("\"not-an-address\" is not a usable email address: no @ sign"))
        XCTAssertTrue(r.rejected[2].message.contains("has 2 fields but the header has 3"))
        XCTAssertTrue(r.rejected[3].message.contains("duplicate: same email as line 2"), r.rejected[3].message)
        XCTAssertTrue(r.rejected[4].message.contains("has 4 fields"))
        XCTAssertEqual(r.rejected[0].formatted(file: "people.csv").prefix(13), "people.csv:3:")
        XCTAssertEqual(try store.count(), 2)
    }

    func testTrailingEmptyColumnsFromSpreadsheetsAreFine() throws {
        let r = try importText("Email,Name\na@example.org,A,,\nb@example.org,B\n")
        XCTAssertEqual(r.added, 2)
        XCTAssertTrue(r.rejected.isEmpty)
    }

    func testDuplicateEmailsWithDifferentTicketsAreWarnedNotRejected() throws {
        let r = try importText("Ticket ID,Email,Name\nT1,parent@example.org,Kid One\nT2,parent@example.org,Kid Two\n")
        XCTAssertEqual(r.added, 2)
        XCTAssertEqual(r.warnings.map(\.line), [3])
        XCTAssertTrue(r.warnings[0].message.contains("duplicate email parent@example.org (also on line 2)"))
    }

    func testDuplicateIdsAreRejected() throws {
        let r = try importText("ID,Email\n7,a@example.org\n7,b@example.org\n")
        XCTAssertEqual(r.rejected.map(\.line), [3])
        XCTAssertTrue(r.rejected[0].message.contains("same id \"7\" as line 2"))
    }

    func testReimportUpdatesChangedPeopleAndKeepsDelivery() throws {
        try importText("ID,Email,Name,Ticket Type\n1,a@example.org,Ann A,VIP\n2,b@example.org,Bo B,Attendee\n")
        try store.recordDelivery(id: "1", status: .sent, at: Date(timeIntervalSince1970: 5), messageId: "<x@y>", error: nil)
        let r = try importText("ID,Email,Name,Ticket Type\n1,ann@example.org,Ann A,VIP\n2,b@example.org,Bo B,Attendee\n3,c@example.org,Cy C,Press\n")
        XCTAssertEqual([r.added, r.updated, r.unchanged], [1, 1, 1])
        XCTAssertEqual(r.summary.updated.first?.changes, ["email"])
        let ann = try XCTUnwrap(store.attendee(id: "1"))
        XCTAssertEqual(ann.email, "ann@example.org")
        XCTAssertEqual(ann.delivery.status, .sent)
        XCTAssertEqual(ann.delivery.messageId, "<x@y>")
    }

    func testDryRunReportsButWritesNothing() throws {
        let r = try importText("Email\na@example.org\n", ImportOptions(dryRun: true))
        XCTAssertTrue(r.dryRun)
        XCTAssertEqual(r.added, 1)
        XCTAssertEqual(try store.count(), 0)
    }

    func testUnparseableFilesImportNothing() throws {
        try importText("Email\nkeep@example.org\n")
        let bad: [(String, String)] = [
            ("Email\na@example.org\n\"unclosed,b@example.org\n", "never closed"),
            ("Name,Phone\nAda,123\n", "no email column"),
            ("", "empty"),
            ("\n\n", "empty"),
        ]
        for (text, why) in bad {
            XCTAssertThrowsError(try importText(text, name: "bad.csv"), why) { e in
                XCTAssertTrue("\(e)".contains(why), "\(e)")
                XCTAssertTrue("\(e)".hasPrefix("bad.csv"), "\(e)")
                XCTAssertEqual((e as? UserFacingError)?.exitCode, .dataError)
            }
        }
        XCTAssertEqual(try store.attendees().map(\.email), ["keep@example.org"])
    }

    func testMissingFileIsNoInput() {
        XCTAssertThrowsError(try RosterImporter.importFile(dir.file("nope.csv"), into: store, options: ImportOptions(displayName: "nope.csv"))) { e in
            XCTAssertEqual((e as? UserFacingError)?.exitCode, .noInput)
            XCTAssertEqual("\(e)", "nope.csv: no such file")
        }
    }

    func testExplicitDelimiterOverridesTheGuess() throws {
        let r = try importText("Email|Name,with comma\na@example.org|Ann, A\n", ImportOptions(delimiter: "|"))
        XCTAssertEqual(r.added, 1)
        XCTAssertEqual(try store.attendees().first?.field("Name,with comma"), "Ann, A")
    }

    func testReadingUTF8AsLatin1Warns() throws {
        let r = try importText("Email,Name\nz@example.org,Zoë\n", ImportOptions(encoding: .latin1))
        XCTAssertTrue(r.warnings.contains { $0.message.contains("valid UTF-8") })
    }
}

extension RosterImporterTests {
    func testExcelSepLineNamesTheDelimiterAndIsNotTheHeader() throws {
        let r = try importText("sep=;\r\nName;Email\r\nAda Lovelace;ada@example.org\r\n")
        XCTAssertEqual(r.added, 1)
        XCTAssertEqual(r.delimiter, "\";\"")
        XCTAssertEqual(try store.attendees().first?.lastName, "Lovelace")
    }

    func testHeaderAfterBlankLinesAndLineNumbersStayPhysical() throws {
        let r = try importText("\n\nEmail,Name\n\nbad,Bad\n")
        XCTAssertEqual(r.rejected.map(\.line), [5])
    }

    func testWhiteSpaceAroundValuesIsTrimmedButFieldsKeepTheirText() throws {
        try importText("Email,First Name,Note\n  ada@Example.org\u{A0},  Ada ,  keep me  \n")
        let a = try XCTUnwrap(store.attendees().first)
        XCTAssertEqual(a.email, "ada@example.org")
        XCTAssertEqual(a.firstName, "Ada")
        XCTAssertEqual(a.field("Note"), "  keep me  ")
    }

    func testHeaderOnlyFileImportsNothingAndSaysSo() throws {
        let r = try importText("Email,Name\n")
        XCTAssertEqual(r.rowsRead, 0)
        XCTAssertEqual(r.exitCode, .ok)
        XCTAssertTrue(r.warnings.contains { $0.message.contains("no attendees") })
    }
}

extension RosterImporterTests {
    func testATitleLineAboveTheHeaderIsSkippedWithAWarning() throws {
        let r = try importText("Attendee Summary Report\nGenerated 2026-03-01\nFirst Name,Last Name,Email\nAda,Lovelace,ada@example.org\n")
        XCTAssertEqual(r.added, 1)
        XCTAssertEqual(r.warnings.first?.line, 3)
        XCTAssertTrue(r.warnings.first?.message.contains("the 2 lines above it were skipped") ?? false)
    }

    func testRowsOfEmptyCellsAreBlankLines() throws {
        let r = try importText("Email,Name\na@example.org,A\n,\n,,\n")
        XCTAssertEqual(r.added, 1)
        XCTAssertTrue(r.rejected.isEmpty, "\(r.rejected)")
        XCTAssertEqual(r.rowsRead, 1)
    }
}

extension RosterImporterTests {
    func testANewIdForAKnownEmailIsWarnedAbout() throws {
        try importText("Attendee #,Email,Name\n9001,ada@example.org,Ada Lovelace\n")
        // The same person exported without the attendee number: a derived id, a second row.
        let r = try importText("Email,Name\nADA@example.org,Ada Lovelace\n", name: "forms.csv")
        XCTAssertEqual(r.added, 1)
        XCTAssertEqual(r.warnings.first?.line, 2)
        XCTAssertTrue(r.warnings.first?.message.contains("has the email of \"9001\"") ?? false, "\(r.warnings)")
    }
}

extension RosterImporterTests {
    func testPruneRemovesPeopleNoLongerInTheFileButNeverWithRejectedRows() throws {
        try importText("ID,Email\n1,a@example.org\n2,b@example.org\n3,c@example.org\n")
        let refused = try importText("ID,Email\n1,a@example.org\n2,broken\n", ImportOptions(prune: true))
        XCTAssertEqual(refused.removed, 0)
        XCTAssertTrue(refused.warnings.contains { $0.message.contains("--prune ignored") })
        XCTAssertEqual(try store.count(), 3)
        let dry = try importText("ID,Email\n1,a@example.org\n", ImportOptions(dryRun: true, prune: true))
        XCTAssertEqual(dry.summary.removed, ["2", "3"])
        XCTAssertEqual(try store.count(), 3)
        let r = try importText("ID,Email\n1,a@example.org\n", ImportOptions(prune: true))
        XCTAssertEqual(r.summary.removed, ["2", "3"])
        XCTAssertEqual(try store.attendees().map(\.id), ["1"])
    }
}

extension RosterImporterTests {
    func testARowWithoutANameIsImportedWithAWarning() throws {
        let r = try importText("Email,First Name,Last Name\nanon@example.org,,\n")
        XCTAssertEqual(r.added, 1)
        XCTAssertEqual(r.warnings.map(\.line), [2])
        XCTAssertTrue(r.warnings[0].message.contains("has no name"))
    }
}

extension RosterImporterTests {
    func testUnicodeDomainsAreImportedInTheirASCIIForm() throws {
        let r = try importText("Email,Name\ninfo@müller.de,Hans Müller\nzoë@example.org,Zoë\n")
        XCTAssertEqual(r.added, 1)
        XCTAssertEqual(try store.attendees().first?.email, "info@xn--mller-kva.de")
        XCTAssertTrue(r.warnings.contains { $0.message.contains("domain written in its ASCII form, info@xn--mller-kva.de") })
        XCTAssertEqual(r.rejected.map(\.line), [3])
        XCTAssertTrue(r.rejected[0].message.contains("non-ASCII"))
    }
}
