import Foundation
import Core

/// The readable table `passmail list` prints (not the TUI's `RosterTable`): aligned by
/// display width, long cells cut with "…", narrowed to fit the terminal when there is one.
public enum AttendeeTable {
    /// One line per attendee plus a header line.
    ///
    /// `maxWidth`: the terminal's width; the widest of the name, email, company,
    /// type and error columns give up space first, down to a readable minimum.
    public static func render(_ attendees: [Attendee], timeZone: TimeZone = .current, maxWidth: Int? = nil) -> [String] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        // EMAILED and LAST ERROR only when someone has one: before the first send they are noise.
        let showEmailed = attendees.contains { $0.delivery.emailedAt != nil }
        let showError = attendees.contains { ($0.delivery.lastError ?? "").isEmpty == false }
        var headers = ["ID", "NAME", "EMAIL", "COMPANY", "TYPE", "STATUS"]
        var limits = [20, 30, 48, 24, 16, 8]
        // Columns that may shrink to fit, and how far.
        var minimum = [0: 8, 1: 10, 2: 12, 3: 8, 4: 6]
        if showEmailed { headers.append("EMAILED"); limits.append(16) }
        if showError { minimum[headers.count] = 10; headers.append("LAST ERROR"); limits.append(48) }
        let cells: [[String]] = attendees.map { a in
            var r = [a.id, a.fullName, a.email, a.company, a.passType, a.delivery.status.rawValue]
            if showEmailed { r.append(a.delivery.emailedAt.map { formatter.string(from: $0) } ?? "") }
            if showError { r.append(a.delivery.lastError ?? "") }
            return r.map(oneLine)
        }
        var widths = headers.map(CellWidth.of)
        for r in cells { for (i, c) in r.enumerated() { widths[i] = max(widths[i], min(limits[i], CellWidth.of(c))) } }
        if let maxWidth {
            var total = widths.reduce(0, +) + 2 * (widths.count - 1)
            while total > maxWidth {
                guard let widest = minimum.keys.filter({ widths[$0] > minimum[$0]! }).max(by: { widths[$0] < widths[$1] }) else { break }
                widths[widest] -= 1
                total -= 1
            }
        }
        func line(_ row: [String]) -> String {
            var s = ""
            for (i, c) in row.enumerated() {
                let cell = CellWidth.truncate(c, to: widths[i])
                s += i == row.count - 1 ? cell : CellWidth.pad(cell, to: widths[i]) + "  "
            }
            while s.last == " " { s.removeLast() }
            return s
        }
        return [line(headers)] + cells.map(line)
    }

    /// Line breaks and tabs inside a cell would break the table: shown as spaces.
    static func oneLine(_ s: String) -> String {
        guard s.contains(where: { $0.isNewline || $0 == "\t" }) else { return s }
        return String(s.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }
}
