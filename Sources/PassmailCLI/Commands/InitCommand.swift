import Foundation
import Core

/// `passmail init [DIR]`: creates a workspace ready for `passmail import`.
public enum InitCommand: PassmailCommand {
    public static let name = "init"
    public static let abstract = "Create a workspace with a commented passmail.toml, templates and a signing key"
    public static let arguments = "[DIR]"
    public static let discussion = """
        Creates DIR (default: the workspace folder, i.e. --workspace, $PASSMAIL_WORKSPACE or the current
        folder) holding passmail.toml, templates/, keys/ (the pass signing key, mode 0600, and its public key),
        sessions/, outbox/, passes/ and an empty roster (passmail.db). Refuses a folder that already has a
        passmail.toml.

        Next: edit passmail.toml, then `passmail import attendees.csv`.
        """
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        try invocation.expectPositionals(max: 1)
        let root = invocation.positionals.first.map {
            URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        } ?? invocation.workspaceRoot
        let workspace = try WorkspaceCreator.create(at: root, event: WorkspaceTemplate.placeholderEvent, console: invocation.console)
        invocation.console.out("Created passmail workspace in \(workspace.root.path)")
        invocation.console.out("  passmail.toml              event, sender, templates, transport (edit this first)")
        invocation.console.out("  templates/                 email templates (Mustache)")
        invocation.console.out("  keys/pass-signing.pem      pass signing key (private, 0600) and keys/pass-signing.pub.pem")
        invocation.console.out("Next: passmail --workspace \(shellQuote(workspace.root.path)) import attendees.csv")
        return .ok
    }
}

/// Quotes a path for copy-pasting into a shell when it needs it.
func shellQuote(_ s: String) -> String {
    if s.allSatisfy({ $0.isLetter || $0.isNumber || "/._-+".contains($0) }) { return s }
    return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
