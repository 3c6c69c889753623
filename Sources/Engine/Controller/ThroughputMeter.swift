import Foundation

/// Entries finished per minute over the last minute, and the ETA it implies.
///
/// Pure: times are passed in, so progress lines are testable.
public struct ThroughputMeter: Sendable {
    public let startedAt: Date
    private var finishes: [Date] = []
    private var head = 0

    public init(startedAt: Date) { self.startedAt = startedAt }

    public mutating func recordFinish(at t: Date) { finishes.append(t) }

    public mutating func perMinute(now: Date) -> Double {
        let windowStart = now.addingTimeInterval(-60)
        while head < finishes.count, finishes[head] < windowStart { head += 1 }
        if head > 4096 { finishes.removeFirst(head); head = 0 }
        let n = Double(finishes.count - head)
        let span = min(60, max(now.timeIntervalSince(startedAt), 1))
        return n * 60 / span
    }

    /// Seconds left for `remaining` entries; nil until there is a rate.
    public mutating func eta(remaining: Int, now: Date) -> TimeInterval? {
        let rate = perMinute(now: now)
        guard rate > 0 else { return remaining == 0 ? 0 : nil }
        return Double(remaining) / rate * 60
    }
}
