import Foundation
import Core

/// How to read an import file.
public struct ImportOptions: Sendable {
    /// nil: guess among `,` `;` tab `|`.
    public var delimiter: Character?
    /// nil: strict UTF-8 (UTF-16 with a BOM is recognised).
    public var encoding: TextEncodingChoice?
    /// Report what would change; write nothing.
    public var dryRun: Bool
    /// Remove attendees the file no longer lists. Refused (nothing removed) when any row was rejected,
    /// since a rejected row's attendee would otherwise be removed by mistake.
    public var prune: Bool
    /// The file as the user wrote it, for `file:line` messages (default: the URL's path).
    public var displayName: String?
    public var now: Date

    public init(delimiter: Character? = nil, encoding: TextEncodingChoice? = nil, dryRun: Bool = false,
                prune: Bool = false, displayName: String? = nil, now: Date = Date()) {
        self.prune = prune
        self.delimiter = delimiter
        self.encoding = encoding
        self.dryRun = dryRun
        self.displayName = displayName
        self.now = now
    }
}

/// A row-level problem: rejected rows and warnings, each with its physical line.
public struct ImportIssue: Sendable, Equatable, CustomStringConvertible {
    /// 1-based physical line; nil for file-level warnings.
    public var line: Int?
    public var message: String

    public init(line: Int?, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "line \($0): \(message)" } ?? message }

    /// `file:line: message`, the form editors and terminals make clickable.
    public func formatted(file: String) -> String {
        line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
    }
}

/// Everything an import did (or, in a dry run, would do).
public struct ImportReport: Sendable {
    public var file: String
    /// What the file was read as: "UTF-8", "UTF-8 with BOM", "Windows-1252", "UTF-16LE".
    public var encoding: String
    /// `","`, `";"`, `tab`, `"|"`.
    public var delimiter: String
    /// How columns were understood, one line per role.
    public var mapping: [String]
    /// Data rows read (blank lines not counted).
    public var rowsRead: Int
    public var summary: UpsertSummary
    public var rejected: [ImportIssue]
    public var warnings: [ImportIssue]
    /// Rows not imported because the person is not coming (cancelled, refunded, declined...); not an error.
    public var skipped: [ImportIssue] = []
    public var dryRun: Bool

    public var added: Int { summary.added.count }
    public var updated: Int { summary.updated.count }
    public var unchanged: Int { summary.unchanged.count }
    public var removed: Int { summary.removed.count }

    /// 65 (EX_DATAERR) when any row was rejected, even though the good rows were imported.
    public var exitCode: ExitCode { rejected.isEmpty ? .ok : .dataError }
}
