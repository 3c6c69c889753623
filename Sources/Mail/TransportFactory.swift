import Foundation
import Core

// CONTRACT: the Mail owner replaces the body.

/// Builds the configured transport, reading secrets from the environment.
public enum TransportFactory {
    /// Throws a clear error (naming the config key or environment variable) when
    /// the transport cannot be used: missing host, missing password, `security =
    /// "none"` on a non-loopback host, missing Mailjet keys.
    public static func make(workspace: Workspace, kind: PassmailConfig.TransportKind? = nil, concurrency: Int? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any MailTransport {
        fatalError("TransportFactory not built yet")
    }
}
