import Foundation

/// The short code printed under the QR code, e.g. "K7QX-4PM2", for reading aloud at the door.
///
/// Derived from an Ed25519 signature (by the pass signing key) over the event
/// and attendee ids, so it is stable across re-issued passes, matches what a
/// mail template shows before the PDF exists, and cannot be guessed without
/// the key. The alphabet has no 0/O or 1/I, so it survives being read aloud
/// or typed from a crumpled print-out.
public enum HumanCode {
    /// 32 symbols: digits 2–9 and the letters without I and O.
    public static let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")

    static func derive(eventID: String, attendeeID: String, key: Ed25519PrivateKey) throws -> String {
        let message = Data("passmail human code v1\n\(eventID)\n\(attendeeID)".utf8)
        let digest = SHA256Digest.of(try key.sign(message))
        return format(digest.prefix(5))
    }

    /// Groups of four symbols from 40 bits: "XXXX-XXXX".
    static func format(_ bytes: Data) -> String {
        var bits: UInt64 = 0
        for b in bytes.prefix(5) { bits = bits << 8 | UInt64(b) }
        var symbols: [Character] = []
        for i in (0..<8).reversed() { symbols.append(alphabet[Int((bits >> (UInt64(i) * 5)) & 31)]) }
        return String(symbols[0..<4]) + "-" + String(symbols[4..<8])
    }

    /// A typed code in canonical form ("k7qx 4pm2" → "K7QX-4PM2"); nil when it cannot be one.
    public static func normalise(_ typed: String) -> String? {
        let s = typed.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard s.count == 8, s.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return String(s.prefix(4)) + "-" + String(s.suffix(4))
    }
}
