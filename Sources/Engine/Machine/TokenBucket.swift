import Foundation

/// A token bucket for `rate_per_minute` / `rate_per_hour`; time is passed in.
///
/// The bucket holds at most a small burst (a second's worth of the per-minute
/// rate, a minute's worth of the per-hour rate, at least one), so in any window
/// of length T no more than burst + rate·T messages leave: polite to providers
/// that count in sliding windows.
public struct TokenBucket: Sendable, Equatable {
    public let perSecond: Double
    public let capacity: Double
    private(set) var tokens: Double
    private(set) var updatedAt: Date?

    public init(ratePerMinute: Int) {
        perSecond = Double(ratePerMinute) / 60
        capacity = max(1, (Double(ratePerMinute) / 60).rounded(.up))
        tokens = capacity
    }

    public init(ratePerHour: Int) {
        perSecond = Double(ratePerHour) / 3600
        capacity = max(1, (Double(ratePerHour) / 60).rounded(.up))
        tokens = capacity
    }

    /// A clock stepped back (NTP, a restored VM) restarts the count from `now`
    /// rather than waiting, tokenless, until the clock is back where it was.
    mutating func refill(now: Date) {
        if let updatedAt, now > updatedAt {
            tokens = min(capacity, tokens + now.timeIntervalSince(updatedAt) * perSecond)
        }
        updatedAt = now
    }

    /// Whole tokens available now.
    public mutating func available(now: Date) -> Int {
        refill(now: now)
        return Int((tokens + 1e-9).rounded(.down))
    }

    public mutating func take(_ n: Int, now: Date) {
        refill(now: now)
        tokens -= Double(n)
    }

    /// When the next whole token will be there.
    public mutating func nextTokenAt(now: Date) -> Date {
        refill(now: now)
        let missing = 1 - tokens
        if missing <= 0 { return now }
        return now.addingTimeInterval(missing / perSecond)
    }
}
