import Foundation
import Core

/// The `fields` column: an ordered JSON array of `{"name": ..., "value": ...}` objects.
///
/// Hand-written because loading 100,000 attendees through `JSONSerialization`
/// costs more than the whole rest of the load; the shape is fixed, so a small
/// exact encoder and decoder do. The text stays plain JSON (readable with
/// `sqlite3 passmail.db "select json(fields) ..."`).
enum FieldsJSON {
    static func encode(_ fields: [Attendee.Field]) -> String {
        var out = "["
        for (i, f) in fields.enumerated() {
            if i > 0 { out += "," }
            out += "{\"name\":"
            appendString(f.name, to: &out)
            out += ",\"value\":"
            appendString(f.value, to: &out)
            out += "}"
        }
        out += "]"
        return out
    }

    static func appendString(_ s: String, to out: inout String) {
        out.append("\"")
        // Fast path: nothing to escape (almost every value).
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += s
            out.append("\"")
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(format: "%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }

    struct Malformed: Error {}

    /// Decodes what `encode` wrote (and any equivalent JSON of that shape).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [Attendee.Field] {
        var p = Parser(bytes: bytes)
        return try p.fields()
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }
        mutating func expect(_ b: UInt8) throws {
            skipSpace()
            guard i < bytes.count, bytes[i] == b else { throw Malformed() }
            i += 1
        }
        mutating func peek() -> UInt8? {
            skipSpace()
            return i < bytes.count ? bytes[i] : nil
        }

        mutating func fields() throws -> [Attendee.Field] {
            var out: [Attendee.Field] = []
            try expect(UInt8(ascii: "["))
            if peek() == UInt8(ascii: "]") { i += 1; return out }
            while true {
                try expect(UInt8(ascii: "{"))
                var name = "", value = ""
                while true {
                    let key = try string()
                    try expect(UInt8(ascii: ":"))
                    let v = try string()
                    if key == "name" { name = v } else if key == "value" { value = v }
                    guard let c = peek() else { throw Malformed() }
                    i += 1
                    if c == UInt8(ascii: "}") { break }
                    guard c == UInt8(ascii: ",") else { throw Malformed() }
                }
                out.append(Attendee.Field(name: name, value: value))
                guard let c = peek() else { throw Malformed() }
                i += 1
                if c == UInt8(ascii: "]") { return out }
                guard c == UInt8(ascii: ",") else { throw Malformed() }
            }
        }

        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            let start = i
            // Fast path: no escapes.
            while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
            guard i < bytes.count else { throw Malformed() }
            if bytes[i] == UInt8(ascii: "\"") {
                defer { i += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            }
            var buf = Array(bytes[start..<i])
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                if b == UInt8(ascii: "\"") { return String(decoding: buf, as: UTF8.self) }
                if b != UInt8(ascii: "\\") { buf.append(b); continue }
                guard i < bytes.count else { throw Malformed() }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): buf.append(0x0A)
                case UInt8(ascii: "r"): buf.append(0x0D)
                case UInt8(ascii: "t"): buf.append(0x09)
                case UInt8(ascii: "b"): buf.append(0x08)
                case UInt8(ascii: "f"): buf.append(0x0C)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    buf.append(contentsOf: Array(String(scalar).utf8))
                default: buf.append(e)  // \" \\ \/
                }
            }
            throw Malformed()
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= bytes.count else { throw Malformed() }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[i]
                i += 1
                let d: UInt32
                switch b {
                case 0x30...0x39: d = UInt32(b - 0x30)
                case 0x41...0x46: d = UInt32(b - 0x41 + 10)
                case 0x61...0x66: d = UInt32(b - 0x61 + 10)
                default: throw Malformed()
                }
                v = v * 16 + d
            }
            return v
        }
    }
}
