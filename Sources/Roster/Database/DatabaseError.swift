import Foundation
import Core
import CSQLite

/// A failure reported by SQLite, with the statement and the library's own message.
///
/// Thrown by everything in `Database`, so nothing above it sees an `Int32` result
/// code. "database is locked" (another passmail process holding a write lock for
/// longer than the busy timeout) maps to EX_TEMPFAIL: trying again later works.
public struct DatabaseError: UserFacingError, Equatable {
    /// The primary SQLite result code (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`...).
    public var code: Int32
    /// `sqlite3_errmsg` at the time of failure.
    public var message: String
    /// The SQL being prepared or run, when there was one.
    public var sql: String?
    /// The database file, for messages people can act on.
    public var path: String?

    public init(code: Int32, message: String, sql: String? = nil, path: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
        self.path = path
    }

    public var exitCode: ExitCode {
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED: .tempFailure
        case SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PERM: .cantCreate
        case SQLITE_CORRUPT, SQLITE_NOTADB: .dataError
        case SQLITE_FULL, SQLITE_IOERR: .ioError
        default: .software
        }
    }

    public var description: String {
        var s = path.map { "\($0): " } ?? ""
        s += "database error: \(message)"
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED:
            s += " (another passmail process is writing; try again in a moment)"
        case SQLITE_NOTADB, SQLITE_CORRUPT:
            s += " (the file is not a passmail database or is damaged)"
        default:
            break
        }
        if let sql { s += "\n  while running: \(sql.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "))" }
        return s
    }
}
