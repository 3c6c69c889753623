import Foundation
import Core
import Roster
import Engine
import TUI

/// `passmail` with no command, or `passmail tui`: the full-screen terminal interface.
public enum TUICommand: PassmailCommand {
    public static let name = "tui"
    public static let abstract = "Open the terminal interface (the default when no command is given)"
    public static let arguments = ""
    public static let discussion = """
        Shows the roster with search, filters and multi-select; previews a message and pass; sends with a live
        progress bar; offers to resume an unfinished run first. Press ? on any screen for its keys.
        Needs a terminal on stdin and stdout; scripts use `passmail list`, `send`, `resume` and `runs` instead.
        Colours follow the terminal; set NO_COLOR=1 for none.
        """
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        try invocation.expectPositionals(max: 0)
        let console = invocation.console
        guard console.stdinIsTerminal && console.stdoutIsTerminal else {
            throw PassmailError.usage(
                "the terminal interface needs a terminal on stdin and stdout; in scripts use the headless commands: "
                + "`passmail list`, `passmail send`, `passmail resume`, `passmail runs` (see `passmail --help`)")
        }
        let workspace = try invocation.openWorkspace()
        let store = try RosterStore(workspace: workspace)
        // The newest unfinished run is offered first; older ones stay listed by `passmail runs`.
        let unfinished = try RunCatalog.unfinished(workspace: workspace).max { $0.startedAt < $1.startedAt }
        let noColor = invocation.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let useColor = !noColor && invocation.environment["TERM"] != "dumb"
        let app = await TUIApp(workspace: workspace, store: store, unfinished: unfinished)
        do {
            return try await app.run(useColor: useColor)
        } catch let unsupported as TerminalUnsupported {
            throw PassmailError.usage(unsupported.description)
        }
    }
}
