import Foundation
import Core
import Roster

/// `passmail demo [DIR]`: a ready-to-try workspace with a sample event, then the TUI.
public enum DemoCommand: PassmailCommand {
    public static let name = "demo"
    public static let abstract = "Create a demo workspace with a sample event and about 80 attendees, and open it"
    public static let arguments = "[DIR]"
    public static let discussion = """
        Creates DIR (default: ./demo-workspace) like `passmail init`, with the sample event "Nordic Developer
        Days 2027" and 80 attendees (Attendee, Exhibitor, Speaker, VIP and Press passes) imported from
        DIR/attendees.csv, then opens the terminal interface on it. The transport is the outbox (.eml files
        in DIR/outbox) with a simulated 300 ms provider latency, so sending needs no account.
        If DIR already holds a workspace it is simply opened.
        """
    public static let options: [OptionSpec] = [
        OptionSpec("--no-open", help: "Create the workspace but don't open the terminal interface"),
    ]

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        try invocation.expectPositionals(max: 1)
        let root = URL(fileURLWithPath: invocation.positionals.first ?? "demo-workspace",
                       relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        let console = invocation.console
        if !FileManager.default.fileExists(atPath: root.appendingPathComponent(Workspace.configFileName).path) {
            let workspace = try WorkspaceCreator.create(at: root, event: DemoRoster.event, outboxDelayMs: 300, console: console)
            let csvURL = root.appendingPathComponent("attendees.csv")
            try AtomicFile.write(Data(DemoRoster.csv().utf8), to: csvURL)
            let report = try DemoImport.run(csvURL, workspace: workspace)
            console.err("Created demo workspace \(root.path): \(report)")
        }
        // The interface gets the demo folder as its workspace and none of demo's own arguments.
        var open = invocation
        open.workspaceRoot = root
        open.arguments = ParsedArguments()
        if invocation.flag("--no-open") || !console.stdinIsTerminal || !console.stdoutIsTerminal {
            console.out("Demo workspace ready in \(root.path)")
            console.out("Open it with:  passmail --workspace \(shellQuote(root.path))")
            console.out("Or try:        passmail --workspace \(shellQuote(root.path)) list --exclude-type Exhibitor")
            return .ok
        }
        return try await TUICommand.run(open)
    }
}
