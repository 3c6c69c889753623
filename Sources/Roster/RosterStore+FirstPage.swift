import Foundation
import Core

extension RosterStore {
    /// The first `limit` attendees in roster order (import order), the same rows and order
    /// `allAttendees()` starts with.
    ///
    /// Lets the terminal interface draw a screenful of real rows in a few milliseconds
    /// while the whole roster (100,000 rows: a few hundred ms) loads and is indexed.
    public func firstAttendees(limit: Int) throws -> [Attendee] {
        guard limit > 0 else { return [] }
        return try locked { db in
            let s = try db.cached(Self.selectAttendees + " ORDER BY a.position LIMIT ?")
            defer { s.reset() }
            try s.bind(1, limit)
            var out: [Attendee] = []
            out.reserveCapacity(limit)
            while try s.step() { out.append(try Self.attendee(from: s, db: db)) }
            return out
        }
    }
}
