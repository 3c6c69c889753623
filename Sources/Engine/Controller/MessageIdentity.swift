import Foundation

/// The names a run gives to itself and to every message it sends.
///
/// A message keeps the same Message-ID and Mailjet CustomID on every attempt,
/// so a receiving server can drop a duplicate and Mailjet can be asked later
/// whether it ever accepted the message.
public enum MessageIdentity {
    /// "r20261204-154312-7f3a": sortable by start time, unique per workspace.
    public static func newRunID(now: Date = Date()) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        let tail = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return "r\(stamp)-\(String(repeating: "0", count: 4 - tail.count))\(tail)"
    }

    /// `<run-id>.<attendee-id-sanitised>@<domain>`, without angle brackets.
    public static func messageID(runID: String, attendeeID: String, domain: String) -> String {
        "\(runID).\(sanitise(attendeeID))@\(domain)"
    }

    /// Mailjet CustomID: run id + attendee id.
    public static func customID(runID: String, attendeeID: String) -> String {
        "\(runID).\(attendeeID)"
    }

    /// The sender's domain, or "passmail.invalid" when the address has none.
    public static func domain(ofSender email: String) -> String {
        guard let at = email.lastIndex(of: "@") else { return "passmail.invalid" }
        let d = email[email.index(after: at)...].trimmingCharacters(in: CharacterSet(charactersIn: " >"))
        return d.isEmpty ? "passmail.invalid" : d.lowercased()
    }

    /// Keeps RFC 5322 dot-atom characters; anything else becomes `=HH` per UTF-8
    /// byte (and `=` itself `=3D`), so distinct ids never share a Message-ID.
    static func sanitise(_ id: String) -> String {
        var out = ""
        for byte in id.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80, byte != UInt8(ascii: "="), c.isLetter || c.isNumber || "!#$%&'*+-/?^_`{|}~".contains(c)
                || (byte == UInt8(ascii: ".") && !out.isEmpty && !out.hasSuffix(".")) {
                out.append(c)
            } else {
                out += String(format: "=%02X", byte)
            }
        }
        if out.hasSuffix(".") { out.removeLast(); out += "=2E" }
        return out.isEmpty ? "=" : out
    }
}
