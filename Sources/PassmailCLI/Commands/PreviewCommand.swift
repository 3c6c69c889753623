import Foundation
import Core

/// `passmail preview`: Print the full message that would be sent to one attendee
public enum PreviewCommand: PassmailCommand {
    public static let name = "preview"
    public static let abstract = "Print the full message that would be sent to one attendee"
    public static let arguments = "ID"
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        throw PassmailError("passmail preview is not built yet", exitCode: .software)
    }
}
