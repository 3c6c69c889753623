import Foundation
import Core
import Engine

/// The whole screen for a model: pure, so tests compare it with text snapshots.
public func view(_ model: AppModel) -> Frame {
    var frame = Frame(width: model.width, height: model.height)
    if model.isTooSmall {
        drawTooSmall(&frame)
        return frame
    }
    frame.set(0, titleBar(model))
    let bodyRows = 1..<(model.height - 2)
    if model.helpVisible {
        drawHelp(&frame, model, rows: bodyRows)
    } else {
        switch model.screen {
        case .roster: drawRoster(&frame, model, rows: bodyRows, panel: nil)
        case .filterPanel(let panel): drawRoster(&frame, model, rows: bodyRows, panel: panel)
        case .preview(let p): drawPreview(&frame, model, p, rows: bodyRows)
        case .confirmSend(let plan): drawConfirmSend(&frame, model, plan, rows: bodyRows)
        case .progress: drawProgress(&frame, model, rows: bodyRows)
        case .summary: drawSummary(&frame, model, rows: bodyRows)
        case .resumePrompt(let prompt): drawResumePrompt(&frame, model, prompt, rows: bodyRows)
        }
    }
    let message = messageLines(model)
    for (i, line) in message.enumerated() { frame.set(model.height - 1 - message.count + i, line) }
    frame.set(model.height - 1, keyBar(model))
    if let confirm = model.pendingConfirm { drawConfirmDialog(&frame, confirm) }
    return frame
}

func drawTooSmall(_ frame: inout Frame) {
    let full = ["Terminal too small: \(frame.width)×\(frame.height)",
                "passmail needs at least \(AppModel.minimumWidth)×\(AppModel.minimumHeight).",
                "Make the window bigger, or press q to quit."]
    // Whole words at any size; a sliver of a window (20×5) gets the short form.
    let short = ["Too small: \(frame.width)×\(frame.height)", "needs \(AppModel.minimumWidth)×\(AppModel.minimumHeight)", "q quits"]
    let wrapped = full.flatMap { $0.wrapped(toWidth: frame.width) }
    let lines = wrapped.count <= frame.height ? wrapped : short.flatMap { $0.wrapped(toWidth: frame.width) }
    let top = max(0, (frame.height - lines.count) / 2)
    for (i, l) in lines.enumerated() {
        let pad = max(0, (frame.width - l.displayWidth) / 2)
        frame.set(top + i, StyledLine(String(repeating: " ", count: pad) + l, i == 0 ? .warning : .normal))
    }
}

/// "passmail · Event · date" on the left, the state of a background run on the right.
func titleBar(_ model: AppModel) -> StyledLine {
    var left = " passmail · \(model.context.eventName)"
    if !model.context.eventDate.isEmpty { left += " · \(model.context.eventDate)" }
    var right = ""
    if let run = model.run {
        let c = run.counts
        switch run.phase {
        case .starting: right = "starting run…"
        case .running: right = "sending \(c.done)/\(c.total)"
        case .pausing: right = "pausing…"
        case .paused: right = "paused \(c.done)/\(c.total)"
        case .cancelling: right = "cancelling…"
        case .ended(let info): right = info.state == .cancelled ? "run cancelled" : "run finished"
        }
    } else if model.unfinished != nil {
        right = "unfinished run: r resumes"
    }
    var line = StyledLine()
    line.lineStyle = .title
    let rightWidth = right.isEmpty ? 0 : right.displayWidth + 2
    line.append(left, columns: max(0, model.width - rightWidth), .title)
    if !right.isEmpty { line.append(" " + right + " ", .title) }
    return line
}

/// The status line; a message longer than the screen is wrapped upwards over the
/// bottom of the screen (up to four lines) rather than cut: a reason such as why a
/// run did not start is read in full. The next key that does something clears it.
func messageLines(_ model: AppModel) -> [StyledLine] {
    guard model.scope != .searchTyping, let m = model.message, (" " + m.text).displayWidth > model.width else {
        return [messageLine(model)]
    }
    let maxLines = max(1, min(4, model.height - 4))
    var wrapped = m.text.wrapped(toWidth: max(1, model.width - 2))
    if wrapped.count > maxLines {
        wrapped = Array(wrapped.prefix(maxLines))
        let last = wrapped[maxLines - 1]
        wrapped[maxLines - 1] = last.displayWidth <= model.width - 4 ? last + " …" : last.truncated(toWidth: model.width - 3)
    }
    return wrapped.map { StyledLine(" " + $0, m.isError ? .error : .normal) }
}

/// The status line: what is being typed, the last result, or an error in red.
func messageLine(_ model: AppModel) -> StyledLine {
    var line = StyledLine()
    if model.scope == .searchTyping {
        line.append(" /", .key)
        line.append(model.table.search + "▏", .input)
        line.append("   Enter apply · Esc keep · Ctrl-U clear", .dim)
        return line
    }
    if let m = model.message {
        line.append(" " + m.text, m.isError ? .error : .normal)
        return line
    }
    if case .roster = model.screen, model.table.searchMode == .applied {
        line.append(" search: ", .dim)
        line.append(model.table.search, .input)
        line.append("  (Esc clears, / edits)", .dim)
    }
    return line
}

/// The keys of the current screen, from the key table.
///
/// When the bar is too narrow (80 columns with a selection) the keys that leave —
/// quit, back, close — and `?` stay; others are dropped from the end of the table
/// order (all of them are in the help).
func keyBar(_ model: AppModel) -> StyledLine {
    let scope = model.scope
    let items = KeyTable.bindings(for: scope).filter { $0.inBar && $0.disabledReason(model) == nil }
    func pinned(_ b: KeyBinding) -> Bool { [Action.quit, .back, .help, .confirmNo, .confirmYes].contains(b.action) }
    func width(_ bs: [KeyBinding]) -> Int { bs.reduce(1) { $0 + $1.keyLabel.displayWidth + 1 + $1.short.displayWidth + 2 } }
    // Shortcuts with another way to them give way first (t: the filter panel; a: space).
    let givesWayFirst: [Action] = [.cyclePassType, .selectAllShown, .openPreview, .openFilterPanel]
    var shown = items
    while width(shown) > model.width {
        if let drop = givesWayFirst.lazy.compactMap({ a in shown.firstIndex { $0.action == a } }).first {
            shown.remove(at: drop)
        } else if let drop = shown.lastIndex(where: { !pinned($0) }) {
            shown.remove(at: drop)
        } else {
            break
        }
    }
    // `?` last, where people look for it.
    shown = shown.filter { $0.action != .help } + shown.filter { $0.action == .help }
    var line = StyledLine()
    line.lineStyle = .bar
    line.append(" ", .bar)
    for b in shown {
        line.append(b.keyLabel, .key)
        line.append(" " + b.short + "  ", .bar)
    }
    return line
}

/// A box in the middle of the screen asking yes or no (gitui's confirm popup).
func drawConfirmDialog(_ frame: inout Frame, _ action: ConfirmAction) {
    let inner = min(frame.width - 6, 64)
    var body = action.explanation.wrapped(toWidth: inner - 2)
    body.append("")
    body.append("y yes    n no")
    let boxHeight = body.count + 3
    let top = max(1, (frame.height - boxHeight) / 2)
    let left = max(0, (frame.width - inner - 2) / 2)
    func boxLine(_ text: String, _ style: Style) -> StyledLine {
        var l = StyledLine("│ ", .banner)
        l.append(text, columns: inner - 2, style == .normal ? .banner : style)
        l.append(" │", .banner)
        return l
    }
    let titleText = " " + action.title + " "
    frame.overlay(top, column: left, StyledLine("┌" + titleText + String(repeating: "─", count: max(0, inner - titleText.displayWidth)) + "┐", .banner))
    for (i, text) in body.enumerated() {
        frame.overlay(top + 1 + i, column: left, boxLine(text, i == body.count - 1 ? .key : .normal))
    }
    frame.overlay(top + 1 + body.count, column: left, StyledLine("└" + String(repeating: "─", count: inner) + "┘", .banner))
}

/// `?`: every key of the screen underneath, from the same table as dispatch and the key bar.
func drawHelp(_ frame: inout Frame, _ model: AppModel, rows: Range<Int>) {
    var under = model
    under.helpVisible = false
    let scope = under.scope
    frame.set(rows.lowerBound, StyledLine(" Keys — \(scope.title)", .header))
    let bindings = KeyTable.bindings(for: scope)
    let keyWidth = min(22, (bindings.map { $0.keyLabel.displayWidth }.max() ?? 4) + 2)
    var lines: [StyledLine] = []
    for b in bindings {
        var line = StyledLine("  ")
        line.append(b.keyLabel, columns: keyWidth, .key)
        line.append(b.long)
        if let reason = b.disabledReason(under) {
            let note = "(not now: \(reason))"
            if line.width + 2 + note.displayWidth > frame.width {
                // Too long for one line: the reason goes under the description.
                lines.append(line)
                line = StyledLine(String(repeating: " ", count: 2 + keyWidth))
                line.append(note, .dim)
            } else {
                line.append("  " + note, .dim)
            }
        }
        lines.append(line)
    }
    lines.append(StyledLine())
    lines.append(StyledLine("  Any key closes this help.", .dim))
    let room = rows.count - 2
    let scroll = min(model.helpScroll, max(0, lines.count - room))
    var r = rows.lowerBound + 2
    for line in lines.dropFirst(scroll).prefix(room) { frame.set(r, line); r += 1 }
    if lines.count - scroll > room {
        frame.set(rows.upperBound - 1, StyledLine("  ↓ more (j)", .dim))
    }
}
