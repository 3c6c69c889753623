import Foundation
import Core

/// `passmail send`: Start a resumable bulk send without the terminal interface
public enum SendCommand: PassmailCommand {
    public static let name = "send"
    public static let abstract = "Start a resumable bulk send without the terminal interface"
    public static let arguments = ""
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        throw PassmailError("passmail send is not built yet", exitCode: .software)
    }
}
