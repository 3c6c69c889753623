import Foundation
import CSQLite

/// A prepared SQL statement with typed binds and column reads.
///
/// Parameters are 1-based as in SQLite; columns 0-based. Text is bound with
/// `SQLITE_TRANSIENT` so Swift strings may die right after the bind.
public final class Statement {
    let handle: OpaquePointer
    public let sql: String
    private unowned let database: Database

    init(database: Database, sql: String) throws {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw database.error(rc, sql: sql) }
        self.handle = stmt
        self.sql = sql
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Makes the statement ready to run again with new bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Binding

    public func bind(_ index: Int32, _ value: String?) throws {
        let rc: Int32
        if let value {
            var v = value
            rc = v.withUTF8 { buf -> Int32 in
                // An empty buffer may have no base address, and a NULL pointer would bind SQL NULL.
                guard buf.count > 0 else { return sqlite3_bind_text(handle, index, "", 0, csqlite_transient()) }
                return buf.withMemoryRebound(to: CChar.self) {
                    sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), csqlite_transient())
                }
            }
        } else {
            rc = sqlite3_bind_null(handle, index)
        }
        try check(rc)
    }

    public func bind(_ index: Int32, _ value: Int?) throws {
        try check(value.map { sqlite3_bind_int64(handle, index, Int64($0)) } ?? sqlite3_bind_null(handle, index))
    }

    public func bind(_ index: Int32, _ value: Double?) throws {
        try check(value.map { sqlite3_bind_double(handle, index, $0) } ?? sqlite3_bind_null(handle, index))
    }

    /// Dates are stored as REAL seconds since 1970 (UTC): exact round trip, sortable.
    public func bind(_ index: Int32, _ value: Date?) throws {
        try bind(index, value?.timeIntervalSince1970)
    }

    /// Binds several values to parameters 1, 2, 3...
    public func bind(_ values: any BindableValue...) throws {
        for (i, v) in values.enumerated() { try v.bind(to: self, at: Int32(i + 1)) }
    }

    private func check(_ rc: Int32) throws {
        if rc != SQLITE_OK { throw database.error(rc, sql: sql) }
    }

    // MARK: Running

    /// Advances to the next row: true when a row is available, false when done.
    ///
    /// The corresponding C function is `sqlite3_step`.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let err = database.error(rc, sql: sql)
            sqlite3_reset(handle)
            throw err
        }
    }

    /// Runs a statement that returns no rows.
    public func run() throws {
        while try step() {}
    }

    // MARK: Reading columns

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    public func string(_ column: Int32) -> String {
        guard let p = sqlite3_column_text(handle, column) else { return "" }
        let n = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    public func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }

    public func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    public func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    public func date(_ column: Int32) -> Date? {
        isNull(column) ? nil : Date(timeIntervalSince1970: double(column))
    }

    /// The raw UTF-8 bytes of a text column, valid until the next step or reset.
    func withUTF8<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let p = sqlite3_column_text(handle, column)
        let n = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeBufferPointer(start: p, count: p == nil ? 0 : n))
    }
}

/// A Swift value that can be bound to a statement parameter.
public protocol BindableValue {
    func bind(to statement: Statement, at index: Int32) throws
}

extension String: BindableValue {
    public func bind(to statement: Statement, at index: Int32) throws { try statement.bind(index, self) }
}
extension Int: BindableValue {
    public func bind(to statement: Statement, at index: Int32) throws { try statement.bind(index, self) }
}
extension Double: BindableValue {
    public func bind(to statement: Statement, at index: Int32) throws { try statement.bind(index, self) }
}
extension Date: BindableValue {
    public func bind(to statement: Statement, at index: Int32) throws { try statement.bind(index, self) }
}
extension Optional: BindableValue where Wrapped: BindableValue {
    public func bind(to statement: Statement, at index: Int32) throws {
        switch self {
        case .some(let v): try v.bind(to: statement, at: index)
        case .none: try statement.bind(index, nil as String?)
        }
    }
}
