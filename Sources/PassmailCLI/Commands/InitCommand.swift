import Foundation
import Core

/// `passmail init`: Create a workspace with a commented passmail.toml, templates and a signing key
public enum InitCommand: PassmailCommand {
    public static let name = "init"
    public static let abstract = "Create a workspace with a commented passmail.toml, templates and a signing key"
    public static let arguments = "[DIR]"
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        throw PassmailError("passmail init is not built yet", exitCode: .software)
    }
}
