import Foundation
import Core
import Mail

// What the controller does with the machine's records: write them (fsync),
// then let the roster and the event stream know; and settling in-doubt entries.

extension RunController {
    /// In-doubt entries another run has delivered since (the roster says sent) are sent here too.
    func settleSentElsewhere() {
        for i in sentElsewhere.sorted() {
            guard case .inDoubt = machine.entries[i] else { continue }
            let mid = MessageIdentity.messageID(runID: runID, attendeeID: header.members[i].attendeeID, domain: header.messageDomain)
            persist(machine.markSent(i, messageID: mid, note: "sent by another run since", now: clock()))
        }
        sentElsewhere = []
    }

    /// Resolves in-doubt entries before sending: by provider lookup when the
    /// transport can, then as the organiser chose.
    func settleInDoubt(_ policy: InDoubtPolicy) async {
        if transport.canLookUp {
            await lookUp(machine.entries.indices.filter {
                if case .inDoubt = machine.entries[$0] { return true }
                return false
            })
        }
        guard policy != .leave else { return }
        for i in machine.entries.indices {
            // One waiting for its grace period is settled by the provider, not by a blanket choice.
            guard case .inDoubt = machine.entries[i], !machine.awaitsLookup(i) else { continue }
            let now = clock()
            switch policy {
            case .resend: persist(machine.resendInDoubt(i, now: now))
            case .markSent:
                let mid = MessageIdentity.messageID(runID: runID, attendeeID: header.members[i].attendeeID, domain: header.messageDomain)
                persist(machine.markSent(i, messageID: mid, now: now))
            case .leave: break
            }
        }
    }

    /// Asks the provider about in-doubt entries (by CustomID) and records the answers.
    func lookUp(_ entries: [Int]) async {
        for i in entries {
            guard case .inDoubt = machine.entries[i] else { continue }
            let customID = MessageIdentity.customID(runID: runID, attendeeID: header.members[i].attendeeID)
            let answer: LookupAnswer
            switch await transport.lookUp(customID: customID) {
            case .found(let mid): answer = .found(messageID: mid)
            case .notFound: answer = .notFound
            case .unknown: answer = .unknown
            }
            persist(machine.lookedUp(i, result: answer, now: clock()))
        }
    }

    // MARK: - Persisting and publishing

    /// Appends and fsyncs records, then lets the roster and the event stream
    /// know. On a journal error the run pauses and `unrecorded` entries go back
    /// to the queue; returns false.
    @discardableResult
    func persist(_ records: [JournalRecord], unrecorded: [Int] = []) -> Bool {
        guard !records.isEmpty else { return true }
        do {
            try journal.append(records)
        } catch {
            let reason = Self.describe(error)
            let before = machine.pauseReason
            machine.journalFailed(reason: reason, entries: unrecorded)
            // Every worker in flight meets the same full disk: say it once.
            if before != reason { eventSink.yield(.paused(reason: reason)) }
            return false
        }
        for r in records { publish(r) }
        return true
    }

    func publish(_ record: JournalRecord) {
        func report(_ e: Int, _ outcome: EntryOutcome, _ at: Date) {
            let m = header.members[e]
            eventSink.yield(.entryFinished(EntryReport(attendeeID: m.attendeeID, name: m.name, email: m.email, outcome: outcome, at: at)))
        }
        func ledger(_ e: Int, _ status: DeliveryStatus, _ at: Date, _ mid: String?, _ error: String?) {
            // The journal is the truth; the roster follows and is reconciled on resume if this fails.
            try? self.ledger.recordDelivery(attendeeID: header.members[e].attendeeID, status: status, at: at, messageID: mid, error: error)
        }
        switch record {
        case .sent(let e, let mid, _, let at):
            ledger(e, .sent, at, mid, nil); meter.recordFinish(at: at); report(e, .sent(messageId: mid), at)
        case .failed(let e, let reason, let at):
            ledger(e, .failed, at, nil, reason); meter.recordFinish(at: at); report(e, .failed(reason: reason), at)
        case .inDoubt(let e, let reason, let at):
            ledger(e, .inDoubt, at, nil, reason)
            // Waiting to be looked up again is not another finished message.
            if !machine.awaitsLookup(e) { meter.recordFinish(at: at) }
            report(e, .inDoubt(reason: reason), at)
        case .sending(let e, _, _, let at):
            // From the intent on, the roster must not say "unsent": if this process dies
            // and the session file is lost, the attendee is not picked up again by accident.
            ledger(e, .inDoubt, at, nil, "being sent in run \(runID)")
        case .retrying(let e, let reason, let attempt, let next, let at):
            ledger(e, .unsent, at, nil, reason)
            report(e, .retrying(reason: reason, attempt: attempt, nextAttemptAt: next), at)
        case .pending(let e, _, let at):
            ledger(e, .unsent, at, nil, nil)
        case .paused(let reason, _, _):
            eventSink.yield(.paused(reason: reason))
        case .resumed:
            eventSink.yield(.resumed)
        case .header, .cancelled, .finished:
            break
        }
    }

    func publishProgress() {
        let now = clock()
        let c = machine.counts
        let remaining = c.pending + c.retrying + c.inFlight
        let progress = RunProgress(counts: c, elapsed: now.timeIntervalSince(meter.startedAt),
                                   perMinute: meter.perMinute(now: now), eta: meter.eta(remaining: remaining, now: now))
        eventSink.yield(.progress(progress))
    }
}
