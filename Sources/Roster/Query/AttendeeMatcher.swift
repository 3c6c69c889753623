import Foundation
import Core

/// The one meaning of an `AttendeeFilter`, shared by `RosterStore` and `RosterIndex`.
///
/// All parts combine with AND. Pass types compare case- and accent-insensitively
/// after trimming. The search text is split on white space and every word must
/// occur (folded) somewhere in "first last email company", so "muller zoe" finds
/// "Zoë Müller".
public struct AttendeeMatcher: Sendable {
    public let filter: AttendeeFilter
    let includeTypes: Set<String>
    let excludeTypes: Set<String>
    let status: DeliveryStatus?
    let words: [[UInt8]]
    let ids: Set<String>?

    public init(_ filter: AttendeeFilter) {
        self.filter = filter
        includeTypes = Set(filter.includeTypes.map(Self.typeKey))
        excludeTypes = Set(filter.excludeTypes.map(Self.typeKey))
        status = filter.status
        words = Self.fold(filter.search).split(whereSeparator: \.isWhitespace).map { Array($0.utf8) }
        ids = filter.ids.map(Set.init)
    }

    /// How pass types compare: "  vip " and "VIP" are the same type.
    public static func typeKey(_ type: String) -> String {
        fold(type.trimmedFast)
    }

    /// The folded text free-text search looks in: "first last email company".
    public static func searchText(_ a: Attendee) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(a.firstName.utf8.count + a.lastName.utf8.count + a.email.utf8.count + a.company.utf8.count + 3)
        for (i, part) in [a.firstName, a.lastName, a.email, a.company].enumerated() {
            if i > 0 { out.append(0x20) }
            out.append(contentsOf: fold(part).utf8)
        }
        return out
    }

    /// Latin letters that are not a base letter plus an accent (NFD leaves ø, æ, ß, ł... whole),
    /// spelled the way people type them without the key:
    /// "bjorn" finds Bjørn, "gross" finds Groß, "lukasz" finds Łukasz.
    static let plainSpellings: [Unicode.Scalar: String] = [
        "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ẞ": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
        "ı": "i", "ħ": "h", "ŀ": "l", "ŧ": "t", "ƀ": "b", "ɨ": "i", "ʉ": "u",
    ]

    /// `SearchText.fold`, with a fast path for ASCII text (most emails, many names):
    /// building the index folds every attendee, and Foundation's NFD is the slow part.
    static func fold(_ s: String) -> String {
        var ascii = true
        var hasUpper = false
        for b in s.utf8 {
            if b >= 0x80 { ascii = false; break }
            if b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") { hasUpper = true }
        }
        guard ascii else {
            let folded = SearchText.fold(s)
            guard folded.unicodeScalars.contains(where: { plainSpellings[$0] != nil }) else { return folded }
            var out = ""
            for scalar in folded.unicodeScalars {
                if let plain = plainSpellings[scalar] { out += plain } else { out.unicodeScalars.append(scalar) }
            }
            return out
        }
        guard hasUpper else { return s }
        return String(decoding: s.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// Whether a pass type (as `typeKey` gives it) passes the include and exclude lists.
    func allowsType(key: String) -> Bool {
        if !includeTypes.isEmpty, !includeTypes.contains(key) { return false }
        return !excludeTypes.contains(key)
    }

    var restrictsType: Bool { !includeTypes.isEmpty || !excludeTypes.isEmpty }

    /// Whether every search word occurs in the folded text.
    func textMatches(_ haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        for w in words {
            let found = w.withUnsafeBufferPointer { Self.contains(haystack, $0) }
            if !found { return false }
        }
        return true
    }

    /// Byte substring search: first-byte scan, then compare (haystacks are short).
    static func contains(_ h: UnsafeBufferPointer<UInt8>, _ n: UnsafeBufferPointer<UInt8>) -> Bool {
        let m = n.count
        if m == 0 { return true }
        if m > h.count { return false }
        let first = n[0]
        var i = 0
        let last = h.count - m
        while i <= last {
            if h[i] == first {
                var j = 1
                while j < m, h[i + j] == n[j] { j += 1 }
                if j == m { return true }
            }
            i += 1
        }
        return false
    }

    /// Whether one attendee passes, computing folded text on the spot.
    public func matches(_ a: Attendee) -> Bool {
        if let ids, !ids.contains(a.id) { return false }
        if let status, a.delivery.status != status { return false }
        if restrictsType, !allowsType(key: Self.typeKey(a.passType)) { return false }
        if !words.isEmpty {
            return Self.searchText(a).withUnsafeBufferPointer { textMatches($0) }
        }
        return true
    }

    /// The attendees that pass, in their given order.
    public func filter(_ attendees: [Attendee]) -> [Attendee] {
        attendees.filter(matches)
    }
}
