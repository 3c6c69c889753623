import Foundation

/// Unpadded base64url (RFC 4648 §5), strict in both directions.
///
/// Strictness matters for signatures: a lenient decoder accepts several
/// spellings of the same bytes (non-zero trailing bits), so flipping the last
/// character of a token could still verify. Only the canonical form decodes.
/// Written on bytes rather than via Foundation's base64 plus string
/// replacement: it runs for every pass and every scan.
public enum Base64URL {
    private static let symbols = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let values: [UInt8] = {
        var v = [UInt8](repeating: 0xFF, count: 256)
        for (i, s) in symbols.enumerated() { v[Int(s)] = UInt8(i) }
        return v
    }()

    public static func encode<D: DataProtocol>(_ bytes: D) -> String {
        let input = Array(bytes)
        var out = [UInt8]()
        out.reserveCapacity((input.count * 4 + 2) / 3)
        var i = 0
        while i + 3 <= input.count {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out += [symbols[Int(n >> 18)], symbols[Int(n >> 12 & 63)], symbols[Int(n >> 6 & 63)], symbols[Int(n & 63)]]
            i += 3
        }
        switch input.count - i {
        case 1:
            let n = UInt32(input[i]) << 16
            out += [symbols[Int(n >> 18)], symbols[Int(n >> 12 & 63)]]
        case 2:
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
            out += [symbols[Int(n >> 18)], symbols[Int(n >> 12 & 63)], symbols[Int(n >> 6 & 63)]]
        default: break
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes, or nil unless `text` is exactly what `encode` would produce.
    public static func decode(_ text: Substring) -> Data? {
        let chars = Array(text.utf8)
        guard chars.count % 4 != 1 else { return nil }
        var out = Data(capacity: chars.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in chars {
            let v = values[Int(c)]
            guard v != 0xFF else { return nil }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        // Leftover bits must be zero: otherwise two spellings would decode alike.
        guard acc & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return out
    }

    public static func decode(_ text: String) -> Data? { decode(text[...]) }
}
