import Foundation
import Core

/// What the interface knows about the workspace that does not change while it runs.
public struct AppContext: Sendable, Equatable {
    public var eventName: String
    public var eventDate: String
    /// "smtp (smtp.example.org)", "mailjet", "outbox (outbox)".
    public var transportLabel: String
    public var concurrency: Int
    /// Seconds one message usually takes on one connection, for the send estimate.
    public var secondsPerMessage: Double
    /// Provider rate cap, messages per minute (0: none).
    public var ratePerMinute: Int
    /// Dates in the table and prompts are shown in this zone (the organiser's).
    public var timeZone: TimeZone
    /// "Now" at launch: decides between "14:02" and "3 Dec 14:02".
    public var now: Date

    public init(eventName: String = "My Event", eventDate: String = "", transportLabel: String = "outbox (outbox)",
                concurrency: Int = 4, secondsPerMessage: Double = 1, ratePerMinute: Int = 0,
                timeZone: TimeZone = .current, now: Date = Date()) {
        self.eventName = eventName; self.eventDate = eventDate; self.transportLabel = transportLabel
        self.concurrency = concurrency; self.secondsPerMessage = secondsPerMessage; self.ratePerMinute = ratePerMinute
        self.timeZone = timeZone; self.now = now
    }

    /// Reads the workspace's configuration.
    public init(config: PassmailConfig, now: Date = Date(), timeZone: TimeZone = .current) {
        let label: String
        let perMessage: Double
        switch config.transport {
        case .smtp:
            label = "smtp (\(config.smtp.host.isEmpty ? "no host set" : config.smtp.host))"
            perMessage = 1.5
        case .mailjet:
            label = config.mailjet.sandbox ? "mailjet (sandbox)" : "mailjet"
            perMessage = 0.5
        case .outbox:
            label = "outbox (\(config.outbox.dir))"
            perMessage = Double(config.outbox.delayMs) / 1000 + 0.05
        }
        self.init(eventName: config.event.name, eventDate: config.event.date, transportLabel: label,
                  concurrency: config.send.concurrency, secondsPerMessage: perMessage,
                  ratePerMinute: config.send.ratePerMinute, timeZone: timeZone, now: now)
    }

    /// Roughly how long sending `count` messages takes: parallel connections, capped by the rate limit.
    public func estimatedDuration(count: Int) -> TimeInterval {
        let parallel = Double(count) * secondsPerMessage / Double(max(1, concurrency))
        let capped = ratePerMinute > 0 ? Double(count) / Double(ratePerMinute) * 60 : 0
        return max(parallel, capped)
    }
}

/// Short human wording for durations, dates and sizes.
public enum Wording {
    /// "under a minute", "about 3 min", "about 2 h 10 min".
    public static func estimate(_ t: TimeInterval) -> String {
        if t < 60 { return "under a minute" }
        let minutes = Int((t / 60).rounded())
        if minutes < 90 { return "about \(minutes) min" }
        return "about \(minutes / 60) h \(minutes % 60) min"
    }

    /// "0:42", "12:05", "1:02:09".
    public static func clock(_ t: TimeInterval) -> String {
        let s = max(0, Int(t.rounded()))
        if s >= 3600 { return String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60) }
        return String(format: "%d:%02d", s / 60, s % 60)
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "12 Mar".
    public static func day(_ d: Date, in zone: TimeZone) -> String {
        let c = calendar(zone).dateComponents([.day, .month], from: d)
        return "\(c.day ?? 0) \(months[(c.month ?? 1) - 1])"
    }

    /// "14:02" today, else "3 Dec 14:02".
    public static func time(_ d: Date, now: Date, in zone: TimeZone) -> String {
        let cal = calendar(zone)
        let c = cal.dateComponents([.hour, .minute], from: d)
        let hm = String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
        return cal.isDate(d, inSameDayAs: now) ? hm : "\(day(d, in: zone)) \(hm)"
    }

    /// "84 KB", "1.2 MB".
    public static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) bytes" }
        if n < 1024 * 1024 { return "\(Int((Double(n) / 1024).rounded())) KB" }
        return String(format: "%.1f MB", Double(n) / 1_048_576)
    }

    static func calendar(_ zone: TimeZone) -> Calendar {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        return cal
    }

    /// "1 pass", "66 passes".
    public static func count(_ n: Int, _ singular: String, _ plural: String) -> String {
        "\(n) \(n == 1 ? singular : plural)"
    }
}
