import Foundation
import Core

/// The limits a run is driven by: `[send]` from the config plus the transport's batch size.
public struct RunSettings: Sendable, Equatable {
    /// Workers: SMTP connections or Mailjet requests in flight.
    public var concurrency: Int
    /// 0 means no cap.
    public var ratePerMinute: Int
    public var ratePerHour: Int
    public var retry: RetryPolicy
    public var breakerThreshold: Int
    /// Messages per transport call (Mailjet: up to 50).
    public var maxBatchSize: Int
    /// How long after an intent a provider's "not found" is not yet trusted (`[mailjet] lookup_grace_seconds`):
    /// the entry stays in doubt and is looked up again once this much time has passed since its intent.
    public var lookupGrace: TimeInterval = 0

    public init(concurrency: Int = 4, ratePerMinute: Int = 0, ratePerHour: Int = 0, maxAttempts: Int = 5,
                retryBaseSeconds: TimeInterval = 30, retryMaxSeconds: TimeInterval = 1800,
                breakerThreshold: Int = 5, maxBatchSize: Int = 1) {
        self.concurrency = max(1, concurrency)
        self.ratePerMinute = max(0, ratePerMinute)
        self.ratePerHour = max(0, ratePerHour)
        self.retry = RetryPolicy(maxAttempts: max(1, maxAttempts), base: retryBaseSeconds, cap: retryMaxSeconds)
        self.breakerThreshold = max(1, breakerThreshold)
        self.maxBatchSize = max(1, maxBatchSize)
    }

    public init(_ send: PassmailConfig.Send, concurrency: Int? = nil, maxBatchSize: Int) {
        self.init(concurrency: concurrency ?? send.concurrency, ratePerMinute: send.ratePerMinute,
                  ratePerHour: send.ratePerHour, maxAttempts: send.maxAttempts,
                  retryBaseSeconds: send.retryBaseSeconds, retryMaxSeconds: send.retryMaxSeconds,
                  breakerThreshold: send.breakerThreshold, maxBatchSize: maxBatchSize)
    }
}

/// Where one entry of a run stands.
public enum EntryState: Sendable, Equatable {
    case pending
    /// Pass and message being made for this attempt (never journalled: a crash here leaves it pending).
    case rendering(attempt: Int)
    /// The intent is on disk; the transport has it.
    case sending(attempt: Int)
    case sent(messageID: String)
    case failed(reason: String)
    case retrying(reason: String, attempt: Int, nextAttemptAt: Date)
    /// May or may not have been delivered: never resent without the organiser or the provider saying so.
    case inDoubt(reason: String)

    var isFinal: Bool {
        switch self {
        case .sent, .failed, .inDoubt: true
        default: false
        }
    }
}

/// Why `RunController.run()` returned.
public enum RunEnd: Sendable, Equatable {
    case finished
    case cancelled
    /// By the circuit breaker or a journal I/O error.
    case paused(reason: String)
    /// SIGINT/SIGTERM or quit: resumable.
    case stopped
}
