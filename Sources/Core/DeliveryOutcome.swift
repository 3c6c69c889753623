import Foundation

/// How one attempt to hand a message to a transport ended.
///
/// Transports classify; the send engine decides what each outcome means for
/// the run (retry, pause, ask the organiser).
public enum DeliveryOutcome: Sendable, Equatable {
    /// Accepted by the server or provider; the id it gave (or ours).
    case sent(messageId: String)
    /// Worth retrying later (4xx, 429, 5xx from an API, connection refused before sending).
    case transient(reason: String, retryAfter: TimeInterval?)
    /// Will never succeed for this recipient (5xx for this address).
    case permanent(reason: String)
    /// The message may or may not have been accepted: never resend on our own.
    case inDoubt(reason: String)
    /// Nothing will work until the organiser fixes something (credentials, TLS, sender).
    case fatal(reason: String)

    public var reason: String? {
        switch self {
        case .sent: nil
        case .transient(let r, _), .permanent(let r), .inDoubt(let r), .fatal(let r): r
        }
    }
}
