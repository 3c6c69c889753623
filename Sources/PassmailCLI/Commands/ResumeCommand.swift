import Foundation
import Core

/// `passmail resume`: Resume an unfinished run
public enum ResumeCommand: PassmailCommand {
    public static let name = "resume"
    public static let abstract = "Resume an unfinished run"
    public static let arguments = "[RUN]"
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        throw PassmailError("passmail resume is not built yet", exitCode: .software)
    }
}
