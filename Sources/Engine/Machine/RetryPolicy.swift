import Foundation
import Core

/// When to try a transient failure again, and when to stop trying.
///
/// Exponential backoff from `retry_base_seconds`, doubling per attempt up to
/// `retry_max_seconds`, with "equal jitter" (half fixed, half random) so many
/// entries failing together don't come back together; a server's Retry-After
/// is a floor, never shortened.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var base: TimeInterval
    public var cap: TimeInterval

    public init(maxAttempts: Int, base: TimeInterval, cap: TimeInterval) {
        self.maxAttempts = maxAttempts; self.base = base; self.cap = max(cap, 0)
    }

    /// Delay before attempt `attempt + 1`, after attempt `attempt` (1-based) failed.
    /// `random` is in 0..<1.
    public func delay(afterAttempt attempt: Int, retryAfter: TimeInterval?, random: Double) -> TimeInterval {
        let exp = base * pow(2, Double(max(0, attempt - 1)))
        let ceiling = min(cap, exp)
        let jittered = ceiling / 2 + ceiling / 2 * min(max(random, 0), 1)
        if let retryAfter, retryAfter > jittered { return retryAfter }
        return jittered
    }
}

/// Trips when the same kind of failure keeps coming back.
///
/// "Kind" is the outcome class plus the status code in the reason (SMTP 451,
/// HTTP 429…), so five different bounced addresses don't trip it, but five
/// "451 try later" in a row do. Only different entries count: one address
/// retried five times is that address's problem (it fails after `max_attempts`),
/// not evidence that the server refuses everyone.
struct CircuitBreaker: Sendable, Equatable {
    var threshold: Int
    private(set) var kind: String?
    private(set) var count = 0
    private var entries: Set<Int> = []

    init(threshold: Int) { self.threshold = threshold }

    /// Records a failure of `entry`; true when this one trips the breaker.
    mutating func failure(_ outcome: DeliveryOutcome, entry: Int? = nil) -> Bool {
        let k = Self.kind(of: outcome)
        if k != kind { kind = k; count = 0; entries = [] }
        if let entry {
            if entries.contains(entry) { return false }
            entries.insert(entry)
        }
        count += 1
        return count >= threshold
    }

    mutating func success() { kind = nil; count = 0; entries = [] }
    mutating func reset() { kind = nil; count = 0; entries = [] }

    static func kind(of outcome: DeliveryOutcome) -> String {
        let cls: String
        switch outcome {
        case .sent: cls = "sent"
        case .transient: cls = "transient"
        case .permanent: cls = "permanent"
        case .inDoubt: cls = "in-doubt"
        case .fatal: cls = "fatal"
        }
        return cls + ":" + statusCode(in: outcome.reason ?? "")
    }

    /// The first three-digit number in a reason ("451", "429"), or the reason's first words.
    static func statusCode(in reason: String) -> String {
        let chars = Array(reason)
        var i = 0
        while i + 3 <= chars.count {
            let before = i == 0 ? " " : chars[i - 1]
            let after = i + 3 < chars.count ? chars[i + 3] : " "
            if chars[i...(i + 2)].allSatisfy({ $0.isASCII && $0.isNumber }), !before.isNumber, !after.isNumber,
               ("2"..."5").contains(chars[i]) {
                return String(chars[i...(i + 2)])
            }
            i += 1
        }
        return String(reason.prefix(24))
    }
}
