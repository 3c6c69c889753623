import Foundation
import Core
import Roster
import Mail
import Engine

/// `passmail send`: starts a resumable run without the terminal interface.
///
/// Everyone selected becomes an entry of a new run whose every step is
/// journalled in `sessions/<run-id>.session`; if the process dies, `passmail
/// resume` continues exactly where it stopped.
public enum SendCommand: PassmailCommand {
    public static let name = "send"
    public static let abstract = "Start a resumable bulk send without the terminal interface"
    public static let arguments = ""
    public static let discussion = """
        Selects attendees with --all, filters or --ids, checks every template for every one of them
        (nothing is sent if any check fails), then emails each their pass. Attendees already sent or in
        doubt are left out unless --resend. Without --yes it shows what would be sent and asks.

        Progress goes to stderr (a live line on a terminal, one line per outcome otherwise); the summary
        goes to stdout. Ctrl-C stops cleanly: messages in flight finish, the run stays resumable.

        Examples:
          passmail send --all --yes
          passmail send --type Speaker --status unsent --concurrency 2
          passmail send --ids a-17,a-18 --transport outbox --yes

        Exit codes: 0 all sent · 1 finished with failures or in-doubt entries · 75 paused (circuit breaker,
        disk) · 130 interrupted (resumable) · 64 nothing selected or no confirmation · 65 template check
        failed (nothing sent)
        """
    public static let options: [OptionSpec] = [
        OptionSpec("--all", help: "Everyone on the roster (filters narrow it)"),
    ] + FilterOptions.specs + [
        OptionSpec("--transport", value: "K", help: "outbox, smtp or mailjet (default: [transport] kind)"),
        OptionSpec("--concurrency", short: "-c", value: "N", help: "Messages in flight at once (default: [send] concurrency)"),
        OptionSpec("--resend", help: "Also send to attendees already sent or in doubt"),
        OptionSpec("--yes", short: "-y", help: "Send without asking"),
    ]

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        try invocation.expectPositionals(max: 0)
        let filter = try FilterOptions.parse(invocation.arguments)
        guard invocation.flag("--all") || !filter.isEmpty else {
            throw PassmailError.usage("send: say who to send to: --all, filters (--type, --status, --search) or --ids A,B; see `passmail send --help`")
        }
        let kind = try transportKind(invocation)
        let concurrency = try invocation.arguments.int("--concurrency", range: 1...64)
        let workspace = try invocation.openWorkspace()
        let roster = try RosterStore(workspace: workspace)
        let selected = try roster.attendees(matching: filter)
        if let ids = filter.ids {
            let known = Set(selected.map(\.id))
            let unknown = ids.filter { !known.contains($0) }
            if !unknown.isEmpty, try unknown.contains(where: { try roster.attendee(id: $0) == nil }) {
                throw PassmailError.data("send: not in the roster: \(unknown.prefix(10).joined(separator: ", "))")
            }
        }
        guard !selected.isEmpty else {
            throw PassmailError.usage("send: no attendee matches; nothing to send (see `passmail list` with the same filters)")
        }
        let resend = invocation.flag("--resend")
        let already = selected.filter { $0.delivery.status == .sent || $0.delivery.status == .inDoubt }.count
        let count = resend ? selected.count : selected.count - already
        if count == 0 {
            invocation.console.err("nothing to send: all \(already) selected attendee\(already == 1 ? " is" : "s are") already sent or in doubt (use --resend to send to them again)")
            return .ok
        }
        if !invocation.flag("--yes") {
            let plan = try await describePlan(workspace: workspace, count: count, skipped: resend ? 0 : already, kind: kind,
                                        concurrency: concurrency, environment: invocation.environment)
            guard try RunExecution.confirm(plan, question: "Send \(count) email\(count == 1 ? "" : "s") now?", invocation: invocation) else {
                invocation.console.err("nothing sent")
                return .ok
            }
        }
        let controller = try RunController.start(workspace: workspace, attendeeIDs: selected.map(\.id), transport: kind,
                                                 concurrency: concurrency, resend: resend, environment: invocation.environment)
        return await RunExecution.execute(controller, invocation: invocation)
    }

    static func transportKind(_ invocation: Invocation) throws -> PassmailConfig.TransportKind? {
        guard let k = invocation.option("--transport") else { return nil }
        guard let kind = PassmailConfig.TransportKind(rawValue: k.lowercased()) else {
            throw PassmailError.usage("--transport: \"\(k)\" is not one of outbox, smtp, mailjet")
        }
        return kind
    }

    /// "About to email 78 attendees via smtp (…), 4 at a time; …"
    static func describePlan(workspace: Workspace, count: Int, skipped: Int, kind: PassmailConfig.TransportKind?, concurrency: Int?,
                             environment: [String: String]) async throws -> String {
        let transport = try TransportFactory.make(workspace: workspace, kind: kind, concurrency: concurrency, environment: environment)
        let name = transport.displayName
        let batch = transport.maxBatchSize
        await transport.shutdown()
        let workers = concurrency ?? workspace.config.send.concurrency
        var lines = ["About to email \(count) attendee\(count == 1 ? "" : "s") via \(name), \(workers) at a time\(batch > 1 ? " (batches of up to \(batch))" : "")."]
        if skipped > 0 { lines.append("\(skipped) already sent or in doubt are left out (--resend to include them).") }
        let s = workspace.config.send
        var perMinute: Double?
        if s.ratePerMinute > 0 { perMinute = Double(s.ratePerMinute) }
        if s.ratePerHour > 0 { perMinute = min(perMinute ?? .infinity, Double(s.ratePerHour) / 60) }
        if let perMinute {
            lines.append("Rate cap: \(Int(perMinute)) per minute; at least \(RunProgressPrinter.duration(Double(count) / perMinute * 60)).")
        }
        return lines.joined(separator: "\n")
    }
}
