import Foundation
import Core

/// `passmail verify`: Check a pass token (argument or one per line on stdin) and say whose it is
public enum VerifyCommand: PassmailCommand {
    public static let name = "verify"
    public static let abstract = "Check a pass token (argument or one per line on stdin) and say whose it is"
    public static let arguments = "[TOKEN]"
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        throw PassmailError("passmail verify is not built yet", exitCode: .software)
    }
}
