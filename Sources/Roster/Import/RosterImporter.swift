import Foundation
import Core

/// A file read into attendees, before anything touches the database.
public struct ParsedRoster: Sendable {
    public var attendees: [Attendee]
    /// The physical line each attendee came from (same order as `attendees`).
    public var lines: [Int]
    public var rejected: [ImportIssue]
    public var warnings: [ImportIssue]
    public var mapping: HeaderMapping
    public var encoding: String
    public var delimiter: UInt8
    public var rowsRead: Int
    /// Rows whose status says the person is not coming (cancelled, refunded, declined...): not imported.
    public var skipped: [ImportIssue] = []
    /// The ids those rows would have had, where known, to tell who is still on the roster from before.
    public var skippedIds: [(line: Int?, id: String)] = []
}

/// `passmail import`: bytes → text → records → attendees → upsert, each step explaining its failures.
///
/// A file that cannot be read (encoding, NUL, unclosed quote, no email column)
/// imports nothing. A readable file with bad rows imports the good rows and
/// reports each bad one with its line; the whole upsert is one transaction.
public enum RosterImporter {
    /// Reads, checks and upserts `url` into the roster.
    public static func importFile(_ url: URL, into store: RosterStore, options: ImportOptions = ImportOptions()) throws -> ImportReport {
        let file = options.displayName ?? url.path
        return try importData(try readFile(url, displayName: file), file: file, into: store, options: options)
    }

    /// Imports bytes already in memory (e.g. standard input); `file` names them in messages.
    public static func importData(_ bytes: [UInt8], file: String, into store: RosterStore,
                                  options: ImportOptions = ImportOptions()) throws -> ImportReport {
        let parsed = try parse(bytes, file: file, options: options)
        var warnings = parsed.warnings
        let prune = options.prune && parsed.rejected.isEmpty
        if options.prune, !prune {
            warnings.append(ImportIssue(line: nil, message:
                "--prune ignored: with rejected rows, the people on them would be removed; fix the file and import again"))
        }
        let summary = try store.upsert(parsed.attendees, dryRun: options.dryRun, prune: prune, at: options.now)
        if !prune {
            // Imported while they were coming, cancelled since: the roster still holds them.
            for (line, id) in parsed.skippedIds where try store.attendee(id: id) != nil {
                warnings.append(ImportIssue(line: line, message:
                    "\"\(id)\" is still on the roster from an earlier import; import with --prune to remove them"))
            }
        }
        if !summary.addedWithKnownEmail.isEmpty {
            let lineById = Dictionary(zip(parsed.attendees.map(\.id), parsed.lines), uniquingKeysWith: { a, _ in a })
            for (id, existing) in summary.addedWithKnownEmail {
                warnings.append(ImportIssue(line: lineById[id], message:
                    "new attendee \"\(id)\" has the email of \"\(existing)\", who is already on the roster; "
                    + "if they are the same person, the id column differs from the earlier import and they may get two passes"))
            }
            warnings.sort { ($0.line ?? 0) < ($1.line ?? 0) }
        }
        return ImportReport(file: file, encoding: parsed.encoding, delimiter: DelimiterSniffer.name(parsed.delimiter),
                            mapping: parsed.mapping.summary, rowsRead: parsed.rowsRead, summary: summary,
                            rejected: parsed.rejected, warnings: warnings, skipped: parsed.skipped, dryRun: options.dryRun)
    }

    /// The file's bytes, or a 66 (EX_NOINPUT) error saying why they cannot be read.
    public static func readFile(_ url: URL, displayName: String) throws -> [UInt8] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else {
            throw PassmailError.noInput("\(displayName): no such file")
        }
        if isDir.boolValue { throw PassmailError.noInput("\(displayName): is a folder, not a CSV file") }
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            let reason = FileManager.default.isReadableFile(atPath: url.path) ? "\(error.localizedDescription)" : "permission denied"
            throw PassmailError.noInput("\(displayName): cannot read (\(reason))")
        }
    }

    /// Turns file bytes into attendees plus rejected rows and warnings; writes nothing.
    public static func parse(_ bytes: [UInt8], file: String, options: ImportOptions = ImportOptions()) throws -> ParsedRoster {
        let decoded = try TextDecoding.decode(bytes, encoding: options.encoding, file: file)
        var warnings: [ImportIssue] = []
        if options.encoding == .latin1 || options.encoding == .cp1252, bytes.contains(where: { $0 >= 0x80 }),
           (try? TextDecoding.validateUTF8(bytes, baseOffset: 0, original: bytes, file: file, explicit: true)) != nil {
            warnings.append(ImportIssue(line: nil, message:
                "the file is valid UTF-8 but was read as \(options.encoding!.displayName); accented letters may come out wrong (try without --encoding)"))
        }
        // Excel's "sep=;" first line names the delimiter; it is not the header.
        let sepLine = Self.sepLineDelimiter(decoded.utf8)
        let delimiter: UInt8
        if let d = options.delimiter {
            guard let a = d.asciiValue, a != UInt8(ascii: "\""), a != 0x0A, a != 0x0D else {
                throw PassmailError.usage("--delimiter: \"\(d)\" cannot separate fields; use one ASCII character such as , ; | or tab")
            }
            delimiter = a
        } else if let sepLine {
            delimiter = sepLine
        } else {
            delimiter = DelimiterSniffer.sniff(decoded.utf8)
        }
        var records = try CSVParser.parse(decoded.utf8, delimiter: delimiter, file: file)
        if sepLine != nil, !records.isEmpty { records.removeFirst() }
        guard var headerIndex = records.firstIndex(where: { !$0.isBlank }) else {
            throw CSVError(file: file, reason: "the file is empty (expected a header row naming the columns, e.g. Name,Email)")
        }
        var header = records[headerIndex]
        var mapping: HeaderMapping
        do {
            mapping = try HeaderMapping.map(header.fields, file: file, line: header.line)
        } catch {
            // Some exports put a title or a date above the header: look a few lines further.
            guard let (i, m) = records[(headerIndex + 1)...].prefix(10).lazy.enumerated()
                    .compactMap({ (k, r) -> (Int, HeaderMapping)? in
                        guard !r.isBlank, let m = try? HeaderMapping.map(r.fields, file: file, line: r.line) else { return nil }
                        return (headerIndex + 1 + k, m)
                    }).first
            else { throw error }
            warnings.append(ImportIssue(line: records[i].line, message:
                "the header is on line \(records[i].line); the \(records[i].line - 1) line\(records[i].line == 2 ? "" : "s") above it were skipped"))
            headerIndex = i
            header = records[i]
            mapping = m
        }
        // Columns with no header and nothing in them (the `;;;` Excel leaves right of the data) are no fields.
        let data = records[(headerIndex + 1)...]
        mapping.fieldColumns.removeAll { column in
            header.fields[column.index].trimmedFast.replacingOccurrences(of: "\u{FEFF}", with: "").isEmpty
                && data.allSatisfy { $0.fields.count <= column.index || $0.fields[column.index].trimmedFast.isEmpty }
        }
        var rows = RowReader(mapping: mapping, file: file)
        // A note below the data ("Total: 312 attendees", "Exported 2026-03-01 by ...") is one cell of text
        // with a number or a colon and no address: left out with a warning, not rejected like a broken
        // attendee row. (A lone name like "Bob Jones" stays a rejected row: it may be a person.)
        var end = records.endIndex
        var notes: [CSVRecord] = []
        while end > headerIndex + 1 {
            let r = records[end - 1]
            let filled = r.fields.filter { !$0.trimmedFast.isEmpty }
            if r.isBlank || filled.isEmpty { end -= 1; continue }
            guard filled.count == 1, !filled[0].contains("@"),
                  filled[0].contains(where: { $0.isNumber || $0 == ":" }) else { break }
            notes.append(r)
            end -= 1
        }
        // Two exports pasted together repeat the header row: not an attendee, not an error.
        func headerCell(_ s: String) -> String { (s.hasPrefix("\u{FEFF}") ? String(s.dropFirst()) : s).trimmedFast }
        let headerKey = header.fields.map(headerCell)
        for r in records[(headerIndex + 1)..<end] where !r.isBlank {
            // The last column first: cheap, and it differs on every attendee row.
            if r.fields.count == headerKey.count, r.fields.last.map(headerCell) == headerKey.last,
               r.fields.map(headerCell) == headerKey {
                warnings.append(ImportIssue(line: r.line, message: "the header row again (files pasted together?); skipped"))
                continue
            }
            rows.read(r)
        }
        for r in notes.reversed() {
            let text = r.fields.first { !$0.trimmedFast.isEmpty }!.trimmedFast
            warnings.append(ImportIssue(line: r.line, message:
                "ignored: \"\(text.count > 60 ? text.prefix(59) + "…" : text)\" below the data is a note, not an attendee"))
        }
        rows.assignIds()
        warnings += rows.warnings
        if rows.rowsRead == 0 {
            warnings.append(ImportIssue(line: nil, message: "the file has a header row but no attendees"))
        }
        return ParsedRoster(attendees: rows.accepted.map(\.attendee), lines: rows.accepted.map(\.line),
                            rejected: rows.rejected, warnings: warnings, mapping: mapping,
                            encoding: decoded.detected, delimiter: delimiter, rowsRead: rows.rowsRead,
                            skipped: rows.skipped.map(\.issue),
                            skippedIds: rows.skipped.compactMap { s in s.id.map { (s.issue.line, $0) } })
    }

    /// The delimiter named by a first line `sep=X` (written by Excel and some exporters for Excel).
    static func sepLineDelimiter(_ utf8: [UInt8]) -> UInt8? {
        guard utf8.count >= 5, Array(utf8[0..<4]).map({ $0 | 0x20 }) == Array("sep=".utf8) else { return nil }
        let d = utf8[4]
        guard d != 0x0A, d != 0x0D, d != UInt8(ascii: "\""), d < 0x80 else { return nil }
        guard utf8.count == 5 || utf8[5] == 0x0A || utf8[5] == 0x0D else { return nil }
        return d
    }

    /// A stable id from an email address: 12 characters of a 64-bit FNV-1a hash of the lowercased address.
    ///
    /// Same address, same id, on every machine and every re-import.
    public static func derivedId(email: String) -> String {
        derivedId(lowercasedEmail: email.lowercased())
    }

    static func derivedId(lowercasedEmail: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in lowercasedEmail.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")
        var out = ""
        for _ in 0..<12 {
            out.append(alphabet[Int(h & 31)])
            h >>= 5
        }
        return out
    }
}
