import XCTest
import Core
import TestSupport
@testable import Roster

/// The SQLite roster: schema, upserts, delivery records that survive re-imports, several connections.
final class RosterStoreTests: XCTestCase {
    let dir = TemporaryDirectory("roster-store")
    var dbURL: URL { dir.file("passmail.db") }

    func person(_ id: String, _ first: String = "Ada", type: String = "Attendee", email: String? = nil,
                fields: [Attendee.Field] = []) -> Attendee {
        Attendee(id: id, firstName: first, lastName: "L", email: email ?? "\(id)@example.org", company: "Acme",
                 passType: type, fields: fields)
    }

    func testANewDatabaseIsMigratedToTheLatestSchemaInWALMode() throws {
        let store = try RosterStore(url: dbURL)
        XCTAssertEqual(try store.count(), 0)
        let db = try Database(path: dbURL.path)
        XCTAssertEqual(try db.userVersion, Migrations.latestVersion)
        let s = try db.prepare("PRAGMA journal_mode")
        _ = try s.step()
        XCTAssertEqual(s.string(0), "wal")
        let fk = try db.prepare("PRAGMA foreign_keys")
        _ = try fk.step()
        XCTAssertEqual(fk.int(0), 1)
    }

    func testADatabaseFromANewerPassmailIsRefused() throws {
        _ = try RosterStore(url: dbURL)
        try Database(path: dbURL.path).execute("PRAGMA user_version = 99")
        XCTAssertThrowsError(try RosterStore(url: dbURL)) { e in
            XCTAssertTrue("\(e)".contains("newer passmail"), "\(e)")
        }
    }

    func testAFileThatIsNotADatabaseIsAClearError() throws {
        dir.write("passmail.db", String(repeating: "not sqlite ", count: 200))
        XCTAssertThrowsError(try RosterStore(url: dbURL)) { e in
            XCTAssertTrue("\(e)".contains("not a passmail database"), "\(e)")
            XCTAssertEqual((e as? UserFacingError)?.exitCode, .dataError)
        }
    }

    func testUpsertAddsUpdatesAndLeavesUnchanged() throws {
        let store = try RosterStore(url: dbURL)
        let first = try store.upsert([person("a"), person("b"), person("c")])
        XCTAssertEqual(first.added, ["a", "b", "c"])
        let second = try store.upsert([person("a"), person("b", "Bea", type: "VIP"), person("d")])
        XCTAssertEqual(second.added, ["d"])
        XCTAssertEqual(second.updated, [AttendeeChange(id: "b", changes: ["first_name", "pass_type"])])
        XCTAssertEqual(second.unchanged, ["a"])
        // Roster order: existing keep their place, new ones go to the end; nobody is deleted.
        XCTAssertEqual(try store.attendees().map(\.id), ["a", "b", "c", "d"])
        XCTAssertEqual(try store.attendee(id: "b")?.firstName, "Bea")
    }

    func testFieldChangesAreNamed() throws {
        let store = try RosterStore(url: dbURL)
        _ = try store.upsert([person("a", fields: [.init(name: "Diet", value: "vegan"), .init(name: "Size", value: "M")])])
        let s = try store.upsert([person("a", fields: [.init(name: "Diet", value: "none"), .init(name: "Size", value: "M")])])
        XCTAssertEqual(s.updated.first?.changes, ["field \"Diet\""])
    }

    func testFieldsRoundTripInOrderWithAwkwardText() throws {
        let store = try RosterStore(url: dbURL)
        let fields: [Attendee.Field] = [.init(name: "Note \"x\"", value: "line1\nline2\t\\ 李 🎟️"),
                                        .init(name: "B", value: ""), .init(name: "Ctl", value: "\u{1}")]
        _ = try store.upsert([person("a", fields: fields)])
        XCTAssertEqual(try store.attendee(id: "a")?.fields, fields)
    }

    func testDeliveryRecordsSurviveReimport() throws {
        let store = try RosterStore(url: dbURL)
        _ = try store.upsert([person("a"), person("b")])
        let t = Date(timeIntervalSince1970: 1_800_000_000.25)
        try store.recordPassGenerated(ids: ["a", "b"], at: t)
        try store.recordDelivery(id: "a", status: .sent, at: t, messageId: "<m1@x>", error: nil)
        try store.recordDelivery(id: "b", status: .failed, at: t, messageId: nil, error: "550 no such user")
        _ = try store.upsert([person("a", "Ada2", email: "new@example.org"), person("b", "Bo")])
        let a = try XCTUnwrap(store.attendee(id: "a"))
        XCTAssertEqual(a.email, "new@example.org")
        XCTAssertEqual(a.delivery, DeliveryRecord(status: .sent, passGeneratedAt: t, emailedAt: t, lastError: nil, messageId: "<m1@x>"))
        let b = try XCTUnwrap(store.attendee(id: "b"))
        XCTAssertEqual(b.delivery.status, .failed)
        XCTAssertEqual(b.delivery.lastError, "550 no such user")
        XCTAssertNil(b.delivery.emailedAt)
    }

    func testSentClearsTheLastErrorAndKeepsAnEarlierMessageId() throws {
        let store = try RosterStore(url: dbURL)
        _ = try store.upsert([person("a")])
        let t1 = Date(timeIntervalSince1970: 1000), t2 = Date(timeIntervalSince1970: 2000)
        try store.recordDelivery(id: "a", status: .inDoubt, at: t1, messageId: "<m@x>", error: "connection lost after DATA")
        XCTAssertEqual(try store.attendee(id: "a")?.delivery.messageId, "<m@x>")
        try store.recordDelivery(id: "a", status: .sent, at: t2, messageId: nil, error: "ignored")
        let d = try XCTUnwrap(store.attendee(id: "a")).delivery
        XCTAssertEqual(d.status, .sent)
        XCTAssertNil(d.lastError)
        XCTAssertEqual(d.emailedAt, t2)
        XCTAssertEqual(d.messageId, "<m@x>")
        XCTAssertEqual(try store.statusCounts()[.sent], 1)
    }

    func testRecordingDeliveryForAnUnknownIdFails() throws {
        let store = try RosterStore(url: dbURL)
        XCTAssertThrowsError(try store.recordDelivery(id: "ghost", status: .sent, at: Date(), messageId: nil, error: nil)) { e in
            XCTAssertTrue("\(e)".contains("ghost"))
        }
    }

    func testPassTypesInOrderOfFirstAppearance() throws {
        let store = try RosterStore(url: dbURL)
        _ = try store.upsert([person("a", type: "Speaker"), person("b", type: ""), person("c", type: "VIP"), person("d", type: "Speaker")])
        XCTAssertEqual(try store.passTypes(), ["Speaker", "VIP"])
    }

    func testDryRunWritesNothing() throws {
        let store = try RosterStore(url: dbURL)
        let s = try store.upsert([person("a")], dryRun: true)
        XCTAssertEqual(s.added, ["a"])
        XCTAssertEqual(try store.count(), 0)
    }

    func testTwoConnectionsSeeEachOthersWrites() throws {
        let writer = try RosterStore(url: dbURL)
        let reader = try RosterStore(url: dbURL)
        _ = try writer.upsert([person("a")])
        try writer.recordDelivery(id: "a", status: .sent, at: Date(), messageId: "<1@x>", error: nil)
        XCTAssertEqual(try reader.attendee(id: "a")?.delivery.status, .sent)
    }

    func testConcurrentDeliveryRecordsFromManyThreads() throws {
        let store = try RosterStore(url: dbURL)
        let ids = (0..<200).map { "p\($0)" }
        _ = try store.upsert(ids.map { person($0) })
        DispatchQueue.concurrentPerform(iterations: ids.count) { i in
            try! store.recordDelivery(id: ids[i], status: i % 2 == 0 ? .sent : .failed, at: Date(), messageId: nil, error: "e")
        }
        let counts = try store.statusCounts()
        XCTAssertEqual(counts[.sent], 100)
        XCTAssertEqual(counts[.failed], 100)
        XCTAssertEqual(counts[.unsent], 0)
    }

    func testResetAndRemove() throws {
        let store = try RosterStore(url: dbURL)
        _ = try store.upsert([person("a"), person("b")])
        try store.recordDelivery(id: "a", status: .failed, at: Date(), messageId: nil, error: "x")
        try store.resetDeliveryStatus(ids: ["a"], at: Date())
        XCTAssertEqual(try store.attendee(id: "a")?.delivery.status, .unsent)
        XCTAssertEqual(try store.remove(ids: ["b", "zz"]), 1)
        XCTAssertEqual(try store.attendees().map(\.id), ["a"])
    }

    func testDatabaseErrorsNameTheSQL() throws {
        let db = try Database(path: dbURL.path)
        XCTAssertThrowsError(try db.execute("SELEC nonsense")) { e in
            let err = e as! DatabaseError
            XCTAssertTrue(err.description.contains("SELEC nonsense"), err.description)
            XCTAssertTrue(err.description.contains("syntax error"), err.description)
        }
    }

    func testTransactionsRollBackOnError() throws {
        let db = try Database(path: dbURL.path)
        try db.execute("CREATE TABLE t (x INTEGER)")
        struct Boom: Error {}
        XCTAssertThrowsError(try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)")
            throw Boom()
        })
        let s = try db.prepare("SELECT count(*) FROM t")
        _ = try s.step()
        XCTAssertEqual(s.int(0), 0)
    }
}

extension RosterStoreTests {
    /// A headless send records outcomes while the organiser re-imports: both wait for each other, neither fails.
    func testAnImportAndDeliveryRecordsFromTwoConnectionsAtOnce() throws {
        let importer = try RosterStore(url: dbURL)
        let sender = try RosterStore(url: dbURL)
        _ = try importer.upsert((0..<500).map { person("s\($0)") })
        let batches = (0..<5).map { round in (0..<2000).map { person("n\($0)", "R\(round)") } }
        let group = DispatchGroup()
        let errors = ErrorBox()
        DispatchQueue.global().async(group: group) {
            do {
                for batch in batches { _ = try importer.upsert(batch) }
            } catch { errors.add(error) }
        }
        DispatchQueue.global().async(group: group) {
            do {
                for i in 0..<500 { try sender.recordDelivery(id: "s\(i)", status: .sent, at: Date(), messageId: "<\(i)@x>", error: nil) }
            } catch { errors.add(error) }
        }
        group.wait()
        XCTAssertEqual(errors.all.map { "\($0)" }, [])
        XCTAssertEqual(try importer.statusCounts()[.sent], 500)
        XCTAssertEqual(try sender.count(), 2500)
    }
}

final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error] = []
    func add(_ e: Error) { lock.lock(); errors.append(e); lock.unlock() }
    var all: [Error] { lock.lock(); defer { lock.unlock() }; return errors }
}
