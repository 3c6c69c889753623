import Foundation
import Core

// CONTRACT (written first so the TUI can build against it). The Roster owner
// replaces the bodies; the public signatures stay.

/// The whole roster in memory with search text pre-folded, for filtering as
/// the organiser types (the TUI re-filters 100,000 rows on every key).
///
/// The same `AttendeeFilter` semantics as `RosterStore.attendees(matching:)`:
/// one meaning of a filter for the CLI and the TUI.
public struct RosterIndex: Sendable {
    public private(set) var attendees: [Attendee]

    public init(_ attendees: [Attendee]) {
        self.attendees = attendees
    }

    /// Indices into `attendees` of the rows the filter keeps, in order.
    public func select(_ filter: AttendeeFilter) -> [Int] {
        fatalError("not built yet")
    }

    /// Replaces one attendee (e.g. after a delivery outcome) keeping the index valid.
    public mutating func update(_ attendee: Attendee) {
        fatalError("not built yet")
    }
}
