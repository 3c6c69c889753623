import Foundation
import Core

/// The attachment and file name of a pass: "Pass - Zoë Müller.pdf".
///
/// Names come from imported spreadsheets, so anything a file system or a mail
/// client would choke on is replaced: path separators, characters Windows
/// forbids, control characters, leading dots. The name stays within 200 UTF-8
/// bytes (file systems allow 255) and is NFC, as macOS and mail clients expect.
public enum PassFileName {
    public static func forAttendee(_ attendee: Attendee) -> String {
        let label = sanitize(attendee.fullName)
        return "Pass - \(label.isEmpty ? sanitize(attendee.id) : label).pdf"
    }

    /// The file name with the attendee id appended, for telling apart two people of the same name.
    public static func disambiguated(_ attendee: Attendee) -> String {
        let base = forAttendee(attendee).dropLast(4)
        return "\(base) (\(sanitize(attendee.id))).pdf"
    }

    static func sanitize(_ text: String) -> String {
        var out = ""
        var lastWasSpace = false
        for ch in text.precomposedStringWithCanonicalMapping {
            let isControl = ch.unicodeScalars.contains {
                $0.properties.generalCategory == .control || $0.properties.generalCategory == .lineSeparator
                    || $0.properties.generalCategory == .paragraphSeparator
            }
            if isControl || ch.isWhitespace {
                if !lastWasSpace, !out.isEmpty { out.append(" ") }
                lastWasSpace = true
                continue
            }
            lastWasSpace = false
            out.append("/\\:*?\"<>|".contains(ch) ? "-" : ch)
        }
        while out.hasPrefix(".") || out.hasPrefix(" ") { out.removeFirst() }
        while out.hasSuffix(" ") || out.hasSuffix(".") { out.removeLast() }
        while out.utf8.count > 200 { out.removeLast() }
        return out
    }
}
