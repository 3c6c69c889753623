import Foundation
import Core
import Engine

/// `passmail resume`: continues an unfinished run exactly where it stopped.
///
/// Entries caught mid-send by a crash are in doubt: never resent on their own.
/// Mailjet runs resolve them by CustomID lookup; for SMTP the organiser says
/// what to do with `--in-doubt`.
public enum ResumeCommand: PassmailCommand {
    public static let name = "resume"
    public static let abstract = "Resume an unfinished run"
    public static let arguments = "[RUN]"
    public static let discussion = """
        Without RUN, resumes the one unfinished run (see `passmail runs`). Entries that were being sent
        when the run stopped may or may not have been delivered ("in doubt"):
          --in-doubt leave       keep them in doubt, send nothing to them (default)
          --in-doubt resend      send them again (same Message-ID, so many servers drop a duplicate)
          --in-doubt mark-sent   record them as sent
        With Mailjet, in-doubt entries are first looked up by CustomID and resolved for certain.
        Retrying entries keep their attempt count and next-attempt time.

        Exit codes as for `passmail send`.
        """
    public static let options: [OptionSpec] = [
        OptionSpec("--in-doubt", value: "P", help: "leave (default), resend or mark-sent"),
        OptionSpec("--concurrency", short: "-c", value: "N", help: "Messages in flight at once (default: [send] concurrency)"),
        OptionSpec("--yes", short: "-y", help: "Resume without asking"),
    ]

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        try invocation.expectPositionals(max: 1)
        var policy = InDoubtPolicy.leave
        if let p = invocation.option("--in-doubt") {
            guard let parsed = InDoubtPolicy(rawValue: p.lowercased()) else {
                throw PassmailError.usage("--in-doubt: \"\(p)\" is not one of leave, resend, mark-sent")
            }
            policy = parsed
        }
        let concurrency = try invocation.arguments.int("--concurrency", range: 1...64)
        let workspace = try invocation.openWorkspace()
        let runID = invocation.positionals.first
        if !invocation.flag("--yes") {
            let id = try RunCatalog.pickResumable(sessions: workspace.sessionsURL, runID: runID, decidingInDoubt: policy != .leave)
            let summary = try RunCatalog.summary(SessionJournal.url(for: id, in: workspace.sessionsURL))
            let c = summary.info.counts
            var plan = "Run \(id) (\(summary.info.state.rawValue)\(summary.info.pauseReason.map { ": \($0)" } ?? "")): \(c.sent) sent, \(c.failed) failed, \(c.inDoubt) in doubt, \(c.pending + c.retrying) to send."
            if c.inDoubt > 0 { plan += "\nIn-doubt entries: \(policy.rawValue)." }
            guard try RunExecution.confirm(plan, question: "Resume run \(id)?", invocation: invocation) else {
                invocation.console.err("nothing sent")
                return .ok
            }
        }
        let controller = try RunController.resume(workspace: workspace, runID: runID, inDoubt: policy, concurrency: concurrency,
                                                  environment: invocation.environment)
        return await RunExecution.execute(controller, invocation: invocation)
    }
}
