import Foundation
import Core

/// `passmail export`: Write the delivery report (who got it, who didn't) as CSV
public enum ExportCommand: PassmailCommand {
    public static let name = "export"
    public static let abstract = "Write the delivery report (who got it, who didn't) as CSV"
    public static let arguments = "[FILE]"
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        throw PassmailError("passmail export is not built yet", exitCode: .software)
    }
}
