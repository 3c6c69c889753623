import Foundation
import Core

/// Column widths of the attendee table for a given width.
struct RosterColumns {
    var name: Int, email: Int, company: Int, type: Int, status: Int

    init(width: Int, longestType: Int) {
        status = 12
        type = min(14, max(4, longestType))
        // mark(2) + 4 gaps between five columns
        let rest = max(12, width - 2 - status - type - 4)
        name = rest * 30 / 100
        email = rest * 40 / 100
        company = rest - name - email
    }
}

/// The roster screen: column titles, the visible slice of rows, the counts footer; the filter panel beside it.
func drawRoster(_ frame: inout Frame, _ model: AppModel, rows: Range<Int>, panel: FilterPanel?) {
    let table = model.table
    let panelWidth = panel == nil ? 0 : 30
    let tableWidth = model.width - panelWidth
    let cols = RosterColumns(width: tableWidth, longestType: table.passTypes.map(\.displayWidth).max() ?? 4)
    var header = StyledLine("  ", .header)
    header.append("Name", columns: cols.name, .header); header.append(" ", .header)
    header.append("Email", columns: cols.email, .header); header.append(" ", .header)
    header.append("Company", columns: cols.company, .header); header.append(" ", .header)
    header.append("Type", columns: cols.type, .header); header.append(" ", .header)
    header.append("Status", columns: cols.status, .header)
    header.lineStyle = .header
    frame.set(rows.lowerBound, header)

    let firstRow = rows.lowerBound + 1
    let footerRow = rows.upperBound - 1
    let page = footerRow - firstRow
    for i in 0..<page {
        let pos = table.top + i
        let row = firstRow + i
        guard let attendeePos = table.visible[safe: pos] else {
            if i == 0 && table.visible.isEmpty {
                let text = !model.rosterLoaded ? "  Loading the roster…"
                    : table.total == 0 ? "  The roster is empty: import attendees with `passmail import FILE`."
                    : table.searchMode == .typing ? "  No attendee matches the filter “\(table.search)” (Backspace or Ctrl-U edits it)."
                    : "  No attendee matches the filter (Esc clears it)."
                frame.set(row, StyledLine(text, .dim))
            }
            continue
        }
        let a = table.attendees[attendeePos]
        var line = StyledLine()
        let selected = table.selection.contains(attendeePos)
        line.append(selected ? "● " : "  ", selected ? .selected : .normal)
        line.append(a.fullName, columns: cols.name); line.append(" ")
        line.append(a.email, columns: cols.email); line.append(" ")
        line.append(a.company, columns: cols.company); line.append(" ")
        line.append(a.passType, columns: cols.type); line.append(" ")
        let (statusText, statusStyle) = statusCell(a.delivery, zone: model.context.timeZone)
        line.append(statusText, columns: cols.status, statusStyle)
        if pos == table.cursor { line.lineStyle = .cursor }
        frame.set(row, line)
    }
    frame.set(footerRow, footer(model))
    if let panel { drawFilterPanel(&frame, model, panel, column: tableWidth, rows: rows.lowerBound..<footerRow) }
}

/// "sent 12 Mar" in green, "failed" in red, "in doubt" in yellow, "unsent" dim.
func statusCell(_ d: DeliveryRecord, zone: TimeZone) -> (String, Style) {
    switch d.status {
    case .unsent: return ("unsent", .dim)
    case .sent: return (d.emailedAt.map { "sent \(Wording.day($0, in: zone))" } ?? "sent", .ok)
    case .failed: return ("failed", .error)
    case .inDoubt: return ("in doubt", .warning)
    }
}

/// "12 selected · 78 shown · 342 total" and what narrows or orders the table.
func footer(_ model: AppModel) -> StyledLine {
    let t = model.table
    if let total = model.firstPageTotal {
        // Only the first page is here: say so, with the true total, and claim no counts yet.
        return StyledLine(" First \(t.total) of \(total) total · loading the full roster…", .dim)
    }
    var line = StyledLine(" ")
    line.append("\(t.selection.count) selected", t.selection.isEmpty ? .normal : .selected)
    line.append(" · \(t.visible.count) shown · \(t.total) total")
    var notes: [String] = []
    if let only = t.onlyType {
        notes.append("type: \(only)")
    } else if !t.excludedTypes.isEmpty {
        notes.append("without " + t.passTypes.filter { t.excludedTypes.contains($0) }.joined(separator: ", "))
    }
    if let s = t.statusFilter { notes.append("status: \(s.label)") }
    if t.sort != .roster { notes.append("sorted by \(t.sort.rawValue)") }
    if t.isRangeActive { notes.append("range") }
    let hiddenSelected = t.selection.count - t.selectedShownCount
    if hiddenSelected > 0 { notes.append("\(hiddenSelected) selected hidden by the filter") }
    if !notes.isEmpty { line.append("   " + notes.joined(separator: " · "), .dim) }
    return line
}

/// The filter panel: pass-type checkboxes, then the status choices.
///
/// Scrolls with its cursor: a roster with many pass types (early bird, student,
/// day tickets…) has more rows than a small terminal.
func drawFilterPanel(_ frame: inout Frame, _ model: AppModel, _ panel: FilterPanel, column: Int, rows: Range<Int>) {
    let width = frame.width - column
    var entries: [(text: String, style: Style, cursor: Bool)] = [("Pass types", .dim, false)]
    let t = model.table
    var counts: [String: Int] = [:]
    for a in t.attendees { counts[a.passType, default: 0] += 1 }
    for (i, row) in model.filterPanelRows.enumerated() {
        switch row {
        case .passType(let type):
            entries.append(("[\(t.excludedTypes.contains(type) ? " " : "x")] \(type) (\(counts[type] ?? 0))", .normal, i == panel.cursor))
        case .status(let status):
            if status == nil { entries.append(("", .normal, false)); entries.append(("Status", .dim, false)) }
            let chosen = t.statusFilter == status
            entries.append(("(\(chosen ? "•" : " ")) \(status?.label ?? "all")", .normal, i == panel.cursor))
        }
    }
    var r = rows.lowerBound
    func put(_ text: String, _ style: Style) {
        guard r < rows.upperBound else { return }
        var l = StyledLine("│", .dim)
        l.append(" " + text, columns: width - 1, style)
        frame.overlay(r, column: column, l)
        r += 1
    }
    put("Filter", .header)
    let room = max(1, rows.upperBound - r)
    let cursorLine = entries.firstIndex { $0.cursor } ?? 0
    // The label above the first pass type stays in view until the cursor moves past the first page.
    let first = entries.count <= room ? 0 : min(max(0, cursorLine - room + 1), entries.count - room)
    for e in entries.dropFirst(first).prefix(room) { put(e.text, e.cursor ? .cursor : e.style) }
    while r < rows.upperBound { put("", .normal) }
}
