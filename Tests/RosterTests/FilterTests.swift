import XCTest
import Core
import TestSupport
@testable import Roster

/// One meaning of a filter: `RosterIndex` (TUI) and `RosterStore` (CLI) always agree.
final class FilterTests: XCTestCase {
    let dir = TemporaryDirectory("roster-filter")

    let people: [Attendee] = [
        Attendee(id: "1", firstName: "Zoë", lastName: "Müller", email: "zoe@acme.de", company: "ACME GmbH", passType: "VIP"),
        Attendee(id: "2", firstName: "José", lastName: "García", email: "jose@example.es", company: "Olé SL", passType: "Speaker"),
        Attendee(id: "3", firstName: "Li", lastName: "Wei", email: "li@example.cn", company: "", passType: "exhibitor"),
        Attendee(id: "4", firstName: "Ann", lastName: "Smith", email: "ann@acme.com", company: "Acme Inc", passType: "Exhibitor"),
        Attendee(id: "5", firstName: "Bob", lastName: "Jones", email: "bob@example.org", company: "", passType: " Attendee "),
    ]

    func store() throws -> RosterStore {
        let s = try RosterStore(url: dir.file("passmail.db"))
        _ = try s.upsert(people)
        try s.recordDelivery(id: "2", status: .sent, at: Date(), messageId: "<2@x>", error: nil)
        try s.recordDelivery(id: "4", status: .failed, at: Date(), messageId: nil, error: "550")
        return s
    }

    /// The ids a filter keeps, asked both ways; fails if the two paths ever disagree.
    func ids(_ f: AttendeeFilter, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let s = try store()
        let fromStore = try s.attendees(matching: f).map(\.id)
        let index = RosterIndex(try s.attendees())
        let fromIndex = index.select(f).map { index.attendees[$0].id }
        XCTAssertEqual(fromStore, fromIndex, "store and index disagree", file: file, line: line)
        return fromStore
    }

    func testEveryoneButExhibitorsIgnoringCase() throws {
        XCTAssertEqual(try ids(AttendeeFilter(excludeTypes: ["EXHIBITOR"])), ["1", "2", "5"])
    }

    func testSeveralIncludedTypesAndTrimmedTypeNames() throws {
        XCTAssertEqual(try ids(AttendeeFilter(includeTypes: ["vip", "attendee"])), ["1", "5"])
    }

    func testStatus() throws {
        XCTAssertEqual(try ids(AttendeeFilter(status: .unsent)), ["1", "3", "5"])
        XCTAssertEqual(try ids(AttendeeFilter(status: .failed)), ["4"])
    }

    func testSearchIgnoresCaseAndAccentsAndNeedsEveryWord() throws {
        XCTAssertEqual(try ids(AttendeeFilter(search: "muller")), ["1"])
        XCTAssertEqual(try ids(AttendeeFilter(search: "GARCÍA")), ["2"])
        XCTAssertEqual(try ids(AttendeeFilter(search: "acme")), ["1", "4"])
        XCTAssertEqual(try ids(AttendeeFilter(search: "acme ann")), ["4"])
        XCTAssertEqual(try ids(AttendeeFilter(search: "ole")), ["2"])
        XCTAssertEqual(try ids(AttendeeFilter(search: "  ")), ["1", "2", "3", "4", "5"])
        XCTAssertEqual(try ids(AttendeeFilter(search: "nobody")), [])
    }

    func testIdListKeepsRosterOrderAndIgnoresUnknownIds() throws {
        XCTAssertEqual(try ids(AttendeeFilter(ids: ["5", "1", "nope"])), ["1", "5"])
        XCTAssertEqual(try ids(AttendeeFilter(ids: [])), [])
    }

    func testAllPartsCombine() throws {
        let f = AttendeeFilter(includeTypes: ["Exhibitor", "VIP"], excludeTypes: ["vip"], status: .failed, search: "acme", ids: ["3", "4"])
        XCTAssertEqual(try ids(f), ["4"])
    }

    func testIndexUpdateKeepsSelectionsRight() {
        var index = RosterIndex(people)
        var zoe = people[0]
        zoe.delivery.status = .sent
        zoe.lastName = "Schmidt"
        index.update(zoe)
        XCTAssertEqual(index.select(AttendeeFilter(status: .sent)), [0])
        XCTAssertEqual(index.select(AttendeeFilter(search: "schmidt")), [0])
        XCTAssertEqual(index.select(AttendeeFilter(search: "muller")), [])
        index.update(Attendee(id: "6", firstName: "New", lastName: "Person", email: "n@x.org", passType: "VIP"))
        XCTAssertEqual(index.select(AttendeeFilter(includeTypes: ["vip"])), [0, 5])
        index.updateDelivery(id: "6", DeliveryRecord(status: .inDoubt))
        XCTAssertEqual(index.select(AttendeeFilter(status: .inDoubt)), [5])
    }
}

extension FilterTests {
    /// Letters that are not "a letter plus an accent" (ø, æ, ß, ł...) are still found by their
    /// plain spelling: a Danish organiser types "bjorn" for Bjørn, a German one "strasse".
    func testSearchFindsNordicPolishAndGermanLettersByTheirPlainSpelling() throws {
        let people = [
            Attendee(id: "1", firstName: "Bjørn", lastName: "Dæhlie", email: "bd@example.no", company: "Ørsted A/S", passType: "VIP"),
            Attendee(id: "2", firstName: "Łukasz", lastName: "Wiśniewski", email: "lw@example.pl", company: "Ćma Sp. z o.o.", passType: "Speaker"),
            Attendee(id: "3", firstName: "Jürgen", lastName: "Groß", email: "jg@example.de", company: "Œuvre SARL", passType: "Press"),
        ]
        let index = RosterIndex(people)
        func search(_ text: String) -> [String] {
            let f = AttendeeFilter(search: text)
            let viaIndex = index.select(f).map { index.attendees[$0].id }
            XCTAssertEqual(AttendeeMatcher(f).filter(people).map(\.id), viaIndex)
            return viaIndex
        }
        XCTAssertEqual(search("bjorn daehlie"), ["1"])
        XCTAssertEqual(search("BJØRN"), ["1"])
        XCTAssertEqual(search("orsted"), ["1"])
        XCTAssertEqual(search("lukasz wisniewski"), ["2"])
        XCTAssertEqual(search("groß"), ["3"])
        XCTAssertEqual(search("gross"), ["3"])
        XCTAssertEqual(search("oeuvre"), ["3"])
        XCTAssertEqual(AttendeeMatcher.typeKey("Presse"), "presse")
    }
}
