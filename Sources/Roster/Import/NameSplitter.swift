import Foundation

/// Splits one "Name" column into first and last name, the way people write them.
///
/// "Ada Lovelace" → Ada / Lovelace; "Lovelace, Ada" → Ada / Lovelace;
/// "Ludwig van Beethoven" → Ludwig / van Beethoven (lower-case particles stay
/// with the last name); "Martin Luther King Jr." → Martin Luther / King Jr.;
/// one word is a first name. Nothing clever beyond that: the full text is what
/// gets printed on the pass anyway (first + " " + last).
public enum NameSplitter {
    static let particles: Set<String> = ["van", "von", "de", "der", "den", "del", "della", "di", "da", "dos", "das", "du",
                                         "la", "le", "ter", "ten", "bin", "ibn", "al", "el", "st.", "zu", "y"]
    static let suffixes: Set<String> = ["jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "md", "m.d.", "esq", "esq."]

    public static func split(_ full: String) -> (first: String, last: String) {
        let text = full.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if let comma = text.firstIndex(of: ",") {
            let before = text[..<comma].trimmingCharacters(in: .whitespaces)
            let after = text[text.index(after: comma)...].trimmingCharacters(in: .whitespaces)
            if suffixes.contains(after.lowercased()) {
                let (f, l) = split(before)
                return (f, l.isEmpty ? after : "\(l) \(after)")
            }
            if after.isEmpty { return (before, "") }
            return (after, before)   // "Last, First"
        }
        var tokens = text.split(separator: " ").map(String.init)
        guard tokens.count > 1 else { return (tokens.first ?? "", "") }
        var suffix: String?
        if tokens.count > 2, suffixes.contains(tokens.last!.lowercased()) { suffix = tokens.removeLast() }
        var start = tokens.count - 1
        while start > 1, particles.contains(tokens[start - 1]) { start -= 1 }
        var last = tokens[start...].joined(separator: " ")
        if let suffix { last += " \(suffix)" }
        return (tokens[..<start].joined(separator: " "), last)
    }
}
