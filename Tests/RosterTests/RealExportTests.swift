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

    /// Google Forms and Luma ask for the company in a question.
    func testCompanyQuestionsAndWrappedHeaders() throws {
        try importText("""
            Timestamp,Email Address,Full name,What is your company?
            2026/03/01 10:00:00,zoe@example.org,Zoë Müller,Acme

            """)
        let a = try XCTUnwrap(store.attendees().first)
        XCTAssertEqual(a.company, "Acme")
    }
}
