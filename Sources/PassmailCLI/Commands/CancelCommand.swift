import Foundation
import Core

/// `passmail cancel`: Cancel an unfinished run (unsent entries stay unsent)
public enum CancelCommand: PassmailCommand {
    public static let name = "cancel"
    public static let abstract = "Cancel an unfinished run (unsent entries stay unsent)"
    public static let arguments = "[RUN]"
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        throw PassmailError("passmail cancel is not built yet", exitCode: .software)
    }
}
