import Engine

/// What `update` asks the loop to do: side effects as values, so every screen tests without a terminal.
///
/// Imperatives, carried out by `TUIApp`; their results come back as `Msg`s.
public enum Effect: Sendable, Equatable {
    /// Run the strict template check and transport check for these attendees.
    case checkSend(attendeeIDs: [String])
    /// `resend`: include attendees already sent or in doubt (the organiser pressed R on the plan).
    case startRun(attendeeIDs: [String], resend: Bool)
    case resumeRun(runID: String, inDoubt: InDoubtPolicy)
    /// Cancel an unfinished run from an earlier session without sending.
    case abandonRun(runID: String)
    case pause
    case resume
    case cancelRun
    case renderPreview(attendeeID: String)
    case writePass(attendeeID: String)
    /// Write a CSV of these attendees' delivery records for the run.
    case exportReport(runID: String, attendeeIDs: [String])
    case reloadRoster
    /// Leave the program; a live run is stopped gracefully and stays resumable.
    case quit
}
