import Foundation
import Core

/// Which character encoding an import file is read with.
public enum TextEncodingChoice: String, Sendable, CaseIterable {
    /// Strict UTF-8 (a BOM is skipped; UTF-16 with a BOM is detected and decoded).
    case utf8
    /// ISO-8859-1: every byte is the code point of the same number.
    case latin1
    /// Windows-1252, what Excel on Windows writes for "CSV": Latin-1 plus €, „, ", ‚ … in 0x80–0x9F.
    case cp1252

    /// Accepts the spellings people use: utf-8, iso-8859-1, windows-1252...
    public init?(userSpelling s: String) {
        switch s.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf8", "utf-8": self = .utf8
        case "latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1": self = .latin1
        case "cp1252", "windows-1252", "win1252", "cp-1252": self = .cp1252
        default: return nil
        }
    }

    public var displayName: String {
        switch self {
        case .utf8: "UTF-8"
        case .latin1: "Latin-1"
        case .cp1252: "Windows-1252"
        }
    }
}

/// Turns the bytes of an import file into validated UTF-8, or explains exactly where it cannot.
///
/// Never substitutes U+FFFD: a wrong guess at the encoding silently corrupts
/// names that then get printed on passes. Invalid UTF-8 names the line and
/// byte offset and suggests `--encoding`.
public enum TextDecoding {
    public struct Decoded {
        /// Valid UTF-8, without a byte-order mark.
        public var utf8: [UInt8]
        /// What the file turned out to be, for the import report ("UTF-8 with BOM", "UTF-16LE").
        public var detected: String
    }

    public static func decode(_ data: [UInt8], encoding: TextEncodingChoice?, file: String) throws -> Decoded {
        // UTF-16 with a byte-order mark: unambiguous, so decode it whatever was asked.
        if data.count >= 2, (data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF) {
            if data.count >= 4, data[0] == 0xFF, data[1] == 0xFE, data[2] == 0, data[3] == 0 {
                throw CSVError(file: file, reason: "the file is UTF-32; save it as UTF-8 and import again")
            }
            return try decodeUTF16(data, littleEndian: data[0] == 0xFF, file: file)
        }
        switch encoding ?? .utf8 {
        case .utf8:
            let hasBOM = data.count >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF
            let body = hasBOM ? Array(data[3...]) : data
            try validateUTF8(body, baseOffset: hasBOM ? 3 : 0, original: data, file: file, explicit: encoding != nil)
            return Decoded(utf8: body, detected: hasBOM ? "UTF-8 with BOM" : "UTF-8")
        case .latin1, .cp1252:
            let cp = encoding == .cp1252
            var out: [UInt8] = []
            out.reserveCapacity(data.count + data.count / 8)
            for (offset, b) in data.enumerated() {
                if b == 0 { throw nulError(offset: offset, in: data, file: file) }
                if b < 0x80 { out.append(b); continue }
                var scalar = UInt32(b)
                if cp, (0x80...0x9F).contains(b) {
                    guard let mapped = cp1252High[Int(b - 0x80)] else {
                        let line = data.withUnsafeBufferPointer { LineCounter.line(at: offset, in: $0) }
                        throw CSVError(file: file, line: line, byteOffset: offset,
                                       reason: String(format: "byte 0x%02X is not a character in Windows-1252; is the file Latin-1 (--encoding latin1)?", b))
                    }
                    scalar = mapped
                }
                appendUTF8(scalar, to: &out)
            }
            return Decoded(utf8: out, detected: cp ? "Windows-1252" : "Latin-1")
        }
    }

    static func nulError(offset: Int, in data: [UInt8], file: String) -> CSVError {
        let line = data.withUnsafeBufferPointer { LineCounter.line(at: offset, in: $0) }
        return CSVError(file: file, line: line, byteOffset: offset,
                        reason: "NUL byte in the file (a binary file, or UTF-16 without a byte-order mark?); save it as UTF-8 CSV")
    }

    /// Checks well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF) and no NUL bytes.
    static func validateUTF8(_ b: [UInt8], baseOffset: Int, original: [UInt8], file: String, explicit: Bool) throws {
        try b.withUnsafeBufferPointer { p in
            let n = p.count
            var i = 0
            while i < n {
                let c = p[i]
                if c < 0x80 {
                    if c == 0 { throw nulError(offset: i + baseOffset, in: original, file: file) }
                    i += 1
                    continue
                }
                var need = 0
                var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
                switch c {
                case 0xC2...0xDF: need = 1
                case 0xE0: need = 2; lo = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: need = 2
                case 0xED: need = 2; hi = 0x9F
                case 0xF0: need = 3; lo = 0x90
                case 0xF1...0xF3: need = 3
                case 0xF4: need = 3; hi = 0x8F
                default: throw invalid(at: i, byte: c)
                }
                guard i + need < n else { throw invalid(at: i, byte: c) }
                let second = p[i + 1]
                guard second >= lo && second <= hi else { throw invalid(at: i, byte: c) }
                var k = 2
                while k <= need {
                    guard p[i + k] & 0xC0 == 0x80 else { throw invalid(at: i, byte: c) }
                    k += 1
                }
                i += need + 1
            }
        }
        func invalid(at i: Int, byte: UInt8) -> CSVError {
            let offset = i + baseOffset
            let line = original.withUnsafeBufferPointer { LineCounter.line(at: offset, in: $0) }
            var reason = String(format: "invalid UTF-8 (byte 0x%02X)", byte)
            if !explicit {
                reason += "; if the file comes from Excel or an older system, import it with --encoding cp1252 (or --encoding latin1)"
            }
            return CSVError(file: file, line: line, byteOffset: offset, reason: reason)
        }
    }

    static func decodeUTF16(_ data: [UInt8], littleEndian: Bool, file: String) throws -> Decoded {
        guard data.count % 2 == 0 else {
            throw CSVError(file: file, byteOffset: data.count - 1, reason: "UTF-16 file with an odd number of bytes (truncated?)")
        }
        var out: [UInt8] = []
        out.reserveCapacity(data.count)
        var line = 1
        var i = 2
        func unit(_ at: Int) -> UInt32 {
            littleEndian ? UInt32(data[at]) | UInt32(data[at + 1]) << 8 : UInt32(data[at]) << 8 | UInt32(data[at + 1])
        }
        while i < data.count {
            var u = unit(i)
            let offset = i
            i += 2
            if u == 0 {
                throw CSVError(file: file, line: line, byteOffset: offset, reason: "NUL character in the file")
            }
            if (0xD800...0xDBFF).contains(u) {
                guard i < data.count, (0xDC00...0xDFFF).contains(unit(i)) else {
                    throw CSVError(file: file, line: line, byteOffset: offset, reason: "invalid UTF-16 (unpaired surrogate)")
                }
                u = 0x10000 + ((u - 0xD800) << 10) + (unit(i) - 0xDC00)
                i += 2
            } else if (0xDC00...0xDFFF).contains(u) {
                throw CSVError(file: file, line: line, byteOffset: offset, reason: "invalid UTF-16 (unpaired surrogate)")
            }
            if u == 0x0A || (u == 0x0D && !(i < data.count && unit(i) == 0x0A)) { line += 1 }
            appendUTF8(u, to: &out)
        }
        return Decoded(utf8: out, detected: littleEndian ? "UTF-16LE" : "UTF-16BE")
    }

    static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Windows-1252 0x80–0x9F; nil where the code page defines no character.
    static let cp1252High: [UInt32?] = [
        0x20AC, nil, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, nil, 0x017D, nil,
        nil, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, nil, 0x017E, 0x0178,
    ]
}
