import Foundation
import Core

/// `passmail demo`: Create a demo workspace with a sample event and about 80 attendees, and open it
public enum DemoCommand: PassmailCommand {
    public static let name = "demo"
    public static let abstract = "Create a demo workspace with a sample event and about 80 attendees, and open it"
    public static let arguments = "[DIR]"
    public static let options: [OptionSpec] = []

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        throw PassmailError("passmail demo is not built yet", exitCode: .software)
    }
}
