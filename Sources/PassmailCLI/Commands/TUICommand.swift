import Foundation
import Core

/// `passmail tui`: Open the terminal interface (the default when no command is given)
public enum TUICommand: PassmailCommand {
    public static let name = "tui"
    public static let abstract = "Open the terminal interface (the default when no command is given)"
    public static let arguments = ""
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        throw PassmailError("passmail tui is not built yet", exitCode: .software)
    }
}
