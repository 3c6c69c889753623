import Foundation
import Core
import Engine

/// Turns engine events into what the organiser sees on stderr while a run goes.
///
/// On a terminal: one `\r`-updated progress line, with failures, retries and
/// in-doubt entries printed above it as they happen. Otherwise (a log, CI):
/// one plain line per outcome, so the log tells the whole story.
final class RunProgressPrinter: @unchecked Sendable {
    private let console: Console
    private let total: Int
    private var lineShown = false
    private let lock = NSLock()

    init(console: Console, total: Int) {
        self.console = console
        self.total = total
    }

    func handle(_ event: EngineEvent) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .entryFinished(let r):
            let line = Self.outcomeLine(r)
            if console.stderrIsTerminal {
                if case .sent = r.outcome { return }
                clearLine()
                console.err(line)
            } else {
                console.err(line)
            }
        case .progress(let p):
            guard console.stderrIsTerminal else { return }
            console.errRaw("\r\u{1B}[K" + Self.progressLine(p))
            lineShown = true
        case .paused(let reason):
            clearLine()
            console.err("paused: \(reason)")
        case .resumed:
            break
        case .ended:
            clearLine()
        }
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        clearLine()
    }

    private func clearLine() {
        if lineShown { console.errRaw("\r\u{1B}[K"); lineShown = false }
    }

    static func outcomeLine(_ r: EntryReport) -> String {
        let who = "\(r.attendeeID)  \(r.name) <\(r.email)>"
        switch r.outcome {
        case .sent: return "sent       \(who)"
        case .failed(let reason): return "failed     \(who): \(reason)"
        case .inDoubt(let reason): return "in doubt   \(who): \(reason)"
        case .retrying(let reason, let attempt, let next):
            return "retrying   \(who): attempt \(attempt) failed (\(reason)); next at \(clockTime(next))"
        }
    }

    static func progressLine(_ p: RunProgress) -> String {
        let c = p.counts
        var parts = ["\(c.done)/\(c.total)", "sent \(c.sent)", "failed \(c.failed)", "retrying \(c.retrying)", "in doubt \(c.inDoubt)"]
        parts.append(String(format: "%.1f/min", p.perMinute))
        parts.append("ETA " + (p.eta.map(duration) ?? "–"))
        return parts.joined(separator: " · ")
    }

    static func duration(_ s: TimeInterval) -> String {
        let t = Int(s.rounded())
        if t >= 3600 { return "\(t / 3600)h \(t % 3600 / 60)m" }
        if t >= 60 { return "\(t / 60)m \(t % 60)s" }
        return "\(t)s"
    }

    static func clockTime(_ d: Date) -> String {
        let f = DateFormatter()
        f.dateFormat = "HH:mm:ss"
        return f.string(from: d)
    }
}
