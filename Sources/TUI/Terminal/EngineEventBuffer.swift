import Foundation
import Engine

/// Engine events waiting for the loop, with at most one wake-up in the inbox at a time.
///
/// A fast run reports two events per message; one inbox entry and one redraw per
/// event let a backlog grow behind which key presses (and Ctrl-C) waited for
/// minutes on a 100,000-attendee roster. The loop now takes everything that arrived
/// since it last looked, applies it in order, and draws once.
final class EngineEventBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [EngineEvent] = []

    /// Adds an event; true when the buffer was empty, i.e. the loop needs a wake-up.
    func append(_ event: EngineEvent) -> Bool {
        lock.lock(); defer { lock.unlock() }
        events.append(event)
        return events.count == 1
    }

    /// Everything that arrived, oldest first; the buffer is empty afterwards.
    func drain() -> [EngineEvent] {
        lock.lock(); defer { lock.unlock() }
        let out = events
        events = []
        return out
    }
}
