import Foundation
import Engine

/// A run this process is driving (or has just driven): what the progress and summary screens show.
public struct LiveRun: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        /// Waiting for the engine to open the run.
        case starting
        case running
        /// The organiser pressed `p`; the engine is finishing in-flight messages.
        case pausing
        /// Paused; `byEngine` when the engine stopped by itself (breaker, I/O) and the reason matters.
        case paused(reason: String, byEngine: Bool)
        case cancelling
        case ended(RunInfo)
    }

    public var runID: String
    /// Who this run sends to, when known (runs started here; resumed runs don't list them).
    public var attendeeIDs: [String]
    public var startedAt: Date
    public var phase: Phase = .starting
    public var counts = RunCounts()
    public var elapsed: TimeInterval = 0
    public var perMinute: Double = 0
    public var eta: TimeInterval?
    /// Newest last; capped so a 100,000-entry run does not grow without end.
    public var recent: [EntryReport] = []
    /// The latest failure or in-doubt report per attendee, for the summary.
    public var problems: [String: EntryReport] = [:]
    public var problemOrder: [String] = []
    /// Set when the organiser asked for the pause, so an engine `.paused` is not shown as a problem.
    public var pauseRequested = false

    public static let recentLimit = 500

    public init(runID: String, attendeeIDs: [String], startedAt: Date, total: Int = 0) {
        self.runID = runID
        self.attendeeIDs = attendeeIDs
        self.startedAt = startedAt
        counts.total = total
        counts.pending = total
    }

    public var isEnded: Bool { if case .ended = phase { true } else { false } }
    public var isPaused: Bool { if case .paused = phase { true } else { false } }
    /// Running, pausing, paused or cancelling: the engine still holds it.
    public var isLive: Bool { !isEnded }

    public var failedIDs: [String] {
        problemOrder.filter { if case .failed = problems[$0]?.outcome { true } else { false } }
    }
    public var inDoubtIDs: [String] {
        problemOrder.filter { if case .inDoubt = problems[$0]?.outcome { true } else { false } }
    }

    mutating func record(_ report: EntryReport) {
        recent.append(report)
        if recent.count > Self.recentLimit { recent.removeFirst(recent.count - Self.recentLimit) }
        switch report.outcome {
        case .failed, .inDoubt:
            if problems[report.attendeeID] == nil { problemOrder.append(report.attendeeID) }
            problems[report.attendeeID] = report
        case .sent:
            if problems.removeValue(forKey: report.attendeeID) != nil {
                problemOrder.removeAll { $0 == report.attendeeID }
            }
        case .retrying:
            break
        }
    }
}

/// Plain words for why the engine paused, and what the organiser can do about it.
public enum PauseAdvice {
    public static func explain(_ reason: String) -> (what: String, todo: String) {
        let r = reason.lowercased()
        if r.contains("auth") || r.contains("credential") || r.contains("password") || r.contains("535")
            || r.contains("401") || r.contains("api key") {
            return ("The mail server rejected the login.",
                    "Check PASSMAIL_SMTP_PASSWORD (or MJ_APIKEY_PUBLIC / MJ_APIKEY_PRIVATE), restart passmail, then resume.")
        }
        if r.contains("disk") || r.contains("space") || r.contains("enospc") || r.contains("write") {
            return ("passmail could not write its journal or a pass (disk full or not writable).",
                    "Free some disk space, then press p to resume.")
        }
        if r.contains("rate") || r.contains("429") || r.contains("too many") || r.contains("throttl") {
            return ("The provider is limiting how fast passmail may send.",
                    "Wait a few minutes, then press p to resume (or lower send.rate_per_minute).")
        }
        if r.contains("tls") || r.contains("certificate") || r.contains("ssl") {
            return ("The secure connection to the mail server failed.",
                    "Check smtp.security, smtp.port and smtp.ca_file in passmail.toml, restart passmail, then resume.")
        }
        if r.contains("connect") || r.contains("resolve") || r.contains("network") || r.contains("timed out") {
            return ("The mail server could not be reached.",
                    "Check the network and smtp.host / smtp.port, then press p to resume.")
        }
        if r.contains("sender") || r.contains("from") {
            return ("The mail server refused the sender address.",
                    "Check sender.email in passmail.toml (it must be allowed to send), restart passmail, then resume.")
        }
        return ("Sending stopped after repeated failures.", "Fix the cause shown above, then press p to resume.")
    }
}
