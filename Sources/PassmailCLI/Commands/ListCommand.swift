import Foundation
import Core

/// `passmail list`: List attendees matching filters (table, --json or --csv)
public enum ListCommand: PassmailCommand {
    public static let name = "list"
    public static let abstract = "List attendees matching filters (table, --json or --csv)"
    public static let arguments = ""
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        throw PassmailError("passmail list is not built yet", exitCode: .software)
    }
}
