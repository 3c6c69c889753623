import Foundation
import Core
import Engine

/// `passmail cancel`: ends an unfinished run for good.
public enum CancelCommand: PassmailCommand {
    public static let name = "cancel"
    public static let abstract = "Cancel an unfinished run (unsent entries stay unsent)"
    public static let arguments = "[RUN]"
    public static let discussion = """
        Without RUN, cancels the one unfinished run. Entries not yet sent stay unsent in the roster (a later
        `passmail send --status unsent` picks them up); everything already recorded is kept. A run being
        sent by a live process must be stopped there first (Ctrl-C).
        """
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        try invocation.expectPositionals(max: 1)
        let workspace = try invocation.openWorkspace()
        let info = try RunCatalog.cancel(workspace: workspace, runID: invocation.positionals.first)
        let c = info.counts
        invocation.console.out("run \(info.id) cancelled: \(c.sent) sent, \(c.failed) failed, \(c.inDoubt) in doubt, \(c.pending + c.retrying) left unsent")
        return .ok
    }
}
