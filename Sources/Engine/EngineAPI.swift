import Foundation
import Core
import Mail

// CONTRACT (written first so the TUI and the CLI can build against it): these
// public signatures stay; members may be added.

/// Where a run stands as a whole.
public enum RunState: String, Sendable, Codable, Equatable {
    case running, paused, finished, cancelled
}

/// Counts over a run's entries; `pending` includes entries not yet attempted.
public struct RunCounts: Sendable, Equatable, Codable {
    public var total = 0
    public var sent = 0
    public var failed = 0
    public var retrying = 0
    public var inDoubt = 0
    public var pending = 0
    /// Rendering or sending right now.
    public var inFlight = 0
    public init() {}
    /// Entries that reached an end state (sent, failed, in doubt).
    public var done: Int { sent + failed + inDoubt }
}

/// A run as listed by `passmail runs` and shown by the resume prompt.
public struct RunInfo: Sendable, Equatable {
    public var id: String
    public var state: RunState
    public var counts: RunCounts
    /// e.g. "smtp (smtp.example.org:587)"
    public var transport: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var pauseReason: String?
    public init(id: String, state: RunState, counts: RunCounts, transport: String, startedAt: Date,
                finishedAt: Date? = nil, pauseReason: String? = nil) {
        self.id = id; self.state = state; self.counts = counts; self.transport = transport
        self.startedAt = startedAt; self.finishedAt = finishedAt; self.pauseReason = pauseReason
    }
}

/// How one entry ended up after an attempt, for the scrolling outcome list.
public enum EntryOutcome: Sendable, Equatable {
    case sent(messageId: String)
    case failed(reason: String)
    case retrying(reason: String, attempt: Int, nextAttemptAt: Date)
    case inDoubt(reason: String)
}

public struct EntryReport: Sendable, Equatable {
    public var attendeeID: String
    public var name: String
    public var email: String
    public var outcome: EntryOutcome
    public var at: Date
    public init(attendeeID: String, name: String, email: String, outcome: EntryOutcome, at: Date) {
        self.attendeeID = attendeeID; self.name = name; self.email = email; self.outcome = outcome; self.at = at
    }
}

/// Live figures for progress bars and ETA.
public struct RunProgress: Sendable, Equatable {
    public var counts: RunCounts
    public var elapsed: TimeInterval
    /// Entries finished per minute over the last minute.
    public var perMinute: Double
    /// nil until there is a rate to go on.
    public var eta: TimeInterval?
    public init(counts: RunCounts, elapsed: TimeInterval, perMinute: Double, eta: TimeInterval?) {
        self.counts = counts; self.elapsed = elapsed; self.perMinute = perMinute; self.eta = eta
    }
}

/// What the engine publishes; the TUI and the headless progress line both consume it.
public enum EngineEvent: Sendable, Equatable {
    case entryFinished(EntryReport)
    case progress(RunProgress)
    /// Paused by the circuit breaker, an I/O error, or the organiser.
    case paused(reason: String)
    case resumed
    /// The run ended (finished or cancelled): final info.
    case ended(RunInfo)
}

/// What to do with entries that may or may not have been delivered.
public enum InDoubtPolicy: String, Sendable, CaseIterable {
    case resend
    case markSent = "mark-sent"
    case leave
}

// `RunController` (Controller/RunController.swift) and `RunCatalog` (Controller/RunCatalog.swift)
// keep the signatures first written here.
