import Foundation

/// Decides whether a text is a plain, deliverable email address (an SMTP envelope addr-spec).
///
/// Stricter than RFC 5322 on purpose: passes go to mailboxes, so comments,
/// folding white space, quoted local parts, address literals and display
/// names are refused with a reason the organiser can act on.
///
/// Internationalised addresses: a non-ASCII local part (zoë@…) needs SMTPUTF8
/// on every server along the way and is refused. A Unicode domain (…@müller.de)
/// is not valid as written, but `asciiDomainForm` gives its IDNA ASCII form
/// (…@xn--mller-kva.de), which the importer uses (with a warning).
public enum EmailAddress {
    /// Domains that can never receive mail (RFC 6761 / RFC 7686 special-use names).
    static let undeliverableTLDs: Set<String> = ["invalid", "local", "onion", "arpa"]

    /// Trims surrounding white space and lowercases the domain; nil when `validate` rejects it.
    public static func normalize(_ raw: String) -> String? {
        let s = raw.trimmedFast
        guard validate(s) == nil else { return nil }
        return normalizeValid(s)
    }

    /// `normalize` for an address `validate` already accepted.
    static func normalizeValid(_ s: String) -> String {
        guard let at = s.utf8.lastIndex(of: UInt8(ascii: "@")) else { return s }
        let domain = s.utf8[s.utf8.index(after: at)...]
        if !domain.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) { return s }
        return String(s[..<at]) + "@" + String(Substring(domain)).lowercased()
    }

    /// nil when `address` is acceptable; otherwise why not, in words.
    ///
    /// Works on the UTF-8 bytes in one pass for the common checks: it runs for
    /// every row of a 100,000-row import.
    public static func validate(_ address: String) -> String? {
        let s = address
        if s.isEmpty { return "empty address" }
        var ats = 0, angle = false, space = false, nonASCII = false, quote = false, paren = false
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "@"): ats += 1
            case UInt8(ascii: "<"), UInt8(ascii: ">"): angle = true
            case 0..<0x21, 0x7F: space = true
            case 0x80...: nonASCII = true
            case UInt8(ascii: "\""): quote = true
            case UInt8(ascii: "("), UInt8(ascii: ")"): paren = true
            default: break
            }
        }
        if angle { return "write only the address (name@example.org), without a display name or angle brackets" }
        if quote, s.utf8.first == UInt8(ascii: "\""), s.contains("\"@") { return "quoted local parts are not accepted" }
        if space || (nonASCII && s.unicodeScalars.contains(where: { $0.properties.isWhitespace })) {
            return "contains white space or a control character"
        }
        if nonASCII {
            let local = s.utf8.firstIndex(of: UInt8(ascii: "@")).map { s.utf8[..<$0] } ?? s.utf8[...]
            if local.contains(where: { $0 >= 0x80 }) {
                return "contains non-ASCII characters before the @; such addresses need SMTPUTF8 everywhere and are not supported"
            }
            return "the domain contains non-ASCII characters that are not valid in a domain name"
        }
        if ats == 0 { return "no @ sign" }
        if quote { return "quoted local parts are not accepted" }
        if paren { return "comments in parentheses are not accepted" }
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

    /// The address with a Unicode domain written in its ASCII (IDNA) form, or nil when
    /// there is nothing to convert (ASCII already, or a non-ASCII local part) or the
    /// domain holds characters no domain name may (symbols, full-width dots and dashes).
    ///
    /// Labels are NFC-normalised, lower-cased and Punycode-encoded: "info@Müller.de" →
    /// "info@xn--mller-kva.de". The result still has to pass `validate` (lengths, dots).
    public static func asciiDomainForm(_ address: String) -> String? {
        guard let at = address.lastIndex(of: "@") else { return nil }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        guard local.unicodeScalars.allSatisfy(\.isASCII), !domain.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        let normalized = String(domain).precomposedStringWithCanonicalMapping.lowercased()
        var labels: [String] = []
        for label in normalized.split(separator: ".", omittingEmptySubsequences: false) {
            if label.unicodeScalars.allSatisfy(\.isASCII) {
                labels.append(String(label))
                continue
            }
            guard label.unicodeScalars.allSatisfy({ $0.isASCII ? isLDH(UInt8($0.value)) : isIDNLetter($0) }),
                  let encoded = Punycode.encode(String(label)) else { return nil }
            labels.append("xn--" + encoded)
        }
        return String(local) + "@" + labels.joined(separator: ".")
    }

    /// Letters, marks and digits of any script; not symbols, punctuation or full-width
    /// ASCII look-alikes (which IDNA would map to ASCII punctuation).
    static func isIDNLetter(_ s: Unicode.Scalar) -> Bool {
        if (0xFF00...0xFFEF).contains(s.value) { return false }
        switch s.properties.generalCategory {
        case .lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .decimalNumber:
            return true
        default:
            return false
        }
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
        let dot = UInt8(ascii: ".")
        if local.utf8.first == dot { return "the part before the @ starts with a dot" }
        if local.utf8.last == dot { return "the part before the @ ends with a dot" }
        var previous: UInt8 = 0
        for b in local.utf8 {
            if b == dot, previous == dot { return "two dots in a row before the @" }
            if b != dot, !isAtext(b) { return "the character \(Character(Unicode.Scalar(b))) is not allowed before the @" }
            previous = b
        }
        return nil
    }

    /// Letters, digits, hyphen: what a DNS host name label may hold.
    static func isLDH(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-")
    }

    static func validateDomain(_ domain: Substring) -> String? {
        let d = domain.utf8
        if d.first == UInt8(ascii: "[") { return "address literals ([1.2.3.4]) are not accepted; use a domain name" }
        if d.count > 253 { return "the domain is longer than 253 characters" }
        if d.last == UInt8(ascii: ".") { return "the domain ends with a dot" }
        if d.first == UInt8(ascii: ".") { return "the domain starts with a dot" }
        // One pass over the labels, without allocating them.
        var labelCount = 0
        var start = d.startIndex
        var tldStart = d.startIndex
        while true {
            let end = d[start...].firstIndex(of: UInt8(ascii: ".")) ?? d.endIndex
            let label = d[start..<end]
            labelCount += 1
            tldStart = start
            if label.isEmpty { return "two dots in a row in the domain" }
            if let reason = validateLabel(label) { return reason }
            if end == d.endIndex { break }
            start = d.index(after: end)
        }
        let tld = d[tldStart...]
        let lowerTLD = String(decoding: tld.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        if labelCount == 1 {
            return lowerTLD == "localhost" ? nil : "the domain \"\(domain)\" has no dot (only localhost may go without one)"
        }
        if tld.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return "the domain ends in a number (IP addresses are not accepted)"
        }
        if !lowerTLD.hasPrefix("xn--"), !lowerTLD.utf8.allSatisfy({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) {
            return "the top-level domain \"\(lowerTLD)\" is not a name of letters"
        }
        if undeliverableTLDs.contains(lowerTLD) { return "the domain .\(lowerTLD) cannot receive email" }
        return nil
    }

    static func validateLabel(_ u: Substring.UTF8View.SubSequence) -> String? {
        if u.count > 63 { return "a part of the domain is longer than 63 characters" }
        if u.first == UInt8(ascii: "-") || u.last == UInt8(ascii: "-") { return "a part of the domain starts or ends with a hyphen" }
        if let bad = u.first(where: { !isLDH($0) }) {
            return "the character \(Character(Unicode.Scalar(bad))) is not allowed in the domain"
        }
        let i = u.startIndex
        guard u.count >= 4, u[u.index(i, offsetBy: 2)] == UInt8(ascii: "-"), u[u.index(i, offsetBy: 3)] == UInt8(ascii: "-") else {
            return nil
        }
        let label = String(decoding: u, as: UTF8.self).lowercased()
        if !label.hasPrefix("xn--") { return "\"\(label)\" has -- in the reserved third and fourth places" }
        if Punycode.decode(label.dropFirst(4)) == nil { return "\"\(label)\" is not a valid internationalised (xn--) name" }
        return nil
    }
}
