import Foundation
import Core
import Roster
import Passes

/// Creates a new workspace folder: config, templates, sub-folders, signing key, empty roster.
enum WorkspaceCreator {
    /// Creates the workspace; refuses to touch a folder that already has a `passmail.toml`.
    static func create(at root: URL, event: WorkspaceTemplate.EventDetails, outboxDelayMs: Int = 0,
                       console: Console) throws -> Workspace {
        let fm = FileManager.default
        let configURL = root.appendingPathComponent(Workspace.configFileName)
        if fm.fileExists(atPath: configURL.path) {
            throw PassmailError.cantCreate("\(root.path) is already a passmail workspace (\(Workspace.configFileName) exists); nothing was changed")
        }
        do {
            try fm.createDirectory(at: root, withIntermediateDirectories: true)
            for sub in ["templates", "keys", "sessions", "outbox", "passes"] {
                try fm.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
            }
        } catch {
            throw PassmailError.cantCreate("\(root.path): cannot create the workspace folders (\(error.localizedDescription))")
        }
        // Keys are private: the folder is not listable by others either.
        chmod(root.appendingPathComponent("keys").path, 0o700)

        try AtomicFile.write(Data(WorkspaceTemplate.textTemplate.utf8), to: root.appendingPathComponent("templates/pass.txt.mustache"))
        try AtomicFile.write(Data(WorkspaceTemplate.htmlTemplate.utf8), to: root.appendingPathComponent("templates/pass.html.mustache"))
        // The config goes last: its presence is what makes the folder a workspace.
        try AtomicFile.write(Data(WorkspaceTemplate.config(event, outboxDelayMs: outboxDelayMs).utf8), to: configURL)

        let workspace = try Workspace.open(at: root)
        _ = try PassKeys.generate(privateKeyAt: workspace.signingKeyURL, publicKeyAt: workspace.publicKeyURL)
        _ = try RosterStore(workspace: workspace)
        return workspace
    }
}
