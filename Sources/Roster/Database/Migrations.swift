import Foundation
import Core

/// The roster schema, one step per `PRAGMA user_version`.
///
/// Each step runs in the same transaction as the version bump, so a crash
/// mid-migration leaves the previous version intact. Never edit a shipped step:
/// append a new one.
enum Migrations {
    static let steps: [String] = [
        // 1: attendees as imported, and their delivery records kept apart so that
        //    re-importing (which rewrites `attendees` rows) can never touch them.
        """
        CREATE TABLE attendees (
            id          TEXT PRIMARY KEY NOT NULL,
            position    INTEGER NOT NULL,           -- roster (import) order
            first_name  TEXT NOT NULL DEFAULT '',
            last_name   TEXT NOT NULL DEFAULT '',
            email       TEXT NOT NULL,
            company     TEXT NOT NULL DEFAULT '',
            pass_type   TEXT NOT NULL DEFAULT '',
            fields      TEXT NOT NULL DEFAULT '[]', -- JSON: ordered [{"name":..,"value":..}]
            imported_at REAL NOT NULL,              -- seconds since 1970, UTC
            updated_at  REAL NOT NULL
        );  -- a rowid table: rows are large, and imports append in rowid order
        CREATE INDEX attendees_by_position ON attendees(position);
        CREATE TABLE deliveries (
            attendee_id       TEXT PRIMARY KEY NOT NULL REFERENCES attendees(id) ON DELETE CASCADE,
            status            TEXT NOT NULL DEFAULT 'unsent' CHECK (status IN ('unsent', 'sent', 'failed', 'in_doubt')),
            pass_generated_at REAL,
            emailed_at        REAL,
            last_error        TEXT,
            message_id        TEXT,
            updated_at        REAL
        ) WITHOUT ROWID;
        """,
    ]

    static var latestVersion: Int { steps.count }

    /// Brings the database to the latest version; refuses one written by a newer passmail.
    static func migrate(_ db: Database) throws {
        let current = try db.userVersion
        if current > latestVersion {
            throw PassmailError(
                "\(db.path): the roster was written by a newer passmail (schema \(current), this one knows \(latestVersion)); upgrade passmail",
                exitCode: .config)
        }
        guard current < latestVersion else { return }
        try db.transaction {
            // Re-read under the write lock: another process may have migrated meanwhile.
            let v = try db.userVersion
            for step in v..<latestVersion {
                try db.execute(steps[step])
                try db.execute("PRAGMA user_version = \(step + 1)")
            }
        }
    }
}
