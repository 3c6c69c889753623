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
            // A wrapped line could not be redrawn with \r: keep it within the terminal's width.
            let width = Self.terminalWidth()
            var line = Self.progressLine(p, width: width)
            if line.count >= width { line = String(line.prefix(max(10, width - 1))) }
            console.errRaw("\r\u{1B}[K" + line)
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

    /// "19/78 · sent 17 · failed 1 · retrying 1 · in doubt 0 · 11.8/min · ETA 5m 0s"; on a narrow
    /// terminal the rate, then retrying, then sent are left out before anything else.
    static func progressLine(_ p: RunProgress, width: Int = .max) -> String {
        let c = p.counts
        var parts: [(key: String, text: String)] = [
            ("done", "\(c.done)/\(c.total)"), ("sent", "sent \(c.sent)"), ("failed", "failed \(c.failed)"),
            ("retrying", "retrying \(c.retrying)"), ("doubt", "in doubt \(c.inDoubt)"),
            ("rate", String(format: "%.1f/min", p.perMinute)), ("eta", "ETA " + (p.eta.map(duration) ?? "–")),
        ]
        func joined() -> String { parts.map(\.text).joined(separator: " · ") }
        for drop in ["rate", "retrying", "sent"] where joined().count >= width {
            parts.removeAll { $0.key == drop }
        }
        return joined()
    }

    /// Columns of the terminal on stderr (80 when unknown). The corresponding C call is `ioctl(TIOCGWINSZ)`.
    static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
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
