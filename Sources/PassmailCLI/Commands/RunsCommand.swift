import Foundation
import Core
import Engine

/// `passmail runs`: every run of the workspace with its state and counts.
public enum RunsCommand: PassmailCommand {
    public static let name = "runs"
    public static let abstract = "List runs with their state and counts"
    public static let arguments = ""
    public static let discussion = """
        States: running (being sent now, or interrupted: resume it), paused (circuit breaker, disk or
        the organiser), finished, cancelled. --json prints an array of objects with id, state, total,
        sent, failed, in_doubt, pending, retrying, in_flight (being sent right now), started_at, finished_at, pause_reason, transport and
        pid (the process sending it, or null).
        """
    public static let options: [OptionSpec] = [
        OptionSpec("--json", help: "Machine-readable output"),
    ]

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        try invocation.expectPositionals(max: 0)
        let workspace = try invocation.openWorkspace()
        let (runs, problems) = try RunCatalog.summaries(sessions: workspace.sessionsURL)
        for p in problems { invocation.console.err("passmail: \(p)") }
        if invocation.flag("--json") {
            invocation.console.out(json(runs))
        } else if runs.isEmpty {
            invocation.console.err("no runs yet (start one with `passmail send`)")
        } else {
            invocation.console.out(table(runs))
        }
        return problems.isEmpty ? .ok : .dataError
    }

    static func iso(_ d: Date?) -> Any {
        guard let d else { return NSNull() }
        let f = ISO8601DateFormatter()
        return f.string(from: d)
    }

    static func json(_ runs: [RunSummary]) -> String {
        let items: [[String: Any]] = runs.map { r in
            let c = r.info.counts
            return ["id": r.info.id, "state": r.info.state.rawValue, "total": c.total, "sent": c.sent, "failed": c.failed,
                    "in_doubt": c.inDoubt, "pending": c.pending, "retrying": c.retrying, "in_flight": c.inFlight,
                    "started_at": iso(r.info.startedAt), "finished_at": iso(r.info.finishedAt),
                    "pause_reason": r.info.pauseReason as Any? ?? NSNull(), "transport": r.info.transport,
                    "pid": r.holder.map { Int($0) as Any } ?? NSNull()]
        }
        if items.isEmpty { return "[]" }
        let data = (try? JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func table(_ runs: [RunSummary]) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm"
        var rows = [["RUN", "STATE", "TOTAL", "SENT", "FAILED", "IN DOUBT", "PENDING", "STARTED", "FINISHED", "NOTE"]]
        for r in runs {
            let c = r.info.counts
            var note = ""
            if let pid = r.holder { note = "being sent by process \(pid)" }
            else if r.info.state == .running { note = "interrupted: `passmail resume \(r.info.id)`" }
            else if let reason = r.info.pauseReason { note = reason }
            rows.append([r.info.id, r.info.state.rawValue, "\(c.total)", "\(c.sent)", "\(c.failed)", "\(c.inDoubt)",
                         "\(c.pending + c.retrying + c.inFlight)", f.string(from: r.info.startedAt), r.info.finishedAt.map { f.string(from: $0) } ?? "-", note])
        }
        var widths = rows[0].map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
