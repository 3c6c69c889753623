import XCTest
import Core
import TestSupport
@testable import Roster

/// The first page of the roster: the rows `allAttendees()` starts with, in the same order.
final class FirstPageTests: XCTestCase {
    let dir = TemporaryDirectory("roster-first-page")

    func testFirstPageIsTheStartOfTheRosterInImportOrder() throws {
        let s = try RosterStore(url: dir.file("passmail.db"))
        let people = (0..<50).map { i in
            Attendee(id: "id\(49 - i)", firstName: "P\(i)", lastName: "L", email: "p\(i)@example.org", passType: "Attendee")
        }
        _ = try s.upsert(people)
        try s.recordDelivery(id: "id48", status: .sent, at: Date(), messageId: "<m@x>", error: nil)
        let all = try s.allAttendees()
        let first = try s.firstAttendees(limit: 10)
        XCTAssertEqual(first, Array(all.prefix(10)))
        XCTAssertEqual(first.map(\.id).prefix(2), ["id49", "id48"])
        XCTAssertEqual(first[1].delivery.status, .sent)
        XCTAssertEqual(try s.count(), 50)
    }

    func testALimitBeyondTheRosterGivesEveryoneAndZeroGivesNoOne() throws {
        let s = try RosterStore(url: dir.file("passmail.db"))
        _ = try s.upsert([Attendee(id: "1", firstName: "Ann", lastName: "Smith", email: "ann@example.org")])
        XCTAssertEqual(try s.firstAttendees(limit: 40).map(\.id), ["1"])
        XCTAssertEqual(try s.firstAttendees(limit: 0), [])
        let empty = try RosterStore(url: dir.file("empty.db"))
        XCTAssertEqual(try empty.firstAttendees(limit: 40), [])
    }
}
