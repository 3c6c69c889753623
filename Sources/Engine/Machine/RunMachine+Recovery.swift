import Foundation
import Core

// In-doubt resolution and crash recovery: the events that come from the
// provider, the organiser, or a journal replayed after a crash.

extension RunMachine {
    // MARK: - In-doubt entries

    /// The provider was asked about an in-doubt entry.
    public mutating func lookedUp(_ i: Int, result: LookupAnswer, now: Date) -> [JournalRecord] {
        guard case .inDoubt = entries[i] else { preconditionFailure("lookup of entry \(i) while \(entries[i])") }
        lookupDue[i] = nil
        switch result {
        case .found(let mid):
            set(i, .sent(messageID: mid))
            return [.sent(entry: i, messageID: mid, note: "confirmed by the provider", at: now)]
        case .notFound:
            // A just-accepted message may be listed only after a while: an early "not found" proves nothing.
            if let intent = intentAt[i], settings.lookupGrace > 0, now < intent.addingTimeInterval(settings.lookupGrace) {
                let again = intent.addingTimeInterval(settings.lookupGrace)
                let reason = RunMachine.awaitingLookupReason(until: again)
                lookupDue[i] = again
                set(i, .inDoubt(reason: reason))
                var records: [JournalRecord] = [.inDoubt(entry: i, reason: reason, at: now)]
                if case .finished = state {
                    state = .running
                    records.append(.resumed(at: now))
                }
                return records
            }
            return requeueRecords(i, reason: "the provider never received it", now: now)
        case .unknown:
            return []
        }
    }

    /// In-doubt entries whose grace period has passed: the controller asks the provider about them again.
    public func lookupsDue(now: Date) -> [Int] {
        lookupDue.filter { $0.value <= now }.keys.sorted()
    }

    /// Whether an in-doubt entry is waiting for its grace period before being looked up again.
    public func awaitsLookup(_ i: Int) -> Bool { lookupDue[i] != nil }

    static func awaitingLookupReason(until: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "HH:mm"
        return "waiting until \(f.string(from: until)) to ask Mailjet again (messages can take a few minutes to appear)"
    }

    /// The organiser chose to send an in-doubt entry again.
    public mutating func resendInDoubt(_ i: Int, now: Date) -> [JournalRecord] {
        guard case .inDoubt = entries[i] else { preconditionFailure("resend of entry \(i) while \(entries[i])") }
        return requeueRecords(i, reason: "the organiser chose to resend it", now: now)
    }

    /// The organiser says an in-doubt entry did arrive.
    public mutating func markSent(_ i: Int, messageID: String, note: String = "marked sent by the organiser", now: Date) -> [JournalRecord] {
        guard case .inDoubt = entries[i] else { preconditionFailure("mark-sent of entry \(i) while \(entries[i])") }
        set(i, .sent(messageID: messageID))
        return [.sent(entry: i, messageID: messageID, note: note, at: now)]
    }

    mutating func requeueRecords(_ i: Int, reason: String, now: Date) -> [JournalRecord] {
        requeue(i)
        var records: [JournalRecord] = [.pending(entry: i, reason: reason, at: now)]
        if case .finished = state {
            state = .running
            records.append(.resumed(at: now))
        }
        return records
    }

    mutating func requeue(_ i: Int) {
        set(i, .pending)
        cursor = min(cursor, i)
    }
}

/// What a provider lookup said, in the machine's terms (mirrors `LookupResult`).
public enum LookupAnswer: Sendable, Equatable {
    case found(messageID: String)
    case notFound
    case unknown
}

// MARK: - Replay

extension RunMachine {
    public struct ReplayError: Error, Equatable {
        public var recordIndex: Int
        public var message: String
    }

    /// Rebuilds the machine from a journal (header first). An entry whose last
    /// record is `sending` becomes in doubt — listed in `interrupted` for `reopen`.
    public init(replaying records: [JournalRecord], settings: RunSettings,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) throws(ReplayError) {
        guard case .header(let header)? = records.first else {
            throw ReplayError(recordIndex: 0, message: "the first record is not the run header")
        }
        self.init(entryCount: header.members.count, settings: settings, random: random)
        for (k, r) in records.enumerated().dropFirst() {
            if let e = r.entry, e < 0 || e >= entries.count {
                throw ReplayError(recordIndex: k, message: "entry \(e) does not exist (the run has \(entries.count))")
            }
            switch r {
            case .header: throw ReplayError(recordIndex: k, message: "a second run header")
            case .sending(let e, let a, _, let at): set(e, .sending(attempt: a)); attemptsMade[e] = a; intentAt[e] = at
            case .sent(let e, let mid, _, _): set(e, .sent(messageID: mid))
            case .failed(let e, let reason, _): set(e, .failed(reason: reason))
            case .retrying(let e, let reason, let a, let next, let at):
                set(e, .retrying(reason: reason, attempt: a, nextAttemptAt: next)); attemptsMade[e] = max(attemptsMade[e], a)
                retryDecidedAt[e] = at
            case .inDoubt(let e, let reason, _): set(e, .inDoubt(reason: reason))
            case .pending(let e, _, _): set(e, .pending)
            case .paused(let reason, let org, _): state = .paused(reason: reason, byOrganiser: org)
            case .resumed: state = .running
            case .cancelled: state = .cancelled
            case .finished: state = .finished
            }
        }
        cursor = 0
        for i in entries.indices {
            if case .sending = entries[i] {
                set(i, .inDoubt(reason: RunMachine.interruptedReason))
                interrupted.append(i)
            }
        }
    }

    public static let interruptedReason =
        "interrupted while sending: the process stopped before the server's answer was recorded"

    /// Starts a new working session on a replayed run: records the interrupted
    /// entries as in doubt and marks the run running again.
    public mutating func reopen(now: Date) -> [JournalRecord] {
        var records = interrupted.map { JournalRecord.inDoubt(entry: $0, reason: RunMachine.interruptedReason, at: now) }
        interrupted = []
        switch state {
        case .running, .paused:
            state = .running
            records.append(.resumed(at: now))
        case .finished, .cancelled, .stopping:
            break
        }
        return records
    }
}
