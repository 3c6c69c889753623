import Foundation
import Core

/// `passmail runs`: List runs with their state and counts
public enum RunsCommand: PassmailCommand {
    public static let name = "runs"
    public static let abstract = "List runs with their state and counts"
    public static let arguments = ""
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        throw PassmailError("passmail runs is not built yet", exitCode: .software)
    }
}
