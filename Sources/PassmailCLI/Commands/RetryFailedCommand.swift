import Foundation
import Core
import Roster
import Engine

/// `passmail retry-failed`: a new run of the entries that failed in an earlier run.
public enum RetryFailedCommand: PassmailCommand {
    public static let name = "retry-failed"
    public static let abstract = "Start a run of the failed entries of an earlier run"
    public static let arguments = "[RUN]"
    public static let discussion = """
        Without RUN, takes the most recent run with failed entries. Attendees sent since (by another run)
        are left out. Fix addresses with a re-import first: the new run uses the roster as it is now.
        """
    public static let options: [OptionSpec] = [
        OptionSpec("--transport", value: "K", help: "outbox, smtp or mailjet (default: the config's)"),
        OptionSpec("--concurrency", short: "-c", value: "N", help: "Messages in flight at once"),
        OptionSpec("--yes", short: "-y", help: "Send without asking"),
    ]

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        try invocation.expectPositionals(max: 1)
        let kind = try SendCommand.transportKind(invocation)
        let concurrency = try invocation.arguments.int("--concurrency", range: 1...64)
        let workspace = try invocation.openWorkspace()
        let (runs, _) = try RunCatalog.summaries(sessions: workspace.sessionsURL)
        let source: RunSummary
        if let id = invocation.positionals.first {
            guard let r = runs.first(where: { $0.info.id == id }) else {
                throw PassmailError.noInput("retry-failed: no run \(id) (see `passmail runs`)")
            }
            source = r
        } else {
            guard let r = runs.last(where: { !$0.failedAttendeeIDs.isEmpty }) else {
                throw PassmailError.noInput("retry-failed: no run has failed entries (see `passmail runs`)")
            }
            source = r
        }
        if source.isUnfinished {
            throw PassmailError.usage("retry-failed: run \(source.info.id) is not finished; resume it (`passmail resume \(source.info.id)`) or cancel it first")
        }
        let roster = try RosterStore(workspace: workspace)
        let ids = try source.failedAttendeeIDs.filter { try roster.attendee(id: $0)?.delivery.status == .failed }
        guard !ids.isEmpty else {
            invocation.console.err("run \(source.info.id) has no failed entries left to retry")
            return .ok
        }
        if !invocation.flag("--yes") {
            let plan = try await SendCommand.describePlan(workspace: workspace, count: ids.count, skipped: 0, kind: kind,
                                                          concurrency: concurrency, environment: invocation.environment)
            guard try RunExecution.confirm("Failed in run \(source.info.id): \(ids.count).\n" + plan,
                                           question: "Send \(ids.count) email\(ids.count == 1 ? "" : "s") again?", invocation: invocation) else {
                invocation.console.err("nothing sent")
                return .ok
            }
        }
        let controller = try RunController.start(workspace: workspace, attendeeIDs: ids, transport: kind, concurrency: concurrency,
                                                 resend: false, environment: invocation.environment)
        return await RunExecution.execute(controller, invocation: invocation)
    }
}
