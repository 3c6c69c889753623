import Foundation

/// A reader for the TOML subset `passmail.toml` uses.
///
/// Supported: comments, `[table]` and `[dotted.table]` headers, bare, quoted and
/// dotted keys, basic and literal strings (single- and multi-line), integers,
/// floats, booleans, arrays (across lines) and inline tables. Dates and arrays
/// of tables are refused with a clear message. Every value remembers its line,
/// so configuration errors can name file, line and key.
public struct TOMLDocument: Sendable {
    /// Flattened: "smtp.host" → value.
    public private(set) var values: [String: TOMLValue] = [:]
    /// Table headers seen, e.g. "pass.colors".
    public private(set) var tables: Set<String> = []
    public let file: String

    public init(parsing text: String, file: String) throws(TOMLError) {
        self.file = file
        var parser = TOMLParser(text: text, file: file)
        try parser.parse(into: &self)
    }

    mutating func set(_ key: String, _ value: TOMLValue, file: String) throws(TOMLError) {
        if values[key] != nil || tables.contains(key) {
            throw TOMLError(file: file, line: value.line, message: "key `\(key)` is defined twice")
        }
        values[key] = value
    }

    mutating func addTable(_ name: String, line: Int) throws(TOMLError) {
        if tables.contains(name) || values[name] != nil {
            throw TOMLError(file: file, line: line, message: "table [\(name)] is defined twice")
        }
        tables.insert(name)
    }

    /// Keys directly under a table, e.g. keys(in: "pass.colors") → ["VIP", "Speaker"].
    public func keys(in table: String) -> [String] {
        let prefix = table + "."
        return values.keys.filter { $0.hasPrefix(prefix) && !$0.dropFirst(prefix.count).contains(".") }
            .map { String($0.dropFirst(prefix.count)) }.sorted()
    }
}

public struct TOMLValue: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        case array([TOMLValue])
    }
    public var kind: Kind
    public var line: Int

    public var typeName: String {
        switch kind {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a number"
        case .bool: "true or false"
        case .array: "an array"
        }
    }
}

public struct TOMLError: UserFacingError, Equatable {
    public var file: String
    public var line: Int
    public var message: String
    public var exitCode: ExitCode { .config }
    public var description: String { "\(file):\(line): \(message)" }
}

struct TOMLParser {
    let chars: [Character]
    let file: String
    var pos = 0
    var line = 1
    var currentTable = ""

    init(text: String, file: String) {
        var t = text
        if t.hasPrefix("\u{FEFF}") { t.removeFirst() }
        // Normalise CRLF so positions count lines the way editors do.
        self.chars = Array(t.replacingCRLF())
        self.file = file
    }

    func error(_ message: String) -> TOMLError { TOMLError(file: file, line: line, message: message) }

    var atEnd: Bool { pos >= chars.count }
    var peek: Character? { atEnd ? nil : chars[pos] }

    mutating func advance() {
        if chars[pos] == "\n" { line += 1 }
        pos += 1
    }

    mutating func skipSpaces() {
        while let c = peek, c == " " || c == "\t" { advance() }
    }

    mutating func skipComment() {
        if peek == "#" { while let c = peek, c != "\n" { advance() } }
    }

    /// Spaces, newlines and comments (inside arrays).
    mutating func skipWhitespaceAndComments() {
        while let c = peek {
            if c == " " || c == "\t" || c == "\n" { advance() } else if c == "#" { skipComment() } else { break }
        }
    }

    mutating func expectLineEnd() throws(TOMLError) {
        skipSpaces()
        skipComment()
        if let c = peek {
            guard c == "\n" else { throw error("unexpected `\(c)` after the value (one key = value per line)") }
            advance()
        }
    }

    mutating func parse(into doc: inout TOMLDocument) throws(TOMLError) {
        while !atEnd {
            skipSpaces()
            guard let c = peek else { break }
            if c == "\n" { advance(); continue }
            if c == "#" { skipComment(); continue }
            if c == "[" {
                advance()
                if peek == "[" { throw error("arrays of tables ([[...]]) are not supported in passmail.toml") }
                skipSpaces()
                let key = try parseKey()
                skipSpaces()
                guard peek == "]" else { throw error("expected `]` to close the table header") }
                advance()
                currentTable = key
                try doc.addTable(key, line: line)
                try expectLineEnd()
                continue
            }
            let key = try parseKey()
            skipSpaces()
            guard peek == "=" else { throw error("expected `=` after key `\(key)`") }
            advance()
            skipSpaces()
            let full = currentTable.isEmpty ? key : currentTable + "." + key
            try parseValue(into: &doc, key: full)
            try expectLineEnd()
        }
    }

    mutating func parseKey() throws(TOMLError) -> String {
        var parts: [String] = []
        while true {
            skipSpaces()
            guard let c = peek else { throw error("expected a key") }
            if c == "\"" || c == "'" {
                parts.append(try parseSingleLineString(quote: c))
            } else {
                var s = ""
                while let c = peek, c.isASCII, c.isLetter || c.isNumber || c == "_" || c == "-" { s.append(c); advance() }
                guard !s.isEmpty else { throw error("expected a key, found `\(c)`") }
                parts.append(s)
            }
            skipSpaces()
            if peek == "." { advance(); continue }
            return parts.joined(separator: ".")
        }
    }

    mutating func parseValue(into doc: inout TOMLDocument, key: String) throws(TOMLError) {
        if peek == "{" {
            advance()
            skipSpaces()
            if peek == "}" { advance(); try doc.addTable(key, line: line); return }
            try doc.addTable(key, line: line)
            while true {
                skipSpaces()
                let k = try parseKey()
                skipSpaces()
                guard peek == "=" else { throw error("expected `=` after key `\(k)` in inline table `\(key)`") }
                advance()
                skipSpaces()
                try parseValue(into: &doc, key: key + "." + k)
                skipSpaces()
                if peek == "," { advance(); continue }
                if peek == "}" { advance(); return }
                throw error("expected `,` or `}` in inline table `\(key)`")
            }
        }
        let v = try parsePlainValue(key: key)
        try doc.set(key, v, file: file)
    }

    mutating func parsePlainValue(key: String) throws(TOMLError) -> TOMLValue {
        let startLine = line
        guard let c = peek, c != "\n" else { throw error("key `\(key)` has no value") }
        switch c {
        case "\"", "'":
            if lookingAt(String(repeating: c, count: 3)) {
                return TOMLValue(kind: .string(try parseMultilineString(quote: c)), line: startLine)
            }
            return TOMLValue(kind: .string(try parseSingleLineString(quote: c)), line: startLine)
        case "[":
            advance()
            var items: [TOMLValue] = []
            while true {
                skipWhitespaceAndComments()
                if peek == "]" { advance(); break }
                items.append(try parsePlainValue(key: key))
                skipWhitespaceAndComments()
                if peek == "," { advance(); continue }
                if peek == "]" { advance(); break }
                throw error("expected `,` or `]` in the array for `\(key)`")
            }
            return TOMLValue(kind: .array(items), line: startLine)
        default:
            var s = ""
            while let c = peek, c != "\n", c != ",", c != "]", c != "}", c != "#", c != " ", c != "\t" { s.append(c); advance() }
            if s == "true" { return TOMLValue(kind: .bool(true), line: startLine) }
            if s == "false" { return TOMLValue(kind: .bool(false), line: startLine) }
            let digits = s.replacingOccurrences(of: "_", with: "")
            if let i = Int(digits) { return TOMLValue(kind: .integer(i), line: startLine) }
            if let d = Double(digits), digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                return TOMLValue(kind: .float(d), line: startLine)
            }
            if s.count >= 10, s.prefix(4).allSatisfy(\.isNumber), s.dropFirst(4).first == "-" {
                throw error("`\(key)`: write dates as quoted strings, e.g. \"\(s)\"")
            }
            throw error("`\(key)`: `\(s)` is not a valid value (strings need quotes)")
        }
    }

    func lookingAt(_ s: String) -> Bool {
        var i = pos
        for ch in s {
            guard i < chars.count, chars[i] == ch else { return false }
            i += 1
        }
        return true
    }

    mutating func parseSingleLineString(quote: Character) throws(TOMLError) -> String {
        advance()
        var s = ""
        while true {
            guard let c = peek, c != "\n" else { throw error("unterminated string (missing closing \(quote))") }
            advance()
            if c == quote { return s }
            if c == "\\" && quote == "\"" { s.append(contentsOf: try parseEscape()) } else { s.append(c) }
        }
    }

    mutating func parseMultilineString(quote: Character) throws(TOMLError) -> String {
        advance(); advance(); advance()
        if peek == "\n" { advance() }  // a newline right after the opening quotes is trimmed
        var s = ""
        let close = String(repeating: quote, count: 3)
        while true {
            guard peek != nil else { throw error("unterminated multi-line string") }
            if lookingAt(close) {
                advance(); advance(); advance()
                return s
            }
            let c = chars[pos]
            advance()
            if c == "\\" && quote == "\"" {
                if peek == "\n" || peek == " " {
                    // Line-ending backslash: trim the newline and following whitespace.
                    while let w = peek, w == " " || w == "\t" || w == "\n" { advance() }
                } else {
                    s.append(contentsOf: try parseEscape())
                }
            } else {
                s.append(c)
            }
        }
    }

    mutating func parseEscape() throws(TOMLError) -> String {
        guard let e = peek else { throw error("unterminated escape") }
        advance()
        switch e {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "\"": return "\""
        case "\\": return "\\"
        case "b": return "\u{8}"
        case "f": return "\u{C}"
        case "u", "U":
            let n = e == "u" ? 4 : 8
            var hex = ""
            for _ in 0..<n {
                guard let h = peek, h.isHexDigit else { throw error("bad \\\(e) escape: expected \(n) hex digits") }
                hex.append(h); advance()
            }
            guard let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else {
                throw error("\\\(e)\(hex) is not a Unicode scalar value")
            }
            return String(Character(scalar))
        default:
            throw error("unknown escape `\\\(e)` in string")
        }
    }
}

extension String {
    func replacingCRLF() -> String {
        // Swift treats "\r\n" as one Character; split it back into a plain "\n".
        var out = ""
        out.reserveCapacity(utf8.count)
        for c in self { out.append(c == "\r\n" ? "\n" : c) }
        return out
    }
}
