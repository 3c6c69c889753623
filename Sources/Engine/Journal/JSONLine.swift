import Foundation
import Core

/// A parsed JSON value, just enough for session records.
///
/// Session files are read on every resume and may hold 100,000 entries; a
/// small byte scanner keeps loading well under a second where a general
/// decoder allocates far more.
enum JSONValue: Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    /// Keys in file order; records have a handful, so a linear search beats hashing.
    case object([(String, JSONValue)])

    subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o.first(where: { $0.0 == key })?.1 }
        return nil
    }

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.null, .null): true
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }
    var string: String? { if case .string(let s) = self { return s }; return nil }
    var double: Double? { if case .number(let d) = self { return d }; return nil }
    var int: Int? { if case .number(let d) = self, let i = Int(exactly: d) { return i }; return nil }
    var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
}

/// Builds one JSON object in key order, written exactly as given.
struct JSONObjectWriter {
    private(set) var text = "{"
    private var first = true

    private mutating func key(_ k: String) {
        if !first { text += "," }
        first = false
        text += "\""; text += k; text += "\":"
    }
    mutating func add(_ k: String, _ v: String) { key(k); JSONObjectWriter.appendQuoted(v, to: &text) }
    mutating func add(_ k: String, _ v: Int) { key(k); text += String(v) }
    mutating func add(_ k: String, _ v: Bool) { key(k); text += v ? "true" : "false" }
    /// Seconds since 1970 with millisecond precision: compact and exact enough for retry times.
    mutating func add(_ k: String, date: Date) {
        key(k)
        let ms = (date.timeIntervalSince1970 * 1000).rounded()
        text += String(format: "%.3f", ms / 1000)
    }
    mutating func addRaw(_ k: String, _ json: String) { key(k); text += json }
    var finished: String { text + "}" }

    static func appendQuoted(_ s: String, to out: inout String) {
        JSONString.append(s, to: &out)
    }
}

struct JSONParseError: Error { var message: String }

/// Parses one JSON document from UTF-8 bytes.
struct JSONScanner {
    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var s = JSONScanner(b: bytes)
        s.skipSpace()
        let v = try s.value()
        s.skipSpace()
        guard s.i == bytes.count else { throw JSONParseError(message: "unexpected text after the record") }
        return v
    }

    private init(b: UnsafeBufferPointer<UInt8>) { self.b = b }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    private mutating func value() throws(JSONParseError) -> JSONValue {
        guard i < b.count else { throw JSONParseError(message: "record ends early") }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1
            var o: [(String, JSONValue)] = []
            o.reserveCapacity(8)
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
            while true {
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw JSONParseError(message: "expected a key") }
                let k = try string()
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { throw JSONParseError(message: "expected ':'") }
                i += 1
                skipSpace()
                o.append((k, try value()))
                skipSpace()
                guard i < b.count else { throw JSONParseError(message: "record ends early") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
                throw JSONParseError(message: "expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            i += 1
            var a: [JSONValue] = []
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
            while true {
                skipSpace()
                a.append(try value())
                skipSpace()
                guard i < b.count else { throw JSONParseError(message: "record ends early") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                throw JSONParseError(message: "expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            return .number(try number())
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { throw JSONParseError(message: "record ends early") }
        let p = word.utf8Start
        for k in 0..<n where b[i + k] != p[k] { throw JSONParseError(message: "unexpected value") }
        i += n
    }

    private mutating func number() throws(JSONParseError) -> Double {
        let start = i
        while i < b.count {
            let c = b[i]
            if (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { i += 1 } else { break }
        }
        guard i > start, let d = Double(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
        else { throw JSONParseError(message: "expected a value") }
        return d
    }

    private mutating func string() throws(JSONParseError) -> String {
        do { return try JSONString.read(b, at: &i) } catch { throw JSONParseError(message: error.message) }
    }
}
