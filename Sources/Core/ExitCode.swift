/// Process exit statuses from BSD `sysexits.h`, plus the few passmail adds.
///
/// Scripts branch on these, so each failure class maps to exactly one code.
public enum ExitCode: Int32, Sendable {
    case ok = 0
    /// A run finished, but some entries failed or are in doubt.
    case finishedWithProblems = 1
    case usage = 64          // EX_USAGE
    case dataError = 65      // EX_DATAERR
    case noInput = 66        // EX_NOINPUT
    case unavailable = 69    // EX_UNAVAILABLE
    case software = 70       // EX_SOFTWARE
    case cantCreate = 73     // EX_CANTCREAT
    case ioError = 74        // EX_IOERR
    case tempFailure = 75    // EX_TEMPFAIL: a run paused, try again later
    case config = 78         // EX_CONFIG
    /// Interrupted by the organiser (SIGINT); the run stays resumable.
    case interrupted = 130
}

/// An error a user can act on: a message naming the file, line or field, and an exit code.
///
/// Every module throws its own typed errors; at the command boundary anything
/// conforming to this protocol is printed as `passmail: <message>` and exits
/// with `exitCode`.
public protocol UserFacingError: Error, CustomStringConvertible {
    var exitCode: ExitCode { get }
}

/// The general-purpose user-facing error, for cases without a richer type.
public struct PassmailError: UserFacingError, Equatable {
    public var message: String
    public var exitCode: ExitCode
    public init(_ message: String, exitCode: ExitCode) {
        self.message = message
        self.exitCode = exitCode
    }
    public var description: String { message }

    public static func usage(_ message: String) -> PassmailError { .init(message, exitCode: .usage) }
    public static func data(_ message: String) -> PassmailError { .init(message, exitCode: .dataError) }
    public static func noInput(_ message: String) -> PassmailError { .init(message, exitCode: .noInput) }
    public static func config(_ message: String) -> PassmailError { .init(message, exitCode: .config) }
    public static func io(_ message: String) -> PassmailError { .init(message, exitCode: .ioError) }
    public static func cantCreate(_ message: String) -> PassmailError { .init(message, exitCode: .cantCreate) }
}
