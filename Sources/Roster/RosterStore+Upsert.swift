import Foundation
import Core

/// What an upsert did (or, in a dry run, would do), attendee by attendee.
public struct UpsertSummary: Sendable, Equatable {
    /// Ids of new attendees, in input order.
    public var added: [String] = []
    /// Attendees whose imported data changed, with what changed.
    public var updated: [AttendeeChange] = []
    /// Ids of attendees whose imported data is exactly as stored.
    public var unchanged: [String] = []
    /// Attendees removed because the imported file no longer lists them (only with `prune`).
    public var removed: [String] = []
    /// New attendees whose email already belongs to someone else on the roster:
    /// (new id, existing id). Usually a sign that the id column changed between exports.
    public var addedWithKnownEmail: [(id: String, existingId: String)] = []

    public static func == (a: UpsertSummary, b: UpsertSummary) -> Bool {
        a.added == b.added && a.updated == b.updated && a.unchanged == b.unchanged && a.removed == b.removed
            && a.addedWithKnownEmail.map(\.id) == b.addedWithKnownEmail.map(\.id)
            && a.addedWithKnownEmail.map(\.existingId) == b.addedWithKnownEmail.map(\.existingId)
    }

    public init() {}
}

/// One existing attendee whose imported data differs from the stored row.
public struct AttendeeChange: Sendable, Equatable {
    public var id: String
    /// Which parts changed: "email", "pass_type", "field \"T-shirt\""...
    public var changes: [String]
}

extension RosterStore {
    /// Adds new attendees and updates changed ones, by id, in one transaction.
    ///
    /// Only the imported columns are written; delivery records are created for
    /// new attendees and never touched for existing ones. Existing attendees
    /// keep their roster position; new ones go to the end in input order.
    /// With `dryRun` nothing is written, but the summary is the same. With `prune`,
    /// attendees missing from `incoming` are removed with their delivery records
    /// (a cancelled registration must not get a pass).
    public func upsert(_ incoming: [Attendee], dryRun: Bool = false, prune: Bool = false, at now: Date = Date()) throws -> UpsertSummary {
        try locked { db in
            if dryRun { return try Self.plan(incoming, existing: Self.loadAll(db), prune: prune).summary }
            // Read and write in one IMMEDIATE transaction: the diff is against exactly what gets changed.
            return try db.transaction {
                let plan = try Self.plan(incoming, existing: Self.loadAll(db), prune: prune)
                try Self.write(plan, to: db, at: now)
                return plan.summary
            }
        }
    }

    /// What an upsert will do, decided before anything is written.
    struct UpsertPlan {
        var summary = UpsertSummary()
        var toInsert: [Attendee] = []
        var toUpdate: [Attendee] = []
    }

    static func plan(_ incoming: [Attendee], existing: [Attendee], prune: Bool) throws -> UpsertPlan {
        var byId: [String: Attendee] = [:]
        byId.reserveCapacity(existing.count)
        for a in existing { byId[a.id] = a }
        var plan = UpsertPlan()
        var seen = Set<String>()
        seen.reserveCapacity(incoming.count)
        for a in incoming {
            guard seen.insert(a.id).inserted else {
                throw PassmailError.data("attendee id \"\(a.id)\" appears twice in one import")
            }
            if let old = byId[a.id] {
                let changes = differences(old, a)
                if changes.isEmpty {
                    plan.summary.unchanged.append(a.id)
                } else {
                    plan.summary.updated.append(AttendeeChange(id: a.id, changes: changes))
                    plan.toUpdate.append(a)
                }
            } else {
                plan.summary.added.append(a.id)
                plan.toInsert.append(a)
            }
        }
        if !plan.toInsert.isEmpty, !existing.isEmpty {
            var idByEmail: [String: String] = [:]
            idByEmail.reserveCapacity(existing.count)
            for a in existing { idByEmail[a.email.lowercased()] = idByEmail[a.email.lowercased()] ?? a.id }
            for a in plan.toInsert {
                if let other = idByEmail[a.email.lowercased()] { plan.summary.addedWithKnownEmail.append((a.id, other)) }
            }
        }
        if prune { plan.summary.removed = existing.map(\.id).filter { !seen.contains($0) } }
        return plan
    }

    static func write(_ plan: UpsertPlan, to db: Database, at now: Date) throws {
        let maxPos = try db.cached("SELECT coalesce(max(position), -1) FROM attendees")
        _ = try maxPos.step()
        var position = maxPos.int(0) + 1
        maxPos.reset()
        let insert = try db.cached("""
            INSERT INTO attendees (id, position, first_name, last_name, email, company, pass_type, fields, imported_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertDelivery = try db.cached("INSERT OR IGNORE INTO deliveries (attendee_id, status, updated_at) VALUES (?, 'unsent', ?)")
        // Typed binds, not the variadic convenience: this loop runs once per imported row.
        let stamp = now.timeIntervalSince1970
        for a in plan.toInsert {
            insert.reset()
            try insert.bind(1, a.id)
            try insert.bind(2, position)
            try insert.bind(3, a.firstName)
            try insert.bind(4, a.lastName)
            try insert.bind(5, a.email)
            try insert.bind(6, a.company)
            try insert.bind(7, a.passType)
            try insert.bind(8, FieldsJSON.encode(a.fields))
            try insert.bind(9, stamp)
            try insert.bind(10, stamp)
            try insert.run()
            insertDelivery.reset()
            try insertDelivery.bind(1, a.id)
            try insertDelivery.bind(2, stamp)
            try insertDelivery.run()
            position += 1
        }
        let update = try db.cached("""
            UPDATE attendees SET first_name = ?, last_name = ?, email = ?, company = ?, pass_type = ?, fields = ?, updated_at = ?
            WHERE id = ?
            """)
        for a in plan.toUpdate {
            update.reset()
            try update.bind(a.firstName, a.lastName, a.email, a.company, a.passType, FieldsJSON.encode(a.fields), now, a.id)
            try update.run()
        }
        let delete = try db.cached("DELETE FROM attendees WHERE id = ?")
        for id in plan.summary.removed {
            delete.reset()
            try delete.bind(1, id)
            try delete.run()
        }
    }

    /// Removes attendees (and their delivery records) by id; returns how many existed.
    @discardableResult
    public func remove(ids: [String]) throws -> Int {
        try locked { db in
            try db.transaction {
                let s = try db.cached("DELETE FROM attendees WHERE id = ?")
                var n = 0
                for id in ids {
                    s.reset()
                    try s.bind(1, id)
                    try s.run()
                    n += db.changes
                }
                return n
            }
        }
    }

    /// The imported parts that differ, named as in `passmail list --json`.
    static func differences(_ old: Attendee, _ new: Attendee) -> [String] {
        var out: [String] = []
        if old.firstName != new.firstName { out.append("first_name") }
        if old.lastName != new.lastName { out.append("last_name") }
        if old.email != new.email { out.append("email") }
        if old.company != new.company { out.append("company") }
        if old.passType != new.passType { out.append("pass_type") }
        if old.fields != new.fields {
            let oldMap = Dictionary(old.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            let newMap = Dictionary(new.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            var names: [String] = []
            for f in new.fields where oldMap[f.name] != f.value && !names.contains(f.name) { names.append(f.name) }
            for f in old.fields where newMap[f.name] == nil && !names.contains(f.name) { names.append(f.name) }
            out += names.isEmpty ? ["field order"] : names.map { "field \"\($0)\"" }
        }
        return out
    }
}
