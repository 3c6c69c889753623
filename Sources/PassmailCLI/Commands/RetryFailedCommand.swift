import Foundation
import Core

/// `passmail retry-failed`: Start a run of the failed entries of an earlier run
public enum RetryFailedCommand: PassmailCommand {
    public static let name = "retry-failed"
    public static let abstract = "Start a run of the failed entries of an earlier run"
    public static let arguments = "[RUN]"
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        throw PassmailError("passmail retry-failed is not built yet", exitCode: .software)
    }
}
