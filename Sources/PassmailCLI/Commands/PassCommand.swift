import Foundation
import Core

/// `passmail pass`: Render one attendee's pass PDF, or many with --all
public enum PassCommand: PassmailCommand {
    public static let name = "pass"
    public static let abstract = "Render one attendee's pass PDF, or many with --all"
    public static let arguments = "[ID]"
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        throw PassmailError("passmail pass is not built yet", exitCode: .software)
    }
}
