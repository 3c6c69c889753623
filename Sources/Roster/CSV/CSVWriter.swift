import Foundation

/// Writes RFC 4180 CSV: CRLF line ends, fields quoted only when they must be.
///
/// A field is quoted when it holds the delimiter, a quote, a line break, or
/// leading/trailing space (which spreadsheets would otherwise trim).
public struct CSVWriter {
    public var delimiter: Character = ","
    public private(set) var text = ""

    public init(delimiter: Character = ",") { self.delimiter = delimiter }

    public mutating func append(_ fields: [String]) {
        for (i, f) in fields.enumerated() {
            if i > 0 { text.append(delimiter) }
            text += Self.escape(f, delimiter: delimiter)
        }
        text += "\r\n"
    }

    public static func escape(_ field: String, delimiter: Character = ",") -> String {
        var needs = false
        for c in field.unicodeScalars {
            if c == "\"" || c == "\n" || c == "\r" || Character(c) == delimiter { needs = true; break }
        }
        if !needs, let f = field.unicodeScalars.first, let l = field.unicodeScalars.last,
           f == " " || l == " " || f == "\t" || l == "\t" { needs = true }
        guard needs else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
