import Foundation
import Core
import Engine
import Mail
import Roster

/// Everything that can happen to the interface, in one inbox: keys, resizes, engine events, finished effects.
///
/// Past tense or nouns: these describe what happened; `update` decides what it means.
public enum Msg: Sendable {
    case keyPressed(Key)
    case resized(width: Int, height: Int)
    /// Once a second while a run is live, so elapsed time moves between events.
    case tick(Date)
    case engine(EngineEvent)
    /// The roster (re)loaded from the store, already indexed (folding is done off the main actor).
    case rosterLoaded(RosterIndex, passTypes: [String])
    /// The first screenful of the roster (roster order) and the true total, read with a cheap
    /// LIMIT query so rows are on screen before the full roster is loaded and indexed.
    case rosterFirstPage([Attendee], total: Int)
    /// Reading the full roster failed (the reason, for the status line).
    case rosterLoadFailed(String)
    case previewReady(PreviewContent)
    case previewFailed(attendeeID: String, reason: String)
    case passWritten(attendeeID: String, path: String)
    /// The strict template check (and transport check) for a planned send finished.
    case sendChecked(problems: [String], problemCount: Int)
    case runStarted(runID: String, attendeeIDs: [String], startedAt: Date)
    case runFailedToStart(reason: String)
    /// `RunController.run()` returned (finished, cancelled, or stopped/paused).
    case runReturned(RunInfo)
    case runAbandoned(runID: String)
    case reportExported(path: String)
    /// Any effect that failed in a way the organiser should read.
    case effectFailed(String)
    /// Something worth knowing that is not an error (e.g. the engine left attendees out).
    case notice(String)
    /// SIGTERM / SIGHUP: leave like Ctrl-C, without asking.
    case terminationRequested
}

/// The rendered preview of one attendee's message and pass.
public struct PreviewContent: Sendable, Equatable {
    public var attendeeID: String
    public var to: String
    public var subject: String
    public var text: String
    public var attachmentName: String
    public var attachmentBytes: Int
    public var humanCode: String
    public init(attendeeID: String, to: String, subject: String, text: String, attachmentName: String,
                attachmentBytes: Int, humanCode: String) {
        self.attendeeID = attendeeID; self.to = to; self.subject = subject; self.text = text
        self.attachmentName = attachmentName; self.attachmentBytes = attachmentBytes; self.humanCode = humanCode
    }
}
