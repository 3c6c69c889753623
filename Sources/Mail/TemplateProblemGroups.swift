import Foundation

extension TemplateProblem {
    /// Problems grouped so 2,000 copies of one mistake read as one line naming
    /// the place, the field, the reason and the first few attendees.
    ///
    /// `passmail check` and a refused `send` both print these, so the organiser
    /// sees the same report wherever the strict check stops them.
    public static func groupedLines(_ problems: [TemplateProblem]) -> [String] {
        var order: [String] = []
        var groups: [String: (TemplateProblem, [String])] = [:]
        for p in problems {
            let key = "\(p.template)\u{0}\(p.line)\u{0}\(p.field)\u{0}\(p.reason)"
            if groups[key] == nil { order.append(key); groups[key] = (p, []) }
            groups[key]!.1.append(p.attendeeID)
        }
        return order.map { key in
            let (p, ids) = groups[key]!
            let place = p.line > 0 ? "\(p.template):\(p.line)" : p.template
            let field = p.template == "subject" || p.line > 0 ? "{{\(p.field)}}" : p.field
            if ids == ["-"] { return "\(place): \(field): \(p.reason)" }
            let shown = ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? ", … (\(ids.count - 5) more)" : "")
            return "\(place): \(field): \(p.reason) — \(ids.count) attendee\(ids.count == 1 ? "" : "s"): \(shown)"
        }
    }
}
