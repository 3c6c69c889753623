import Foundation
import Core
import Roster

extension RunCatalog {
    /// Ends a run that no process is sending: unsent entries stay unsent in the
    /// roster; entries caught mid-send are recorded as in doubt first.
    public static func cancel(workspace: Workspace, runID: String?) throws -> RunInfo {
        let sessions = workspace.sessionsURL
        let id = try pickUnfinished(sessions: sessions, runID: runID, for: "cancel")
        let lock = try RunLock.acquire(runID: id, in: sessions)
        defer { lock.release() }
        let loaded = try LoadedSession.load(SessionJournal.url(for: id, in: sessions))
        var machine: RunMachine
        do { machine = try RunMachine(replaying: loaded.records, settings: RunSettings()) } catch {
            throw PassmailError.data("\(loaded.url.path) record \(error.recordIndex + 1): \(error.message)")
        }
        switch machine.runState {
        case .finished: throw PassmailError.usage("run \(id) has already finished; there is nothing to cancel")
        case .cancelled: throw PassmailError.usage("run \(id) was already cancelled")
        case .running, .paused: break
        }
        let now = Date()
        let interrupted = machine.interrupted
        var records = machine.reopen(now: now).filter { if case .resumed = $0 { return false }; return true }
        records += machine.cancel(now: now)
        let journal = try SessionJournal.open(loaded)
        defer { journal.close() }
        try journal.append(records)
        if !interrupted.isEmpty, let roster = try? RosterStore(workspace: workspace) {
            for i in interrupted {
                try? roster.recordDelivery(id: loaded.header.members[i].attendeeID, status: .inDoubt, at: now, messageId: nil,
                                           error: RunMachine.interruptedReason)
            }
        }
        return RunInfo(id: id, state: .cancelled, counts: machine.counts, transport: loaded.header.transportName,
                       startedAt: loaded.header.created, finishedAt: now, pauseReason: nil)
    }
}
