import Foundation
import Core

/// `passmail check`: Render every selected attendee's message and report all template problems
public enum CheckCommand: PassmailCommand {
    public static let name = "check"
    public static let abstract = "Render every selected attendee's message and report all template problems"
    public static let arguments = ""
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        throw PassmailError("passmail check is not built yet", exitCode: .software)
    }
}
