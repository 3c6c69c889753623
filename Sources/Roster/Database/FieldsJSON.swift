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
        JSONString.append(s, to: &out)
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
            skipSpace()
            do { return try JSONString.read(bytes, at: &i) } catch { throw Malformed() }
        }
    }
}
