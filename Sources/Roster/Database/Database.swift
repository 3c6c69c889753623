import Foundation
import Core
import CSQLite

/// One SQLite connection: open with WAL and foreign keys, prepared-statement cache, transactions.
///
/// Not thread-safe by itself: its owner (`RosterStore`) serialises access with a
/// lock. Several processes share `passmail.db` (the TUI and a headless send), so
/// the connection waits up to `busyTimeout` for another writer instead of failing,
/// and write transactions start `IMMEDIATE` so two writers never deadlock on an
/// upgrade from a read lock.
public final class Database {
    let handle: OpaquePointer
    public let path: String
    private var cache: [String: Statement] = [:]
    private var transactionDepth = 0

    /// Opens (creating if needed) the database at `path`.
    ///
    /// The corresponding C function is `sqlite3_open_v2`; then `journal_mode=WAL`,
    /// `foreign_keys=ON` and `busy_timeout` are set.
    public init(path: String, busyTimeout: Int32 = 10_000, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(code: rc, message: message, path: path)
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeout)
        do {
            if !readOnly { try execute("PRAGMA journal_mode=WAL") }
            try execute("PRAGMA foreign_keys=ON")
            try execute("PRAGMA synchronous=NORMAL")   // WAL: durable at checkpoints, never corrupt
            try execute("PRAGMA cache_size=-32768")     // 32 MiB: a 100,000-row import stays in memory
        } catch {
            sqlite3_close_v2(db)
            throw error
        }
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements without results (DDL, pragmas).
    ///
    /// The corresponding C function is `sqlite3_exec`.
    public func execute(_ sql: String) throws {
        var errmsg: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errmsg)
        if rc != SQLITE_OK {
            let message = errmsg.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errmsg)
            throw DatabaseError(code: rc, message: message, sql: sql, path: path)
        }
    }

    /// A prepared statement, reused across calls with the same SQL (bindings are cleared).
    public func cached(_ sql: String) throws -> Statement {
        if let s = cache[sql] {
            s.reset()
            return s
        }
        let s = try Statement(database: self, sql: sql)
        cache[sql] = s
        return s
    }

    /// A fresh prepared statement, finalised when released.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// Nested calls join the outer transaction. `immediate` takes the write lock at
    /// the start, which is what every writer wants under WAL.
    public func transaction<T>(immediate: Bool = true, _ body: () throws -> T) throws -> T {
        if transactionDepth > 0 {
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            return try body()
        }
        try execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")
        transactionDepth = 1
        do {
            let result = try body()
            transactionDepth = 0
            try execute("COMMIT")
            return result
        } catch {
            transactionDepth = 0
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// `PRAGMA user_version`, the schema version migrations step through.
    public var userVersion: Int {
        get throws {
            let s = try cached("PRAGMA user_version")
            // Reset at once: a statement left mid-result keeps a read snapshot open,
            // and this connection would stop seeing other processes' writes.
            defer { s.reset() }
            guard try s.step() else { return 0 }
            return s.int(0)
        }
    }

    func error(_ rc: Int32, sql: String?) -> DatabaseError {
        DatabaseError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql, path: path)
    }
}
