import Foundation
import Core

/// One CSV record and the physical line it starts on.
public struct CSVRecord: Sendable, Equatable {
    /// 1-based physical line of the record's first byte (LF, CRLF and CR each end a line).
    public var line: Int
    public var fields: [String]

    /// A line with nothing on it (not even a delimiter or quotes).
    public var isBlank: Bool { fields.count == 1 && fields[0].isEmpty && !quotedFirst }
    var quotedFirst = false

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// An RFC 4180 reader over validated UTF-8, written by hand for speed and exact line numbers.
///
/// Quoted fields may hold delimiters, line breaks (kept as written) and doubled
/// quotes. Records end at LF, CRLF or a lone CR. Lenient where spreadsheets are
/// sloppy, like Python's `csv` module: a quote inside an unquoted field is a
/// literal character, text right after a closing quote is appended
/// (`"ab"c` reads as `abc`) and blanks after a closing quote are dropped. An unclosed quote at the end of the file is an error
/// naming the line where the quote opened: everything after it would be garbage.
public enum CSVParser {
    /// Parses every record (or the first `maxRecords`, for sniffing the delimiter).
    public static func parse(_ bytes: [UInt8], delimiter: UInt8, file: String, maxRecords: Int? = nil) throws -> [CSVRecord] {
        try bytes.withUnsafeBufferPointer { try parse($0, delimiter: delimiter, file: file, maxRecords: maxRecords) }
    }

    static func parse(_ p: UnsafeBufferPointer<UInt8>, delimiter: UInt8, file: String, maxRecords: Int?) throws -> [CSVRecord] {
        let quote = UInt8(ascii: "\""), lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        let n = p.count
        var records: [CSVRecord] = []
        var fields: [String] = []
        var scratch: [UInt8] = []
        var line = 1
        var recordLine = 1
        var recordQuotedFirst = false
        var i = 0

        func string(_ from: Int, _ to: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: p[from..<to]), as: UTF8.self)
        }

        while i < n {
            // At the start of a field.
            if fields.isEmpty { recordLine = line; recordQuotedFirst = p[i] == quote }
            var value: String
            if p[i] == quote {
                let openLine = line
                i += 1
                let start = i
                var simple = true      // no doubled quotes: the value is one slice
                var end = -1
                scratch.removeAll(keepingCapacity: true)
                while i < n {
                    let b = p[i]
                    if b == quote {
                        if i + 1 < n, p[i + 1] == quote {
                            if simple { scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i])); simple = false }
                            scratch.append(quote)
                            i += 2
                            continue
                        }
                        end = i
                        i += 1
                        break
                    }
                    if b == lf { line += 1 } else if b == cr, !(i + 1 < n && p[i + 1] == lf) { line += 1 }
                    if !simple { scratch.append(b) }
                    i += 1
                }
                if end < 0 {
                    throw CSVError(file: file, line: openLine,
                                   reason: "a quoted field opened on this line is never closed (a stray \" character?)")
                }
                value = simple ? string(start, end) : String(decoding: scratch, as: UTF8.self)
                // Text after the closing quote, up to the delimiter or line end, is kept as is,
                // unless it is only spaces or tabs (`"Doe" ,` is formatting, not data).
                let tail = i
                var onlyBlank = true
                while i < n, p[i] != delimiter, p[i] != lf, p[i] != cr {
                    if p[i] != 0x20 && p[i] != 0x09 { onlyBlank = false }
                    i += 1
                }
                if i > tail, !onlyBlank { value += string(tail, i) }
            } else {
                let start = i
                while i < n, p[i] != delimiter, p[i] != lf, p[i] != cr { i += 1 }
                value = string(start, i)
            }
            fields.append(value)
            // After a field: a delimiter, a line end, or the end of input.
            if i < n, p[i] == delimiter {
                i += 1
                if i == n { fields.append("") }   // "a,b," at EOF: a trailing empty field
                continue
            }
            if i < n {
                if p[i] == cr, i + 1 < n, p[i + 1] == lf { i += 2 } else { i += 1 }
                line += 1
            }
            var r = CSVRecord(line: recordLine, fields: fields)
            r.quotedFirst = recordQuotedFirst
            records.append(r)
            fields = []
            if let maxRecords, records.count >= maxRecords { return records }
        }
        if !fields.isEmpty {
            var r = CSVRecord(line: recordLine, fields: fields)
            r.quotedFirst = recordQuotedFirst
            records.append(r)
        }
        return records
    }
}
