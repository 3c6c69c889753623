import Foundation

/// Content-transfer encodings for bodies: quoted-printable text and base64 attachments.
enum BodyEncoding {
    /// Quoted-printable (RFC 2045 6.7) with CRLF line breaks and lines ≤ 76 characters.
    ///
    /// Line breaks in the input (LF, CR or CRLF) become CRLF. Besides the rules,
    /// a "." or "From " at the start of a line is encoded too, so no relay ever
    /// mistakes it for the end of DATA or an mbox separator.
    static func quotedPrintable(_ text: String) -> String {
        var lines = splitLines(text)
        if lines.last == [] { lines.removeLast() }
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8 + 8)
        for line in lines {
            var length = 0
            for (i, byte) in line.enumerated() {
                let isLast = i == line.count - 1
                var token: String
                switch byte {
                case UInt8(ascii: "="): token = "=3D"
                case UInt8(ascii: " "), UInt8(ascii: "\t"): token = isLast ? "=" + HeaderEncoding.hex2(byte) : String(UnicodeScalar(byte))
                case 33...126: token = String(UnicodeScalar(byte))
                default: token = "=" + HeaderEncoding.hex2(byte)
                }
                // Soft line break: keep each encoded line at most 76 characters including the "=".
                if length + token.count > (isLast ? 76 : 75) {
                    out += "=\r\n"
                    length = 0
                }
                if length == 0 {
                    if byte == UInt8(ascii: ".") { token = "=2E" }
                    if byte == UInt8(ascii: "F"), line.count >= i + 5, line[(i + 1)..<(i + 5)].elementsEqual("rom ".utf8) { token = "=46" }
                }
                out += token
                length += token.count
            }
            out += "\r\n"
        }
        return out
    }

    /// Splits on CRLF, CR or LF, keeping the bytes of each line.
    static func splitLines(_ text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var previousCR = false
        for byte in text.utf8 {
            if byte == 0x0A {
                if previousCR { previousCR = false; continue }
                lines.append(current); current = []
            } else if byte == 0x0D {
                lines.append(current); current = []
                previousCR = true
                continue
            } else {
                current.append(byte)
            }
            previousCR = false
        }
        lines.append(current)
        return lines
    }

    /// Base64 in lines of 76 characters, each ended by CRLF (RFC 2045 6.8).
    static func base64Lines(_ data: Data) -> String {
        let encoded = data.base64EncodedString()
        var out = ""
        out.reserveCapacity(encoded.utf8.count + encoded.utf8.count / 38 + 2)
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            out += encoded[index..<end]
            out += "\r\n"
            index = end
        }
        return out
    }

    /// "38 KB" for people (previews, summaries).
    static func humanSize(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        if bytes < 1024 * 1024 { return "\(Int((Double(bytes) / 1024).rounded())) KB" }
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
