import Foundation
import Core

// CONTRACT (written first so Engine, TUI and the CLI can build against it).
// The Roster owner replaces the bodies; the public signatures stay.

/// The attendee roster in `passmail.db` (SQLite, WAL, migrations by `PRAGMA user_version`).
public final class RosterStore: @unchecked Sendable {
    /// Opens (creating and migrating if needed) the database at `url`.
    public init(url: URL) throws {
        fatalError("RosterStore not built yet")
    }

    /// Opens the workspace's `passmail.db`.
    public convenience init(workspace: Workspace) throws {
        try self.init(url: workspace.databaseURL)
    }

    /// Attendees matching the filter, in roster order (import order).
    public func attendees(matching filter: AttendeeFilter = .everyone) throws -> [Attendee] {
        fatalError("not built yet")
    }

    public func attendee(id: String) throws -> Attendee? { fatalError("not built yet") }

    public func count() throws -> Int { fatalError("not built yet") }

    /// Distinct pass types in roster order of first appearance.
    public func passTypes() throws -> [String] { fatalError("not built yet") }

    /// Records that passes were generated now (`pass_generated_at`).
    public func recordPassGenerated(ids: [String], at date: Date) throws { fatalError("not built yet") }

    /// Updates one attendee's delivery record as an outcome lands.
    /// `emailedAt` is set when status is `.sent`; `error` is cleared on `.sent`.
    public func recordDelivery(id: String, status: DeliveryStatus, at date: Date, messageId: String?, error: String?) throws {
        fatalError("not built yet")
    }
}
