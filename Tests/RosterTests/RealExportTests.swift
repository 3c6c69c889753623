import XCTest
import Core
import TestSupport
@testable import Roster

/// Exports from ticketing systems and spreadsheets, written the way those tools write them,
/// imported the way an organiser would: the right person gets the right pass.
final class RealExportTests: XCTestCase {
    let dir = TemporaryDirectory("roster-real-exports")
    lazy var store = try! RosterStore(url: dir.file("passmail.db"))

    @discardableResult
    func importText(_ text: String, name: String = "export.csv", _ options: ImportOptions = ImportOptions()) throws -> ImportReport {
        var o = options
        o.displayName = o.displayName ?? name
        return try RosterImporter.importFile(dir.write(name, text), into: store, options: o)
    }

    /// Tito puts the attendee in "Ticket …" columns and the buyer in "Order …" columns:
    /// every ticket must go to its own holder, not to whoever paid for the order.
    func testTitoTicketsGoToTheTicketHolderNotTheBuyer() throws {
        let r = try importText("""
            Number,Ticket Created Date,Ticket,Ticket Full Name,Ticket First Name,Ticket Last Name,Ticket Email,Ticket Company Name,Order Reference,Order Name,Order Email,Order Company Name,Ticket Reference
            1,2026-01-10,Early Bird,Grace Hopper,Grace,Hopper,grace@navy.example.org,US Navy,ABCD,Alan Turing,alan@example.org,Bletchley,ABCD-1
            2,2026-01-10,Early Bird,Katherine Johnson,Katherine,Johnson,,NASA,ABCD,Alan Turing,alan@example.org,Bletchley,ABCD-2

            """)
        XCTAssertEqual(r.added, 2)
        let all = try store.attendees()
        XCTAssertEqual(all.map(\.id), ["ABCD-1", "ABCD-2"])
        XCTAssertEqual(all.map(\.email), ["grace@navy.example.org", "alan@example.org"],
                       "the ticket's own email; the order's only where the ticket has none")
        XCTAssertEqual(all.map(\.fullName), ["Grace Hopper", "Katherine Johnson"])
        XCTAssertEqual(all.map(\.company), ["US Navy", "NASA"])
        XCTAssertEqual(all[0].field("Order Company Name"), "Bletchley")
    }

    /// pretix without attendee emails: one buyer, two tickets. Both people get their pass,
    /// identified by order code and position, as pretix itself names them ("Q7XKP-2").
    func testPretixOrderWithTwoPositionsAndOnlyTheBuyersEmail() throws {
        let header = "Event slug,Order code,Position ID,Status,Email,Product,Attendee name,Attendee name: Given name,Attendee name: Family name,Attendee email,Company,Company,Invoice address name"
        let r = try importText("""
            \(header)
            conf26,Q7XKP,1,Paid,buyer@firma.example.de,Conference ticket,Jörg Müller,Jörg,Müller,,Firma GmbH,Firma GmbH,Jörg Müller
            conf26,Q7XKP,2,Paid,buyer@firma.example.de,Conference ticket,Anna Schmidt,Anna,Schmidt,,Firma GmbH,Firma GmbH,Jörg Müller
            conf26,Z99AA,1,Paid,solo@example.org,Workshop,Sam Solo,Sam,Solo,sam@example.org,,,

            """)
        XCTAssertEqual(r.rejected, [])
        XCTAssertEqual(r.exitCode, .ok)
        let all = try store.attendees()
        XCTAssertEqual(all.map(\.id), ["Q7XKP-1", "Q7XKP-2", "Z99AA-1"])
        XCTAssertEqual(all.map(\.firstName), ["Jörg", "Anna", "Sam"])
        XCTAssertEqual(all.map(\.email), ["buyer@firma.example.de", "buyer@firma.example.de", "sam@example.org"])
        XCTAssertEqual(all[0].fields.map(\.name), ["Event slug", "Status", "Attendee name", "Company (2)", "Invoice address name"],
                       "the invoice's Company is numbered: {{Company}} is the attendee's")
        let again = try importText("""
            \(header)
            conf26,Q7XKP,2,Paid,buyer@firma.example.de,Conference ticket,Anna Schmidt,Anna,Schmidt,,Firma GmbH,Firma GmbH,Jörg Müller

            """)
        XCTAssertEqual(again.unchanged, 1, "the same ticket keeps its id on re-import")
    }

    /// An order export without positions or attendee emails: the buyer's tickets stay distinct people.
    func testOrderNumberWithTheSameBuyerEmailOnSeveralTickets() throws {
        let csv = """
            Order ID,Buyer Email,Name,Ticket Type
            7001,parent@example.org,Mia Berg,Child
            7001,parent@example.org,Leo Berg,Child
            7001,parent@example.org,Eva Berg,Adult

            """
        let r = try importText(csv)
        XCTAssertEqual(r.added, 3)
        XCTAssertEqual(r.rejected, [])
        let ids = try store.attendees().map(\.id)
        XCTAssertEqual(Set(ids).count, 3)
        XCTAssertEqual(try importText(csv).unchanged, 3, "the ids are stable on re-import")
    }

    /// `passmail export` read back by `passmail import` (a new machine, or a corrected report):
    /// the report's delivery columns are not attendee data, and nothing changes.
    func testAnExportReadsBackUnchanged() throws {
        try importText("""
            Attendee #,First Name,Last Name,Email,Company,Ticket Type,Dietary,status
            9001,Zoë,Müller,zoe@example.org,"Acme, Inc.",VIP,vegan,board
            9002,Li,Wei,li@example.cn,,Speaker,,

            """)
        try store.recordDelivery(id: "9001", status: .sent, at: Date(timeIntervalSince1970: 1_790_000_000), messageId: "<m1@x>", error: nil)
        for excel in [false, true] {
            let report = RosterExport.csv(try store.attendees(), delimiter: excel ? ";" : ",", byteOrderMark: excel)
            let r = try importText(report, name: excel ? "report-excel.csv" : "report.csv")
            XCTAssertEqual(r.unchanged, 2, "excel: \(excel), updated: \(r.summary.updated)")
            XCTAssertEqual(r.added + r.updated, 0)
            XCTAssertTrue(r.mapping.contains { $0.hasPrefix("ignored") && $0.contains("\"emailed_at\"") }, "\(r.mapping)")
        }
        let zoe = try XCTUnwrap(store.attendee(id: "9001"))
        XCTAssertEqual(zoe.fields.map(\.name), ["Dietary", "status"])
        XCTAssertEqual(zoe.delivery.status, .sent)
    }

    /// Excel "CSV (semicolon)", French headers, cp1252, `sep=;`, and the empty columns Excel leaves.
    func testFrenchExcelExportWithTrailingEmptyColumns() throws {
        let text = "sep=;\r\nNom;Prénom;E-mail;Société;Catégorie;;;\r\nDubois;Hélène;helene@exemple.fr;Crédit Agricole;Exposant;;;\r\n;;;;;;;\r\n"
        let r = try RosterImporter.importFile(dir.write("excel.csv", bytes: Array(text.utf8)), into: store,
                                              options: ImportOptions(displayName: "excel.csv"))
        XCTAssertEqual(r.added, 1)
        let a = try XCTUnwrap(store.attendees().first)
        XCTAssertEqual([a.firstName, a.lastName, a.company, a.passType], ["Hélène", "Dubois", "Crédit Agricole", "Exposant"])
        XCTAssertEqual(a.fields.map(\.name), [], "no \"Column 6\" fields made of nothing")
    }

    /// Google Forms and Luma ask for the company in a question; a header wrapped onto two lines
    /// in the spreadsheet names its field with one space.
    func testCompanyQuestionsAndWrappedHeaders() throws {
        try importText("""
            Timestamp,Email Address,Full name,What is your company?,"Dietary
            requirements"
            2026/03/01 10:00:00,zoe@example.org,Zoë Müller,Acme,vegan

            """)
        let a = try XCTUnwrap(store.attendees().first)
        XCTAssertEqual(a.company, "Acme")
        XCTAssertEqual(a.field("Dietary requirements"), "vegan")
    }
}

extension RealExportTests {
    /// Eventbrite lists refunded attendees as "Not Attending", Luma keeps declined and waitlisted
    /// guests in its export: none of them may get a pass, and the report says who was left out.
    func testCancelledDeclinedAndWaitlistedRegistrationsGetNoPass() throws {
        let eventbrite = try importText("""
            Order #,First Name,Last Name,Email,Ticket Type,Attendee #,Attendee Status
            501,Ada,Lovelace,ada@example.org,General,9001,Attending
            502,Mary,Somerville,mary@example.org,General,9002,Not Attending
            503,Grace,Hopper,grace@example.org,General,9003,Checked In

            """, name: "eventbrite.csv")
        XCTAssertEqual(eventbrite.added, 2)
        XCTAssertEqual(eventbrite.exitCode, .ok, "a cancellation is not bad data")
        XCTAssertEqual(eventbrite.skipped.map(\.line), [3])
        XCTAssertTrue(eventbrite.skipped[0].message.contains("\"Attendee Status\" is \"Not Attending\""), eventbrite.skipped[0].message)
        XCTAssertEqual(try store.attendees().map(\.id), ["9001", "9003"])
        XCTAssertEqual(try store.attendee(id: "9001")?.field("Attendee Status"), "Attending", "the status stays a field")

        let luma = try importText("""
            api_id,name,first_name,last_name,email,approval_status,ticket_name
            gst-1,Bob B,Bob,B,bob@example.org,approved,Standard
            gst-2,Dee D,Dee,D,dee@example.org,declined,Standard
            gst-3,Wen W,Wen,W,wen@example.org,waitlist,VIP
            gst-4,Pat P,Pat,P,pat@example.org,pending_approval,VIP

            """, name: "luma.csv")
        XCTAssertEqual(luma.added, 1)
        XCTAssertEqual(luma.skipped.map(\.line), [3, 4, 5])
    }

    /// Someone imported while attending and cancelled since is still on the roster: the import says
    /// so, and `--prune` removes them.
    func testACancellationAfterAnEarlierImportIsPointedOut() throws {
        try importText("Attendee #,Email,Name,Attendee Status\n9001,ada@example.org,Ada Lovelace,Attending\n9002,mary@example.org,Mary Somerville,Attending\n")
        let later = "Attendee #,Email,Name,Attendee Status\n9001,ada@example.org,Ada Lovelace,Attending\n9002,mary@example.org,Mary Somerville,Refunded\n"
        let r = try importText(later)
        XCTAssertEqual(r.unchanged, 1)
        XCTAssertTrue(r.warnings.contains { $0.line == 3 && $0.message.contains("\"9002\" is still on the roster") }, "\(r.warnings)")
        let pruned = try importText(later, ImportOptions(prune: true))
        XCTAssertEqual(pruned.summary.removed, ["9002"])
        XCTAssertEqual(try store.attendees().map(\.id), ["9001"])
    }
}

extension RealExportTests {
    /// A spreadsheet saved with a total or an "exported on" note under the table: the attendees are
    /// imported and the note is mentioned, not rejected (exit 0).
    func testANoteBelowTheDataIsNotARejectedRow() throws {
        let r = try importText("""
            Name;E-mail;Ticket Type;;
            Ada Lovelace;ada@example.org;VIP;;
            Bob Jones;bob@example.org;Attendee;;
            ;;;;

            Total: 2 attendees;;;;
            "Exported 2026-03-01 by Jane, Registrations"

            """)
        XCTAssertEqual(r.added, 2)
        XCTAssertEqual(r.rejected, [])
        XCTAssertEqual(r.exitCode, .ok)
        XCTAssertEqual(r.warnings.map(\.line), [6, 7])
        XCTAssertTrue(r.warnings[0].message.contains("\"Total: 2 attendees\" below the data is a note"), r.warnings[0].message)
    }

    /// A last attendee without an address is still a rejected row, not a note.
    func testALastAttendeeWithoutAnAddressIsStillRejected() throws {
        let r = try importText("Name,Email,Ticket Type\nAda Lovelace,ada@example.org,VIP\nBob Jones,,Attendee\n")
        XCTAssertEqual(r.rejected.map(\.line), [3])
        XCTAssertEqual(r.exitCode, .dataError)
    }
}

extension RealExportTests {
    /// Eventbrite barcodes opened and saved in Excel become "1.11111E+17": different people share
    /// that "id" and the person already on the roster would be added a second time.
    func testIdsRoundedByASpreadsheetAreRejectedNotImportedAsNewPeople() throws {
        try importText("Barcode #,Email,Name\n111111111100001001,a@example.org,Ann A\n111111111200001001,b@example.org,Ben B\n")
        let r = try importText("Barcode #,Email,Name\n1.11111E+17,a@example.org,Ann A\nX-1E+5,c@example.org,Cy C\n",
                               name: "saved-by-excel.csv")
        XCTAssertEqual(r.rejected.map(\.line), [2])
        XCTAssertTrue(r.rejected[0].message.contains("the id \"1.11111E+17\" (column \"Barcode #\") is a long number a spreadsheet rounded"),
                      r.rejected[0].message)
        XCTAssertEqual(r.added, 1, "an id that merely contains E+ is fine")
        XCTAssertEqual(try store.attendees().map(\.id), ["111111111100001001", "111111111200001001", "X-1E+5"])
        XCTAssertTrue(RowReader.looksRoundedBySpreadsheet("1,23457E+09"))
        XCTAssertFalse(RowReader.looksRoundedBySpreadsheet("12E+5X"))
    }
}

extension RealExportTests {
    /// Addresses pasted from a web page or a chat carry zero-width spaces and the like: invisible in
    /// every editor, so "not usable: non-ASCII characters" would make no sense to the organiser.
    func testInvisibleCharactersAroundAndInsideAnAddressAreRemoved() throws {
        let r = try importText("Name,Email\nAda,ada@example.org\u{200B}\nBob,\u{FEFF}bob@exam\u{00AD}ple.org\nCy,\u{00A0}cy@example.org\u{00A0}\n")
        XCTAssertEqual(r.rejected, [])
        XCTAssertEqual(try store.attendees().map(\.email), ["ada@example.org", "bob@example.org", "cy@example.org"])
        XCTAssertEqual(r.warnings.map(\.line), [2, 3])
        XCTAssertTrue(r.warnings[0].message.contains("removed invisible U+200B"), r.warnings[0].message)
    }
}

extension RealExportTests {
    /// `cat monday.csv tuesday.csv > all.csv`: the second file's header (and BOM) sits in the middle.
    func testTwoExportsPastedTogetherRepeatTheHeaderWithoutRejectingIt() throws {
        let r = try importText("\u{FEFF}Name,Email\nAda Lovelace,ada@example.org\n\u{FEFF}Name,Email\nBob Jones,bob@example.org\n")
        XCTAssertEqual(r.added, 2)
        XCTAssertEqual(r.rejected, [])
        XCTAssertEqual(r.warnings.map(\.line), [3])
        XCTAssertEqual(r.rowsRead, 2)
    }
}

extension RealExportTests {
    /// Forms and spreadsheets made in other languages name the columns in that language.
    func testSwedishDutchAndItalianHeaders() throws {
        try importText("Tidstämpel,E-postadress,Förnamn,Efternamn,Företag\n2026-03-01,sven@example.se,Sven,Ödman,Ödman AB\n", name: "sv.csv")
        try importText("Voornaam;Achternaam;E-mailadres;Bedrijf\nAnnelies;de Vries;annelies@example.nl;Vries BV\n", name: "nl.csv")
        try importText("Nome,Cognome,Indirizzo email,Azienda\nGiulia,Rossi,giulia@example.it,Rossi SpA\n", name: "it.csv")
        let all = try store.attendees()
        XCTAssertEqual(all.map(\.email), ["sven@example.se", "annelies@example.nl", "giulia@example.it"])
        XCTAssertEqual(all.map(\.fullName), ["Sven Ödman", "Annelies de Vries", "Giulia Rossi"])
        XCTAssertEqual(all.map(\.company), ["Ödman AB", "Vries BV", "Rossi SpA"])
    }
}

extension RealExportTests {
    /// Eventbrite writes "Info Requested" where a ticket holder has not filled in their details yet:
    /// that text must not be printed on a pass as a name, and the buyer's address is the one to use.
    func testInfoRequestedAndNAAreNoValues() throws {
        let r = try importText("""
            Order #,First Name,Last Name,Email,Ticket Type,Attendee #,Company,Buyer Email
            501,Ada,Lovelace,ada@example.org,VIP,9001,N/A,ada@example.org
            501,Info Requested,Info Requested,Info Requested,VIP,9002,Info Requested,ada@example.org

            """)
        XCTAssertEqual(r.added, 2)
        XCTAssertEqual(r.rejected, [])
        let b = try XCTUnwrap(store.attendee(id: "9002"))
        XCTAssertEqual([b.firstName, b.lastName, b.email, b.company], ["", "", "ada@example.org", ""])
        XCTAssertEqual(try store.attendee(id: "9001")?.company, "")
        XCTAssertTrue(r.warnings.contains { $0.line == 3 && $0.message.contains("has no name") }, "\(r.warnings)")
        XCTAssertFalse(RowReader.isPlaceholder("Nadia"))
        XCTAssertFalse(RowReader.isPlaceholder("Na"))
    }
}

extension RealExportTests {
    /// pretix and Excel lists in German, French or Spanish say "cancelled" in their own words.
    func testCancelledInOtherLanguages() throws {
        let m = try HeaderMapping.map(["Bestellnummer", "Status", "E-Mail"], file: "de.csv", line: 1)
        for word in ["storniert", "Abgelaufen", "annulée", "Cancelado", "CANCELED", "not_attending"] {
            XCTAssertTrue(m.statusMeansNoPass(word), word)
        }
        for word in ["bezahlt", "Paid", "ausstehend", "Checked In", ""] {
            XCTAssertFalse(m.statusMeansNoPass(word), word)
        }
    }
}

extension RealExportTests {
    /// The same export, once from the ticketing system ("9001") and once through a script or
    /// spreadsheet that wrote the numbers as decimals ("9001.0"): still the same people.
    func testIdsWrittenAsDecimalsMatchTheSamePeople() throws {
        try importText("Attendee #,Email,Name\n9001,ada@example.org,Ada Lovelace\n9002,bob@example.org,Bob Jones\n")
        let r = try importText("Attendee #,Email,Name\n9001.0,ada@example.org,Ada Lovelace\n9002.0,bob@example.org,Bob Jones\n1.5,cy@example.org,Cy\n")
        XCTAssertEqual(r.unchanged, 2)
        XCTAssertEqual(r.added, 1)
        XCTAssertEqual(try store.attendees().map(\.id), ["9001", "9002", "1.5"])
        XCTAssertEqual(r.warnings.filter { $0.message.contains("whole numbers written as decimals") }.map(\.line), [2])
    }
}

extension RealExportTests {
    /// pretix with a German back office: the same export, German headers.
    func testGermanPretixExport() throws {
        let r = try importText("""
            Event-Kurzform,Bestellnummer,Positions-ID,Status,E-Mail,Produkt,Teilnehmername,Teilnehmer-E-Mail,Firma
            conf26,Q7XKP,1,bezahlt,einkauf@firma.example.de,Konferenzticket,Jörg Müller,,Firma GmbH
            conf26,Q7XKP,2,bezahlt,einkauf@firma.example.de,Konferenzticket,Anna Schmidt,anna@firma.example.de,Firma GmbH
            conf26,Z99AA,1,storniert,solo@example.org,Workshop,Sam Solo,,

            """)
        XCTAssertEqual(r.added, 2)
        XCTAssertEqual(r.skipped.map(\.line), [4])
        let all = try store.attendees()
        XCTAssertEqual(all.map(\.id), ["Q7XKP-1", "Q7XKP-2"])
        XCTAssertEqual(all.map(\.email), ["einkauf@firma.example.de", "anna@firma.example.de"])
        XCTAssertEqual(all.map(\.passType), ["Konferenzticket", "Konferenzticket"])
        XCTAssertEqual(all.map(\.lastName), ["Müller", "Schmidt"])
    }
}
