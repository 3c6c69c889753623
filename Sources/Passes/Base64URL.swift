import Foundation

/// Unpadded base64url (RFC 4648 §5), strict in both directions.
///
/// Strictness matters for signatures: a lenient decoder accepts several
/// spellings of the same bytes (non-zero trailing bits), so flipping the last
/// character of a token could still verify. Only the canonical form decodes.
public enum Base64URL {
    public static func encode<D: DataProtocol>(_ bytes: D) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes, or nil unless `text` is exactly what `encode` would produce.
    public static func decode(_ text: Substring) -> Data? {
        guard text.utf8.allSatisfy({ isAlphabet($0) }), text.utf8.count % 4 != 1 else { return nil }
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        s += String(repeating: "=", count: (4 - s.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: s), encode(data) == text else { return nil }
        return data
    }

    public static func decode(_ text: String) -> Data? { decode(text[...]) }

    static func isAlphabet(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): true
        default: false
        }
    }
}
