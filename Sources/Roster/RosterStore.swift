import Foundation
import Core

/// The attendee roster in `passmail.db` (SQLite, WAL, migrations by `PRAGMA user_version`).
///
/// One connection guarded by a lock: the TUI, the send engine and the CLI call
/// it from any thread. Attendee data and delivery records live in separate
/// tables so re-importing can never touch what the send engine recorded.
public final class RosterStore: @unchecked Sendable {
    let db: Database
    private let lock = NSLock()

    /// Opens (creating and migrating if needed) the database at `url`.
    public init(url: URL) throws {
        db = try Database(path: url.path)
        try Migrations.migrate(db)
    }

    /// Opens the workspace's `passmail.db`.
    public convenience init(workspace: Workspace) throws {
        try self.init(url: workspace.databaseURL)
    }

    /// Runs `body` with exclusive use of the connection.
    func locked<T>(_ body: (Database) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(db)
    }

    static let selectAttendees = """
        SELECT a.id, a.first_name, a.last_name, a.email, a.company, a.pass_type, a.fields,
               d.status, d.pass_generated_at, d.emailed_at, d.last_error, d.message_id
        FROM attendees a LEFT JOIN deliveries d ON d.attendee_id = a.id
        """

    /// Every attendee in roster order, unfiltered.
    public func allAttendees() throws -> [Attendee] {
        try locked { try Self.loadAll($0) }
    }

    /// Every attendee, on a connection the caller already holds.
    static func loadAll(_ db: Database) throws -> [Attendee] {
        let s = try db.cached(Self.selectAttendees + " ORDER BY a.position")
        defer { s.reset() }
        var out: [Attendee] = []
        out.reserveCapacity(try Self.countRows(db))
        while try s.step() { out.append(try Self.attendee(from: s, db: db)) }
        return out
    }

    /// Attendees matching the filter, in roster order (import order).
    ///
    /// Loads the roster and filters it through `AttendeeMatcher`, the same
    /// matcher `RosterIndex` uses, so the CLI and the TUI can never disagree
    /// about who a filter means.
    public func attendees(matching filter: AttendeeFilter = .everyone) throws -> [Attendee] {
        let all = try allAttendees()
        if filter.isEmpty { return all }
        let matcher = AttendeeMatcher(filter)
        return matcher.filter(all)
    }

    public func attendee(id: String) throws -> Attendee? {
        try locked { db in
            let s = try db.cached(Self.selectAttendees + " WHERE a.id = ?")
            defer { s.reset() }
            try s.bind(1, id)
            guard try s.step() else { return nil }
            return try Self.attendee(from: s, db: db)
        }
    }

    /// Attendees whose email matches (case-insensitively), in roster order.
    public func attendees(email: String) throws -> [Attendee] {
        try locked { db in
            let s = try db.cached(Self.selectAttendees + " WHERE a.email = ? COLLATE NOCASE ORDER BY a.position")
            defer { s.reset() }
            try s.bind(1, email)
            var out: [Attendee] = []
            while try s.step() { out.append(try Self.attendee(from: s, db: db)) }
            return out
        }
    }

    public func count() throws -> Int {
        try locked { try Self.countRows($0) }
    }

    private static func countRows(_ db: Database) throws -> Int {
        let s = try db.cached("SELECT count(*) FROM attendees")
        _ = try s.step()
        defer { s.reset() }
        return s.int(0)
    }

    /// How many attendees are in each delivery status (every status present, zero when none).
    public func statusCounts() throws -> [DeliveryStatus: Int] {
        try locked { db in
            var out = Dictionary(uniqueKeysWithValues: DeliveryStatus.allCases.map { ($0, 0) })
            let s = try db.cached("""
                SELECT coalesce(d.status, 'unsent'), count(*) FROM attendees a
                LEFT JOIN deliveries d ON d.attendee_id = a.id GROUP BY 1
                """)
            defer { s.reset() }
            while try s.step() {
                if let st = DeliveryStatus(rawValue: s.string(0)) { out[st, default: 0] += s.int(1) }
            }
            return out
        }
    }

    /// Distinct pass types in roster order of first appearance.
    public func passTypes() throws -> [String] {
        try locked { db in
            let s = try db.cached("SELECT pass_type FROM attendees GROUP BY pass_type ORDER BY min(position)")
            defer { s.reset() }
            var out: [String] = []
            while try s.step() {
                let t = s.string(0)
                if !t.isEmpty { out.append(t) }
            }
            return out
        }
    }

    /// Records that passes were generated now (`pass_generated_at`).
    public func recordPassGenerated(ids: [String], at date: Date) throws {
        guard !ids.isEmpty else { return }
        try locked { db in
            try db.transaction {
                let s = try db.cached("UPDATE deliveries SET pass_generated_at = ?, updated_at = ? WHERE attendee_id = ?")
                for id in ids {
                    s.reset()
                    try s.bind(date, date, id)
                    try s.run()
                }
            }
        }
    }

    /// Updates one attendee's delivery record as an outcome lands.
    /// `emailedAt` is set when status is `.sent`; `error` is cleared on `.sent`.
    ///
    /// One prepared UPDATE, reused: this runs once per email sent.
    public func recordDelivery(id: String, status: DeliveryStatus, at date: Date, messageId: String?, error: String?) throws {
        try locked { db in
            let s = try db.cached("""
                UPDATE deliveries SET
                    status = ?1,
                    emailed_at = CASE WHEN ?1 = 'sent' THEN ?2 ELSE emailed_at END,
                    last_error = CASE WHEN ?1 = 'sent' THEN NULL ELSE ?3 END,
                    message_id = coalesce(?4, message_id),
                    updated_at = ?2
                WHERE attendee_id = ?5
                """)
            try s.bind(status.rawValue, date, error, messageId, id)
            try s.run()
            if db.changes == 0 {
                throw PassmailError.data("no attendee with id \"\(id)\" in \(db.path) (was the roster re-imported or replaced?)")
            }
        }
    }

    /// Puts attendees back to `unsent` with no error (e.g. before sending a corrected pass again).
    ///
    /// `pass_generated_at`, `emailed_at` and `message_id` stay as history.
    public func resetDeliveryStatus(ids: [String], at date: Date) throws {
        try locked { db in
            try db.transaction {
                let s = try db.cached("UPDATE deliveries SET status = 'unsent', last_error = NULL, updated_at = ? WHERE attendee_id = ?")
                for id in ids {
                    s.reset()
                    try s.bind(date, id)
                    try s.run()
                }
            }
        }
    }

    // MARK: Row decoding

    static func attendee(from s: Statement, db: Database) throws -> Attendee {
        let fields: [Attendee.Field]
        do {
            fields = try s.withUTF8(6) { try FieldsJSON.decode($0) }
        } catch {
            throw PassmailError.data("\(db.path): attendee \"\(s.string(0))\" has an unreadable fields column (not the JSON passmail writes)")
        }
        let status = s.optionalString(7).flatMap(DeliveryStatus.init(rawValue:)) ?? .unsent
        return Attendee(
            id: s.string(0), firstName: s.string(1), lastName: s.string(2), email: s.string(3),
            company: s.string(4), passType: s.string(5), fields: fields,
            delivery: DeliveryRecord(status: status, passGeneratedAt: s.date(8), emailedAt: s.date(9),
                                     lastError: s.optionalString(10), messageId: s.optionalString(11)))
    }
}
