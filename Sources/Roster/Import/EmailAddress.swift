import Foundation

/// Decides whether a text is a plain, deliverable email address (an SMTP envelope addr-spec).
///
/// Stricter than RFC 5322 on purpose: passes go to mailboxes, so comments,
/// folding white space, quoted local parts, address literals and display
/// names are refused with a reason the organiser can act on.
///
/// Internationalised addresses: not accepted. A non-ASCII local part needs
/// SMTPUTF8 end to end, and a Unicode domain needs IDNA conversion; both are
/// refused with a message that says so (an `xn--` domain is fine).
public enum EmailAddress {
    /// Domains that can never receive mail (RFC 6761 / RFC 7686 special-use names).
    static let undeliverableTLDs: Set<String> = ["invalid", "local", "onion", "arpa"]

    /// Trims surrounding white space and lowercases the domain; nil when `validate` rejects it.
    public static func normalize(_ raw: String) -> String? {
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard validate(s) == nil, let at = s.lastIndex(of: "@") else { return nil }
        return String(s[..<at]) + "@" + s[s.index(after: at)...].lowercased()
    }

    /// nil when `address` is acceptable; otherwise why not, in words.
    public static func validate(_ address: String) -> String? {
        let s = address
        if s.isEmpty { return "empty address" }
        if s.contains("<") || s.contains(">") {
            return "write only the address (name@example.org), without a display name or angle brackets"
        }
        if s.hasPrefix("\""), s.contains("\"@") { return "quoted local parts are not accepted" }
        if s.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            return "contains white space or a control character"
        }
        if s.unicodeScalars.contains(where: { $0.value > 0x7F }) {
            return "contains non-ASCII characters; internationalised addresses are not supported (write the domain in its xn-- form)"
        }
        let ats = s.utf8.filter { $0 == UInt8(ascii: "@") }.count
        if ats == 0 { return "no @ sign" }
        if s.contains("\"") { return "quoted local parts are not accepted" }
        if s.contains("(") || s.contains(")") { return "comments in parentheses are not accepted" }
        if ats > 1 { return "more than one @ sign" }
        let at = s.firstIndex(of: "@")!
        let local = s[..<at]
        let domain = s[s.index(after: at)...]
        if local.isEmpty { return "nothing before the @" }
        if domain.isEmpty { return "nothing after the @" }
        if s.utf8.count > 254 { return "longer than 254 characters" }
        if local.utf8.count > 64 { return "the part before the @ is longer than 64 characters" }
        if let reason = validateLocal(local) { return reason }
        return validateDomain(domain)
    }

    static func isAtext(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-/=?^_`{|}~".utf8.contains(b)
        }
    }

    static func validateLocal(_ local: Substring) -> String? {
        if local.hasPrefix(".") { return "the part before the @ starts with a dot" }
        if local.hasSuffix(".") { return "the part before the @ ends with a dot" }
        if local.contains("..") { return "two dots in a row before the @" }
        for b in local.utf8 where b != UInt8(ascii: ".") && !isAtext(b) {
            return "the character \(Character(Unicode.Scalar(b))) is not allowed before the @"
        }
        return nil
    }

    static func validateDomain(_ domain: Substring) -> String? {
        if domain.hasPrefix("[") { return "address literals ([1.2.3.4]) are not accepted; use a domain name" }
        if domain.utf8.count > 253 { return "the domain is longer than 253 characters" }
        if domain.hasSuffix(".") { return "the domain ends with a dot" }
        if domain.hasPrefix(".") { return "the domain starts with a dot" }
        if domain.contains("..") { return "two dots in a row in the domain" }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            if label.utf8.count > 63 { return "a part of the domain is longer than 63 characters" }
            if label.hasPrefix("-") || label.hasSuffix("-") { return "a part of the domain starts or ends with a hyphen" }
            let l = label.lowercased()
            if l.count >= 4, l.dropFirst(2).hasPrefix("--"), !l.hasPrefix("xn--") {
                return "\"\(label)\" has -- in the reserved third and fourth places"
            }
            if l.hasPrefix("xn--"), Punycode.decode(l.dropFirst(4)) == nil {
                return "\"\(label)\" is not a valid internationalised (xn--) name"
            }
            for b in label.utf8 {
                let ok = (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                    || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-")
                if !ok { return "the character \(Character(Unicode.Scalar(b))) is not allowed in the domain" }
            }
        }
        let tld = labels.last!.lowercased()
        if labels.count == 1 {
            return tld == "localhost" ? nil : "the domain \"\(domain)\" has no dot (only localhost may go without one)"
        }
        if tld.allSatisfy(\.isNumber) { return "the domain ends in a number (IP addresses are not accepted)" }
        if !tld.hasPrefix("xn--"), !tld.allSatisfy({ $0.isASCII && $0.isLetter }) {
            return "the top-level domain \"\(tld)\" is not a name of letters"
        }
        if undeliverableTLDs.contains(tld) { return "the domain .\(tld) cannot receive email" }
        return nil
    }
}
