import Foundation
import Core

/// Decides everything about a run and does nothing: no I/O, no clock.
///
/// The `RunController` actor asks for work (`nextWork(now:)`), performs it —
/// journal, render, transport — and feeds what happened back through one
/// `mutating func` per event. Each returns the journal records the owner must
/// persist, so what is on disk is exactly the sequence of decisions made here,
/// and replaying it (`init(replaying:)`) rebuilds the same machine after a crash.
public struct RunMachine: Sendable {
    /// Entries handed to one worker: render them, record their intents, send them in one call.
    public struct Batch: Sendable, Equatable {
        public var entries: [Int]
        public var attempts: [Int]
    }

    public enum Work: Sendable, Equatable {
        case dispatch(Batch)
        /// Nothing to start now: wait for an outcome, a command, or this time (rate limit, retry due).
        case wait(until: Date?)
        /// The run stopped taking work; persist `record` if any.
        case ended(RunEnd, record: JournalRecord?)
    }

    enum State: Sendable, Equatable {
        case running
        case paused(reason: String, byOrganiser: Bool)
        case stopping
        case cancelled
        case finished
    }

    public let settings: RunSettings
    public private(set) var entries: [EntryState]
    public private(set) var counts = RunCounts()
    /// Attempts made so far, per entry; survives requeueing.
    var attemptsMade: [Int]
    var state: State = .running
    /// No pending entry sits below this index.
    var cursor = 0
    private var retrying: Set<Int> = []
    /// When each retrying entry's next attempt time was decided; a clock found
    /// behind it (stepped back) shifts the attempt back by as much.
    var retryDecidedAt: [Int: Date] = [:]
    private var workers = 0
    private var minuteBucket: TokenBucket?
    private var hourBucket: TokenBucket?
    private var breaker: CircuitBreaker
    private let random: @Sendable () -> Double
    /// When each entry's latest intent (`sending` record) was made: the grace period of a lookup counts from it.
    var intentAt: [Int: Date] = [:]
    /// In-doubt entries the provider did not list yet, and when to ask again (intent + grace).
    public internal(set) var lookupDue: [Int: Date] = [:]
    /// Entries found mid-send when the journal was replayed; `reopen` records them as in doubt.
    public internal(set) var interrupted: [Int] = []

    public init(entryCount: Int, settings: RunSettings, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.settings = settings
        entries = Array(repeating: .pending, count: entryCount)
        attemptsMade = Array(repeating: 0, count: entryCount)
        breaker = CircuitBreaker(threshold: settings.breakerThreshold)
        if settings.ratePerMinute > 0 { minuteBucket = TokenBucket(ratePerMinute: settings.ratePerMinute) }
        if settings.ratePerHour > 0 { hourBucket = TokenBucket(ratePerHour: settings.ratePerHour) }
        self.random = random
        counts.total = entryCount
        counts.pending = entryCount
    }

    // MARK: - Where the run stands

    public var runState: RunState {
        switch state {
        case .running, .stopping: .running
        case .paused: .paused
        case .cancelled: .cancelled
        case .finished: .finished
        }
    }

    public var pauseReason: String? {
        if case .paused(let r, _) = state { return r }
        return nil
    }

    public var workersBusy: Int { workers }
    public func attempts(of entry: Int) -> Int { attemptsMade[entry] }

    // MARK: - Asking for work

    public mutating func nextWork(now: Date) -> Work {
        switch state {
        case .finished: return .ended(.finished, record: nil)
        case .cancelled: return workers > 0 ? .wait(until: nil) : .ended(.cancelled, record: nil)
        case .stopping: return workers > 0 ? .wait(until: nil) : .ended(.stopped, record: nil)
        case .paused(let reason, let byOrganiser):
            if workers > 0 || byOrganiser { return .wait(until: nil) }
            return .ended(.paused(reason: reason), record: nil)
        case .running: break
        }
        if workers >= settings.concurrency { return .wait(until: nil) }

        var due: [(Date, Int)] = []
        var earliestLater: Date?
        for i in retrying {
            guard case .retrying(let reason, let attempt, var at) = entries[i] else { preconditionFailure("entry \(i) in the retry set is \(entries[i])") }
            if let decided = retryDecidedAt[i], now < decided {
                at = now.addingTimeInterval(at.timeIntervalSince(decided))
                entries[i] = .retrying(reason: reason, attempt: attempt, nextAttemptAt: at)
                retryDecidedAt[i] = now
            }
            if at <= now { due.append((at, i)) } else if earliestLater.map({ at < $0 }) ?? true { earliestLater = at }
        }
        // An entry waiting to be looked up again keeps the run open until then.
        for at in lookupDue.values where earliestLater.map({ at < $0 }) ?? true { earliestLater = max(at, now) }
        due.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        while cursor < entries.count, entries[cursor] != .pending { cursor += 1 }
        let hasPending = cursor < entries.count

        if due.isEmpty && !hasPending {
            if let earliestLater { return .wait(until: earliestLater) }
            if workers > 0 { return .wait(until: nil) }
            state = .finished
            return .ended(.finished, record: .finished(at: now))
        }

        var allowed = settings.maxBatchSize
        for keyPath in [\RunMachine.minuteBucket, \RunMachine.hourBucket] {
            guard var bucket = self[keyPath: keyPath] else { continue }
            let available = bucket.available(now: now)
            if available < 1 {
                let next = bucket.nextTokenAt(now: now)
                self[keyPath: keyPath] = bucket
                return .wait(until: next)
            }
            allowed = min(allowed, available)
            self[keyPath: keyPath] = bucket
        }

        var batch = Batch(entries: [], attempts: [])
        for (_, i) in due where batch.entries.count < allowed {
            retrying.remove(i)
            take(i, into: &batch)
        }
        while batch.entries.count < allowed && cursor < entries.count {
            if entries[cursor] == .pending { take(cursor, into: &batch) }
            cursor += 1
        }
        minuteBucket?.take(batch.entries.count, now: now)
        hourBucket?.take(batch.entries.count, now: now)
        workers += 1
        return .dispatch(batch)
    }

    private mutating func take(_ i: Int, into batch: inout Batch) {
        let attempt = attemptsMade[i] + 1
        set(i, .rendering(attempt: attempt))
        batch.entries.append(i)
        batch.attempts.append(attempt)
    }

    // MARK: - Events of one entry

    /// The message is ready; returns the intent to persist (fsync) before calling the transport.
    public mutating func readyToSend(_ i: Int, messageID: String, now: Date) -> JournalRecord {
        guard case .rendering(let attempt) = entries[i] else { preconditionFailure("entry \(i) ready to send while \(entries[i])") }
        set(i, .sending(attempt: attempt))
        attemptsMade[i] = attempt
        intentAt[i] = now
        return .sending(entry: i, attempt: attempt, messageID: messageID, at: now)
    }

    /// Whether a message rendered now may still go out: only while running.
    /// A pause, stop or cancel that lands during rendering keeps it back.
    public var acceptsSends: Bool {
        if case .running = state { return true }
        return false
    }

    /// A rendered entry is not sent after all (the run paused, stopped or was
    /// cancelled meanwhile): back to the queue; nothing was recorded, nothing left.
    public mutating func renderAbandoned(_ i: Int) {
        guard case .rendering = entries[i] else { preconditionFailure("entry \(i) abandoned while \(entries[i])") }
        requeue(i)
    }

    /// The pass or message for this attendee could not be made: the entry fails with the reason.
    public mutating func renderFailed(_ i: Int, reason: String, now: Date) -> [JournalRecord] {
        guard case .rendering = entries[i] else { preconditionFailure("entry \(i) render failed while \(entries[i])") }
        set(i, .failed(reason: reason))
        var records: [JournalRecord] = [.failed(entry: i, reason: reason, at: now)]
        if breaker.failure(.permanent(reason: reason), entry: i) {
            records += pauseForBreaker("\(breaker.count) messages in a row could not be prepared; last: \(reason)", now: now)
        }
        return records
    }

    /// The transport said how the attempt ended.
    public mutating func sendCompleted(_ i: Int, outcome: DeliveryOutcome, now: Date) -> [JournalRecord] {
        guard case .sending(let attempt) = entries[i] else { preconditionFailure("entry \(i) completed while \(entries[i])") }
        var records: [JournalRecord] = []
        switch outcome {
        case .sent(let mid):
            set(i, .sent(messageID: mid))
            breaker.success()
            return [.sent(entry: i, messageID: mid, note: nil, at: now)]
        case .transient(let reason, let retryAfter):
            if attempt >= settings.retry.maxAttempts {
                let r = "gave up after \(attempt) attempt\(attempt == 1 ? "" : "s"): \(reason)"
                set(i, .failed(reason: r))
                records.append(.failed(entry: i, reason: r, at: now))
            } else {
                let delay = settings.retry.delay(afterAttempt: attempt, retryAfter: retryAfter, random: random())
                let next = now.addingTimeInterval(delay)
                set(i, .retrying(reason: reason, attempt: attempt, nextAttemptAt: next))
                retryDecidedAt[i] = now
                records.append(.retrying(entry: i, reason: reason, attempt: attempt, nextAttemptAt: next, at: now))
            }
        case .permanent(let reason):
            set(i, .failed(reason: reason))
            records.append(.failed(entry: i, reason: reason, at: now))
        case .inDoubt(let reason):
            set(i, .inDoubt(reason: reason))
            records.append(.inDoubt(entry: i, reason: reason, at: now))
        case .fatal(let reason):
            // Nothing was accepted and nothing will be until the organiser fixes something:
            // the entry goes back to the queue and the run pauses with the reason.
            requeue(i)
            records.append(.pending(entry: i, reason: "not sent: \(reason)", at: now))
            if case .running = state {
                breaker.reset()
                state = .paused(reason: reason, byOrganiser: false)
                records.append(.paused(reason: reason, byOrganiser: false, at: now))
            }
            return records
        }
        if breaker.failure(outcome, entry: i) {
            records += pauseForBreaker("\(breaker.count) consecutive failures of the same kind; last: \(outcome.reason ?? "")", now: now)
        }
        return records
    }

    private mutating func pauseForBreaker(_ reason: String, now: Date) -> [JournalRecord] {
        guard case .running = state else { return [] }
        breaker.reset()
        state = .paused(reason: reason, byOrganiser: false)
        return [.paused(reason: reason, byOrganiser: false, at: now)]
    }

    /// A worker finished its batch (every entry has an outcome or went back to the queue).
    public mutating func workerFinished() {
        precondition(workers > 0, "workerFinished without a worker")
        workers -= 1
    }

    /// The journal could not be written: nothing more may be sent. Entries whose
    /// intent is not known to be on disk go back to the queue; the run pauses.
    public mutating func journalFailed(reason: String, entries unrecorded: [Int]) {
        for i in unrecorded {
            switch entries[i] {
            case .rendering(let attempt), .sending(let attempt):
                attemptsMade[i] = attempt - 1
                requeue(i)
            default: break
            }
        }
        switch state {
        case .running, .paused: state = .paused(reason: reason, byOrganiser: false)
        default: break
        }
    }

    // MARK: - The organiser

    public mutating func pause(reason: String = "paused by the organiser", now: Date) -> [JournalRecord] {
        guard case .running = state else { return [] }
        state = .paused(reason: reason, byOrganiser: true)
        return [.paused(reason: reason, byOrganiser: true, at: now)]
    }

    public mutating func resume(now: Date) -> [JournalRecord] {
        guard case .paused = state else { return [] }
        state = .running
        breaker.reset()
        return [.resumed(at: now)]
    }

    /// Ends the run: unsent entries stay unsent, in-flight ones still get their outcome.
    public mutating func cancel(now: Date) -> [JournalRecord] {
        switch state {
        case .running, .paused, .stopping:
            state = .cancelled
            return [.cancelled(at: now)]
        case .cancelled, .finished:
            return []
        }
    }

    /// Stop taking entries; the run stays resumable.
    public mutating func stop() {
        switch state {
        case .running, .paused: state = .stopping
        default: break
        }
    }

    // MARK: - Bookkeeping

    mutating func set(_ i: Int, _ new: EntryState) {
        adjust(entries[i], by: -1)
        if case .retrying = entries[i] { retrying.remove(i) }
        entries[i] = new
        adjust(new, by: 1)
        if case .retrying = new { retrying.insert(i) }
    }

    private mutating func adjust(_ s: EntryState, by d: Int) {
        switch s {
        case .pending: counts.pending += d
        case .rendering, .sending: counts.inFlight += d
        case .sent: counts.sent += d
        case .failed: counts.failed += d
        case .retrying: counts.retrying += d
        case .inDoubt: counts.inDoubt += d
        }
    }
}
