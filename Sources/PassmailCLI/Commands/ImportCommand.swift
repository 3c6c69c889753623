import Foundation
import Core

/// `passmail import`: Import attendees from a CSV export (Eventbrite, pretix, Google Forms, Excel...)
public enum ImportCommand: PassmailCommand {
    public static let name = "import"
    public static let abstract = "Import attendees from a CSV export (Eventbrite, pretix, Google Forms, Excel...)"
    public static let arguments = "FILE"
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        throw PassmailError("passmail import is not built yet", exitCode: .software)
    }
}
