import Foundation
import Core

/// The readable table `passmail list` prints (not the TUI's `RosterTable`): aligned by display width, long cells cut with "…".
public enum AttendeeTable {
    public static func render(_ attendees: [Attendee], timeZone: TimeZone = .current) -> [String] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let showError = attendees.contains { ($0.delivery.lastError ?? "").isEmpty == false }
        var headers = ["ID", "NAME", "EMAIL", "COMPANY", "TYPE", "STATUS", "EMAILED"]
        var limits = [20, 30, 36, 24, 16, 8, 16]
        if showError { headers.append("LAST ERROR"); limits.append(48) }
        let rows: [[String]] = attendees.map { a in
            var r = [a.id, a.fullName, a.email, a.company, a.passType, a.delivery.status.rawValue,
                     a.delivery.emailedAt.map { formatter.string(from: $0) } ?? ""]
            if showError { r.append(oneLine(a.delivery.lastError ?? "")) }
            return zip(r, limits).map { DisplayWidth.truncate(oneLine($0), to: $1) }
        }
        var widths = headers.map(DisplayWidth.of)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(c)) } }
        func line(_ cells: [String]) -> String {
            var s = ""
            for (i, c) in cells.enumerated() {
                s += i == cells.count - 1 ? c : DisplayWidth.pad(c, to: widths[i]) + "  "
            }
            while s.last == " " { s.removeLast() }
            return s
        }
        return [line(headers)] + rows.map(line)
    }

    /// Line breaks and tabs inside a cell would break the table: shown as spaces.
    static func oneLine(_ s: String) -> String {
        guard s.contains(where: { $0.isNewline || $0 == "\t" }) else { return s }
        return String(s.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }
}
