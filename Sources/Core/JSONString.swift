/// Writing and reading one JSON string literal, by hand.
///
/// The session journal and the roster's `fields` column both keep small, fixed
/// JSON shapes that are read 100,000 times on a resume or a roster load, where
/// `JSONSerialization` would cost more than everything else; their encoders and
/// scanners share this one definition of a JSON string.
public enum JSONString {
    public struct Malformed: Error, Equatable {
        public var message: String
    }

    /// Appends `s` quoted and escaped. U+2028/U+2029 are escaped too, so a line
    /// stays one line for any JSON-lines reader.
    public static func append(_ s: String, to out: inout String) {
        out.append("\"")
        // Fast path: nothing to escape (almost every value). 0xE2 leads U+2028/U+2029.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }) {
            out += s
            out.append("\"")
            return
        }
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out.append("\"")
    }

    /// Reads the string literal whose opening quote is at `bytes[i]`; leaves `i` just past the closing quote.
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, at i: inout Int) throws(Malformed) -> String {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw Malformed(message: "expected a string") }
        i += 1
        let start = i
        // Fast path: no escapes.
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
        guard i < bytes.count else { throw Malformed(message: "unterminated string") }
        if bytes[i] == UInt8(ascii: "\"") {
            defer { i += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        }
        var buf = Array(bytes[start..<i])
        while true {
            guard i < bytes.count else { throw Malformed(message: "unterminated string") }
            let c = bytes[i]
            i += 1
            if c == UInt8(ascii: "\"") { return String(decoding: buf, as: UTF8.self) }
            if c != UInt8(ascii: "\\") { buf.append(c); continue }
            guard i < bytes.count else { throw Malformed(message: "unterminated escape") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): buf.append(0x0A)
            case UInt8(ascii: "t"): buf.append(0x09)
            case UInt8(ascii: "r"): buf.append(0x0D)
            case UInt8(ascii: "b"): buf.append(0x08)
            case UInt8(ascii: "f"): buf.append(0x0C)
            case UInt8(ascii: "u"):
                var v = try hex4(bytes, at: &i)
                if v >= 0xD800 && v < 0xDC00, i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let lo = try hex4(bytes, at: &i)
                    v = 0x10000 + ((v - 0xD800) << 10) + (lo &- 0xDC00)
                }
                let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
                buf.append(contentsOf: Array(String(scalar).utf8))
            default: buf.append(e)  // \" \\ \/
            }
        }
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at i: inout Int) throws(Malformed) -> UInt32 {
        guard i + 4 <= bytes.count else { throw Malformed(message: "bad \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw Malformed(message: "bad \\u escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }
}
