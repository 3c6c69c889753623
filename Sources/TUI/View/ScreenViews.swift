import Foundation
import Core
import Engine

/// Enter on a row: the message as the attendee will get it, and the pass attachment.
func drawPreview(_ frame: inout Frame, _ model: AppModel, _ p: PreviewScreen, rows: Range<Int>) {
    var r = rows.lowerBound
    let name = model.table.position(ofID: p.attendeeID).map { model.table.attendees[$0].fullName } ?? p.attendeeID
    frame.set(r, StyledLine(" Preview — \(name)", .header)); r += 1
    guard let c = p.content else {
        if let error = p.error {
            frame.set(r + 1, StyledLine(" Cannot render this attendee's message:", .error))
            for (i, l) in error.wrapped(toWidth: frame.width - 4).enumerated() where r + 2 + i < rows.upperBound {
                frame.set(r + 2 + i, StyledLine("   " + l, .error))
            }
        } else {
            frame.set(r + 1, StyledLine(" Rendering…", .dim))
        }
        return
    }
    func field(_ label: String, _ value: String, _ style: Style = .normal) {
        var l = StyledLine(" ")
        l.append(label, columns: 12, .dim)
        l.append(value, style)
        frame.set(r, l); r += 1
    }
    field("To", c.to)
    field("Subject", c.subject, .title)
    field("Attachment", "\(c.attachmentName) (\(Wording.bytes(c.attachmentBytes)))")
    field("Pass code", c.humanCode, .key)
    if let path = p.writtenPath { field("Written to", path, .ok) }
    frame.set(r, StyledLine(" " + String(repeating: "─", count: frame.width - 2), .dim)); r += 1
    let body = c.text.wrapped(toWidth: frame.width - 2)
    let space = rows.upperBound - r
    let scroll = min(p.scroll, max(0, body.count - space))
    for line in body.dropFirst(scroll).prefix(space) {
        frame.set(r, StyledLine(" " + line)); r += 1
    }
}

/// `s`: what will happen, or the template problems that stop it.
func drawConfirmSend(_ frame: inout Frame, _ model: AppModel, _ plan: SendPlan, rows: Range<Int>) {
    var r = rows.lowerBound
    let n = plan.sendCount
    frame.set(r, StyledLine(plan.isRetry ? " Retry failed deliveries" : " Send passes", .header)); r += 2
    let ctx = model.context
    let what = "Send \(Wording.count(n, "pass", "passes")) via \(ctx.transportLabel) · concurrency \(ctx.concurrency) · \(Wording.estimate(ctx.estimatedDuration(count: n)))"
    for l in what.wrapped(toWidth: frame.width - 2) { frame.set(r, StyledLine(" " + l, .title)); r += 1 }
    if plan.alreadySent > 0 {
        r += 1
        let who = Wording.count(plan.alreadySent, "selected attendee already has", "selected attendees already have")
        let warn = plan.includeSent
            ? "\(who) a pass (or may have): sent again. R leaves them out."
            : "\(who) a pass (or may have): left out. R includes them."
        for l in warn.wrapped(toWidth: frame.width - 2) { frame.set(r, StyledLine(" " + l, .warning)); r += 1 }
    }
    r += 1
    if plan.checking {
        frame.set(r, StyledLine(" Checking templates for \(Wording.count(plan.attendeeIDs.count, "attendee", "attendees"))…", .dim))
        return
    }
    if plan.problems.isEmpty {
        frame.set(r, StyledLine(" Templates checked: every message renders.", .ok)); r += 2
        if n == 0 {
            frame.set(r, StyledLine(" Nothing to send: press R to send to them again, or Esc to go back.", .warning))
            return
        }
        var l = StyledLine(" Press ")
        l.append("Enter", .key); l.append(" to start sending, "); l.append("Esc", .key); l.append(" to go back.")
        frame.set(r, l)
        return
    }
    let count = max(plan.problemCount, plan.problems.count)
    frame.set(r, StyledLine(" Nothing will be sent: \(Wording.count(count, "problem", "problems")) to fix first.", .error)); r += 1
    let room = rows.upperBound - r - 1
    for (i, p) in plan.problems.enumerated() where i < room {
        frame.set(r, StyledLine("   " + p, .error)); r += 1
    }
    let shown = min(room, plan.problems.count)
    if count > shown && r < rows.upperBound {
        frame.set(r, StyledLine("   … and \(count - shown) more (run `passmail check` for the full list)", .dim))
    }
}

/// The live run: bar, counts, rate, pause reason, the most recent outcomes.
func drawProgress(_ frame: inout Frame, _ model: AppModel, rows: Range<Int>) {
    var r = rows.lowerBound
    guard let run = model.run else { return }
    let c = run.counts
    var title = " Sending via \(model.context.transportLabel)"
    if !run.runID.isEmpty { title += " · run \(run.runID)" }
    frame.set(r, StyledLine(title, .header)); r += 2

    let barWidth = max(10, frame.width - 10)
    let fraction = c.total > 0 ? Double(c.done) / Double(c.total) : 0
    let filled = Int((fraction * Double(barWidth)).rounded(.down))
    var bar = StyledLine(" ")
    bar.append(String(repeating: "█", count: filled), .ok)
    bar.append(String(repeating: "░", count: barWidth - filled), .dim)
    bar.append(String(format: " %3d%%", Int((fraction * 100).rounded(.down))))
    frame.set(r, bar); r += 1

    let processing = min(c.total, c.done + c.inFlight)
    var state: String
    switch run.phase {
    case .starting: state = "Starting…"
    case .running: state = "Processing \(processing)/\(c.total)"
    case .pausing: state = "Pausing after the messages in flight… \(c.done)/\(c.total)"
    case .paused: state = "Paused at \(c.done)/\(c.total)"
    case .cancelling: state = "Cancelling after the messages in flight…"
    case .ended(let info): state = info.state == .cancelled ? "Cancelled at \(c.done)/\(c.total)" : "Finished \(c.done)/\(c.total)"
    }
    frame.set(r, StyledLine(" " + state, .title)); r += 1

    var counts = StyledLine(" ")
    counts.append("✓ \(c.sent) sent", .ok); counts.append("   ")
    counts.append("✗ \(c.failed) failed", c.failed > 0 ? .error : .normal); counts.append("   ")
    counts.append("↻ \(c.retrying) retrying", c.retrying > 0 ? .warning : .normal); counts.append("   ")
    counts.append("? \(c.inDoubt) in doubt", c.inDoubt > 0 ? .warning : .normal)
    frame.set(r, counts); r += 1

    var rate = " \(String(format: "%.1f", run.perMinute))/min"
    // A paused run has no ETA: the figure from before the pause would stand still, looking live.
    if let eta = run.eta, case .running = run.phase { rate += " · ETA \(Wording.clock(eta))" }
    rate += " · elapsed \(Wording.clock(run.elapsed))"
    frame.set(r, StyledLine(rate, .dim)); r += 1

    if case .paused(let reason, let byEngine) = run.phase {
        r += 1
        if byEngine {
            let advice = PauseAdvice.explain(reason)
            for (i, l) in "Paused by passmail: \(advice.what)".wrapped(toWidth: frame.width - 4).enumerated() {
                frame.set(r, StyledLine((i == 0 ? " " : "   ") + l, .error)); r += 1
            }
            for (i, l) in "Reason: \(reason)".wrapped(toWidth: frame.width - 4).enumerated() {
                frame.set(r, StyledLine((i == 0 ? "   " : "     ") + l, .error)); r += 1
            }
            for (i, l) in "What to do: \(advice.todo)".wrapped(toWidth: frame.width - 4).enumerated() {
                frame.set(r, StyledLine((i == 0 ? "   " : "     ") + l, .warning)); r += 1
            }
        } else {
            frame.set(r, StyledLine(" Paused. Press p to resume; q returns to the roster; the run stays resumable.", .warning)); r += 1
        }
    }
    r += 1
    guard r < rows.upperBound else { return }
    frame.set(r, StyledLine(" Recent", .dim)); r += 1
    let room = rows.upperBound - r
    for report in run.recent.suffix(room).reversed() {
        frame.set(r, outcomeLine(report, model: model, width: frame.width)); r += 1
    }
}

/// One outcome: a symbol, who, and for problems the reason, coloured by outcome.
func outcomeLine(_ report: EntryReport, model: AppModel, width: Int) -> StyledLine {
    let symbol: String, style: Style, note: String
    switch report.outcome {
    case .sent: (symbol, style, note) = ("✓", .ok, "sent")
    case .failed(let reason): (symbol, style, note) = ("✗", .error, reason)
    case .retrying(let reason, let attempt, let next):
        (symbol, style, note) = ("↻", .warning, "attempt \(attempt) failed, retry at \(Wording.time(next, now: next, in: model.context.timeZone)): \(reason)")
    case .inDoubt(let reason): (symbol, style, note) = ("?", .warning, "in doubt: \(reason)")
    }
    var l = StyledLine(" ")
    l.append(symbol + " ", style)
    let who = report.name.isEmpty ? report.email : "\(report.name) <\(report.email)>"
    let whoWidth = min(44, max(20, width / 2 - 4))
    l.append(who, columns: whoWidth, style == .ok ? .normal : style)
    l.append("  ")
    l.append(note, style)
    return l
}

/// After a run: final counts and every failure or in-doubt entry with its reason.
func drawSummary(_ frame: inout Frame, _ model: AppModel, rows: Range<Int>) {
    var r = rows.lowerBound
    guard let run = model.run else { return }
    let c = run.counts
    var heading = " Run \(run.runID)"
    if case .ended(let info) = run.phase { heading += info.state == .cancelled ? " cancelled" : " finished" }
    heading += " · \(Wording.clock(run.elapsed)) elapsed"
    frame.set(r, StyledLine(heading, .header)); r += 2
    var counts = StyledLine(" ")
    counts.append("✓ \(c.sent) sent", .ok); counts.append("   ")
    counts.append("✗ \(c.failed) failed", c.failed > 0 ? .error : .normal); counts.append("   ")
    counts.append("? \(c.inDoubt) in doubt", c.inDoubt > 0 ? .warning : .normal)
    let unsent = max(0, c.total - c.done)
    if unsent > 0 { counts.append("   · \(unsent) not sent") }
    frame.set(r, counts); r += 2
    let problems = run.problemOrder.compactMap { run.problems[$0] }
    if problems.isEmpty {
        frame.set(r, StyledLine(c.failed + c.inDoubt == 0 ? " Nothing failed." : " Problems from before this session are in the report (e).", .ok))
        return
    }
    frame.set(r, StyledLine(" Failures and in-doubt entries (\(problems.count))", .dim)); r += 1
    let room = rows.upperBound - r
    // Each entry takes as many lines as its reason needs (a server's reply is read in full).
    let blocks = problems.map { outcomeLines(of: $0, model: model, width: frame.width) }
    // The furthest scroll still fills the screen: the last entries end at the bottom.
    var maxScroll = blocks.count, used = 0
    while maxScroll > 0 && used + blocks[maxScroll - 1].count <= room { maxScroll -= 1; used += blocks[maxScroll].count }
    let scroll = min(model.summaryScroll, min(maxScroll, blocks.count - 1))
    var shown = 0
    for i in scroll..<blocks.count {
        let space = rows.upperBound - r - (i < blocks.count - 1 ? 1 : 0)
        if blocks[i].count > space {
            if i == scroll { for line in blocks[i].prefix(max(1, space)) { frame.set(r, line); r += 1 }; shown += 1 }
            break
        }
        for line in blocks[i] { frame.set(r, line); r += 1 }
        shown += 1
    }
    if scroll + shown < problems.count, r < rows.upperBound {
        frame.set(r, StyledLine(" ↓ \(problems.count - scroll - shown) more (j scrolls; e exports them all)", .dim))
    }
}

/// An outcome with its whole reason: the first line as on the progress screen, the
/// rest of the reason wrapped under it.
func outcomeLines(of report: EntryReport, model: AppModel, width: Int) -> [StyledLine] {
    let first = outcomeLine(report, model: model, width: width)
    guard first.width > width else { return [first] }
    let whoWidth = min(44, max(20, width / 2 - 4))
    let indent = 1 + 2 + whoWidth + 2
    let note: String, style: Style
    switch report.outcome {
    case .failed(let reason): (note, style) = (reason, .error)
    case .inDoubt(let reason): (note, style) = ("in doubt: \(reason)", .warning)
    default: return [first]
    }
    let pieces = note.wrapped(toWidth: max(10, width - indent - 1))
    var lines: [StyledLine] = []
    for (i, piece) in pieces.enumerated() {
        if i == 0 {
            var l = StyledLine(" ")
            let symbol = style == .error ? "✗" : "?"
            l.append(symbol + " ", style)
            let who = report.name.isEmpty ? report.email : "\(report.name) <\(report.email)>"
            l.append(who, columns: whoWidth, style)
            l.append("  ")
            l.append(piece, style)
            lines.append(l)
        } else {
            var l = StyledLine(String(repeating: " ", count: indent))
            l.append(piece, style)
            lines.append(l)
        }
    }
    return lines
}

/// The first screen when an earlier run did not finish.
func drawResumePrompt(_ frame: inout Frame, _ model: AppModel, _ prompt: ResumePrompt, rows: Range<Int>) {
    let info = prompt.info
    let c = info.counts
    var r = rows.lowerBound + 2
    let when = Wording.time(info.startedAt, now: model.context.now, in: model.context.timeZone)
    let summary = "Unfinished send from \(when) — \(c.sent) of \(c.total) sent, \(c.failed) failed, \(c.inDoubt) in doubt."
    for l in summary.wrapped(toWidth: frame.width - 4) { frame.set(r, StyledLine("  " + l, .title)); r += 1 }
    var detail = "via \(info.transport)"
    if info.state == .paused, let reason = info.pauseReason { detail += " · paused: \(reason)" }
    frame.set(r, StyledLine("  " + detail, .dim)); r += 2
    switch prompt.stage {
    case .choose:
        var l = StyledLine("  ")
        l.append("[r]", .key); l.append(" Resume   ")
        l.append("[v]", .key); l.append(" View   ")
        l.append("[x]", .key); l.append(" Abandon")
        frame.set(r, l)
    case .inDoubt:
        let n = c.inDoubt
        let q = "\(Wording.count(n, "entry is", "entries are")) in doubt: the server may or may not have accepted \(n == 1 ? "it" : "them"). What should passmail do?"
        for l in q.wrapped(toWidth: frame.width - 4) { frame.set(r, StyledLine("  " + l, .warning)); r += 1 }
        r += 1
        var l = StyledLine("  ")
        defer {
            // Whom it concerns, below the choices, as many as fit.
            let names = model.unfinishedInDoubt
            var row = r + 2
            let room = rows.upperBound - row
            if !names.isEmpty && room > 0 {
                let shown = names.count > room ? room - 1 : names.count
                for name in names.prefix(shown) { frame.set(row, StyledLine("    ? " + name, .warning)); row += 1 }
                if shown < names.count { frame.set(row, StyledLine("    … and \(names.count - shown) more (`passmail runs` lists the run)", .dim)) }
            }
        }
        l.append("[s]", .key); l.append(" Resend (may arrive twice)   ")
        l.append("[m]", .key); l.append(" Mark as sent   ")
        l.append("[l]", .key); l.append(" Leave in doubt")
        frame.set(r, l)
    }
}
