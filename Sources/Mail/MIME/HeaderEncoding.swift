import Foundation

/// Header field encoding: RFC 5322 folding, RFC 2047 encoded words, RFC 2231 parameters.
///
/// Every value passes through `sanitized` first, so a CR or LF inside a name,
/// a subject or a custom column can never end the header and start another.
enum HeaderEncoding {
    /// Longest line we aim for (RFC 5322 2.1.1 "SHOULD"); 998 is the hard limit.
    static let preferredLineLength = 78
    /// Bytes of UTF-8 per B-encoded word so that the word stays ≤ 75 characters.
    static let maxBytesPerWord = 45

    /// Control characters (CR, LF, NUL, TAB, U+2028…) become spaces; runs of spaces are kept.
    static func sanitized(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        // A CRLF pair is one line break: one space, not two.
        for scalar in s.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator:
                out.append(" ")
            default:
                out.append(scalar)
            }
        }
        return String(out).trimmingCharacters(in: .whitespaces)
    }

    static func isPrintableASCII(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// An unstructured field such as Subject, folded to ≤ 78 characters per line where possible.
    static func unstructured(_ name: String, _ value: String) -> String {
        let v = sanitized(value)
        let longestWord = v.split(separator: " ").map(\.utf8.count).max() ?? 0
        if isPrintableASCII(v), !v.contains("=?"), longestWord < 900 {
            return "\(name): " + fold(v, firstLineUsed: name.count + 2)
        }
        if !v.contains("  ") {
            return "\(name): " + fold(mixedTokens(v, room: preferredLineLength - name.count - 2), firstLineUsed: name.count + 2)
        }
        let words = encodedWords(v, firstRoom: preferredLineLength - name.count - 2)
        return "\(name): " + words.joined(separator: "\r\n ")
    }

    /// Plain ASCII words stay readable; each run of other words becomes encoded words.
    ///
    /// A run keeps its inner spaces inside the encoded text, and the space
    /// between a plain word and an encoded word survives decoding (RFC 2047
    /// 6.2), so "Your pass, Zoë Müller" decodes back exactly.
    /// `room`: the longest encoded word, so even a first word fits on the header's first line.
    static func mixedTokens(_ text: String, room: Int) -> String {
        var tokens: [String] = []
        var run: [Substring] = []
        func flushRun() {
            guard !run.isEmpty else { return }
            let words = encodedWords(run.joined(separator: " "), firstRoom: room)
            // Later words of a run start their own folded line: 75 columns each.
            tokens += words
            run = []
        }
        for word in text.split(separator: " ") {
            if isPrintableASCII(String(word)), !word.contains("=?"), word.utf8.count < 900 {
                flushRun()
                tokens.append(String(word))
            } else {
                run.append(word)
            }
        }
        flushRun()
        return tokens.joined(separator: " ")
    }

    /// Folds ASCII text at spaces so lines stay within 78 characters (a longer word stays whole).
    static func fold(_ text: String, firstLineUsed: Int) -> String {
        var out = ""
        var lineLength = firstLineUsed
        var first = true
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if first {
                out += word; lineLength += word.count; first = false
            } else if lineLength + 1 + word.count > preferredLineLength, lineLength > 1 {
                out += "\r\n " + word; lineLength = 1 + word.count
            } else {
                out += " " + word; lineLength += 1 + word.count
            }
        }
        return out
    }

    /// RFC 2047 B-encoded words, split only between characters (never inside a UTF-8 sequence).
    ///
    /// The first word fits in `firstRoom` columns, the rest in 75 (each on its own
    /// folded line). A single grapheme too big for one word is split between scalars.
    ///
    /// With `preferSpaces` (display names) a word ends just after a space when
    /// one is near, so the space sits inside the encoded text: RFC 2047 decoders
    /// drop the folding whitespace between words and keep the name exact.
    static func encodedWords(_ text: String, firstRoom: Int, preferSpaces: Bool = false) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        var limit = bytesFitting(room: max(firstRoom, 16))
        func flush(final: Bool = false) {
            guard !chunk.isEmpty else { return }
            var carry: [UInt8] = []
            if preferSpaces, !final, let space = chunk.lastIndex(of: 0x20), space > 0, space < chunk.count - 1 {
                carry = Array(chunk[(space + 1)...])
                chunk = Array(chunk[...space])
            }
            words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
            chunk = carry
            limit = maxBytesPerWord
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count <= limit { chunk += bytes; continue }
            flush()
            if chunk.count + bytes.count <= limit { chunk += bytes; continue }
            flush()
            if bytes.count <= limit { chunk = bytes; continue }
            for scalar in character.unicodeScalars {
                let sb = Array(String(scalar).utf8)
                if chunk.count + sb.count > limit { flush() }
                chunk += sb
            }
        }
        flush(final: true)
        return words.isEmpty ? ["=?UTF-8?B??="] : words
    }

    /// UTF-8 bytes whose B-encoding fits in `room` columns with the 12 characters of framing.
    static func bytesFitting(room: Int) -> Int {
        let encoded = min(room, 75) - 12
        return min(maxBytesPerWord, max(3, encoded / 4 * 3))
    }

    /// `Name <addr>`, `"Name, Jr." <addr>` or encoded words for the display name.
    static func mailbox(_ name: String, _ address: String, field: String) throws -> String {
        let addr = try checkedAddress(address, field: field)
        let display = sanitized(name)
        if display.isEmpty { return addr }
        let longestWord = display.split(separator: " ").map(\.utf8.count).max() ?? 0
        if isPrintableASCII(display), !display.contains("=?"), longestWord < 900 {
            if display.count <= 60, display.allSatisfy({ isAtext($0) || $0 == " " }) { return "\(display) <\(addr)>" }
            // A quoted string may be folded at its spaces; unfolding restores them exactly.
            let escaped = display.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return fold("\"\(escaped)\" <\(addr)>", firstLineUsed: field.count + 2)
        }
        let words = encodedWords(display, firstRoom: preferredLineLength - field.count - 2, preferSpaces: true)
        return words.joined(separator: "\r\n ") + "\r\n <\(addr)>"
    }

    private static func isAtext(_ c: Character) -> Bool {
        guard c.isASCII, let a = c.asciiValue else { return false }
        if c.isLetter || c.isNumber { return true }
        return "!#$%&'*+-/=?^_`{|}~".utf8.contains(a)
    }

    /// A plain ASCII addr-spec, refused (rather than mangled) when it could break the header.
    static func checkedAddress(_ address: String, field: String) throws -> String {
        let a = address.trimmingCharacters(in: .whitespaces)
        guard !a.isEmpty else { throw MIMEError(field: field, reason: "the address is empty") }
        guard a.unicodeScalars.allSatisfy({ $0.isASCII }) else {
            throw MIMEError(field: field, reason: "\"\(sanitized(a))\" has non-ASCII characters (internationalised addresses are not supported)")
        }
        let forbidden: Set<UInt8> = [0x20, 0x09, 0x0D, 0x0A, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: ","),
                                     UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        guard !a.utf8.contains(where: { forbidden.contains($0) || $0 < 0x20 || $0 == 0x7F }),
              let at = a.lastIndex(of: "@"), at != a.startIndex, a.index(after: at) != a.endIndex else {
            throw MIMEError(field: field, reason: "\"\(sanitized(a))\" is not a plain email address")
        }
        return a
    }

    /// A MIME parameter: `name="value"` when plain ASCII, else RFC 2231 `name*=utf-8''…`
    /// (split into `name*0*`, `name*1*`… continuations to keep lines short).
    static func parameter(_ name: String, _ value: String) -> [String] {
        let v = sanitized(value)
        let plain = v.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" } && !v.contains("=?")
        if plain, v.count + name.count + 4 <= preferredLineLength - 1 { return ["\(name)=\"\(v)\""] }
        var pieces: [String] = []
        var current = ""
        // 50 encoded characters per piece keeps " filename*12*=…;" within 78 columns.
        let room = 50
        for scalar in v.unicodeScalars {
            // One token per scalar, so a piece never ends inside a UTF-8 sequence.
            var token = ""
            for byte in String(scalar).utf8 {
                if byte < 0x80, let c = Optional(Character(UnicodeScalar(byte))),
                   c.isLetter || c.isNumber || "!#$&+-.^_`|~".contains(c) {
                    token.append(c)
                } else {
                    token += "%" + hex2(byte)
                }
            }
            if !current.isEmpty, current.count + token.count > room {
                pieces.append(current); current = ""
            }
            current += token
        }
        pieces.append(current)
        if pieces.count == 1 { return ["\(name)*=utf-8''\(pieces[0])"] }
        return pieces.enumerated().map { i, p in i == 0 ? "\(name)*0*=utf-8''\(p)" : "\(name)*\(i)*=\(p)" }
    }

    /// `Content-Type: type; p1; p2` folded with each parameter on its own line when long.
    static func withParameters(_ field: String, _ value: String, _ params: [String]) -> String {
        var line = "\(field): \(value)"
        var length = line.count
        for p in params {
            if length + 2 + p.count > preferredLineLength {
                line += ";\r\n " + p; length = 1 + p.count
            } else {
                line += "; " + p; length += 2 + p.count
            }
        }
        return line
    }

    /// RFC 5322 date-time, e.g. "Fri, 04 Dec 2026 15:43:44 +0000" (always UTC).
    static func date(_ d: Date) -> String {
        var t = time_t(d.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[Int(tm.tm_wday)]), \(two(tm.tm_mday)) \(months[Int(tm.tm_mon)]) \(tm.tm_year + 1900) "
            + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) +0000"
    }

    static func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0x0F)]])
    }
}
