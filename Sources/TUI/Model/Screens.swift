import Foundation
import Engine

/// Which screen is in front; each case carries that screen's own state (glow's sub-models).
public enum Screen: Sendable, Equatable {
    case roster
    case filterPanel(FilterPanel)
    case preview(PreviewScreen)
    case confirmSend(SendPlan)
    case progress
    case summary
    case resumePrompt(ResumePrompt)
}

/// The filter panel (`f`): a cursor over pass-type checkboxes followed by the status choices.
public struct FilterPanel: Sendable, Equatable {
    public var cursor = 0
    public init(cursor: Int = 0) { self.cursor = cursor }
}

/// The preview of one attendee's message (Enter).
public struct PreviewScreen: Sendable, Equatable {
    public var attendeeID: String
    public var content: PreviewContent?
    public var error: String?
    public var writtenPath: String?
    public var scroll = 0
    public init(attendeeID: String) { self.attendeeID = attendeeID }
}

/// What `s` would do, or why it cannot: shown before anything is sent.
public struct SendPlan: Sendable, Equatable {
    public var attendeeIDs: [String]
    /// How many of them were already sent a pass or are in doubt: left out unless `includeSent`.
    public var alreadySent: Int
    /// R on the plan: send to those too (they may get a second email).
    public var includeSent = false
    /// Still checking templates and transport.
    public var checking = true
    /// Problems from the strict check; when non-empty the send cannot start.
    public var problems: [String] = []
    public var problemCount = 0
    /// The run being retried, when this plan came from `r` on the summary.
    public var isRetry = false
    public init(attendeeIDs: [String], alreadySent: Int, isRetry: Bool = false) {
        self.attendeeIDs = attendeeIDs; self.alreadySent = alreadySent; self.isRetry = isRetry
    }
    /// How many messages the run would send.
    public var sendCount: Int { includeSent ? attendeeIDs.count : attendeeIDs.count - alreadySent }
    public var canStart: Bool { !checking && problems.isEmpty && sendCount > 0 }
}

/// Shown first when the workspace holds an unfinished run.
public struct ResumePrompt: Sendable, Equatable {
    public enum Stage: Sendable, Equatable {
        case choose
        /// Asking what to do with the in-doubt entries; never a silent default.
        case inDoubt
    }
    public var info: RunInfo
    public var stage = Stage.choose
    public init(info: RunInfo) { self.info = info }
}

/// A dangerous action waiting for a yes (gitui's queue): only `confirmed` performs it.
public enum ConfirmAction: Sendable, Equatable {
    case cancelRun
    case quitDuringRun
    case abandonRun(runID: String)

    public var title: String {
        switch self {
        case .cancelRun: "Cancel the run?"
        case .quitDuringRun: "Quit passmail?"
        case .abandonRun: "Abandon the unfinished run?"
        }
    }

    public var explanation: String {
        switch self {
        case .cancelRun:
            "Messages already sent stay sent; the rest stay unsent and are not sent later. In-flight messages finish first."
        case .quitDuringRun:
            "Sending stops after the messages in flight. The run stays resumable: reopen passmail or run `passmail resume`."
        case .abandonRun:
            "Nothing more is sent for it; what was sent stays recorded. Unsent attendees can be sent in a new run."
        }
    }
}
