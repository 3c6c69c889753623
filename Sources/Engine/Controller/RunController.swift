import Foundation
import Core
import Mail

/// Drives one run: the pure `RunMachine` decides, this actor does the I/O.
///
/// For every entry: render (off the actor), append the `sending` intent and
/// fsync, call the transport, append the outcome and fsync, then update the
/// roster and publish events. If the journal cannot be written, nothing more
/// is sent and the run pauses with the reason.
public actor RunController {
    nonisolated public let runID: String
    nonisolated public let header: RunHeader
    nonisolated public let events: AsyncStream<EngineEvent>
    /// Things the organiser should hear about before sending starts (a torn
    /// record ignored, attendees skipped because already sent, changed templates).
    nonisolated public let notices: [String]

    private let eventSink: AsyncStream<EngineEvent>.Continuation
    private var machine: RunMachine
    private let journal: SessionJournal
    private let lock: RunLock
    private let transport: any MailTransport
    private let renderer: any MessageRenderer
    private let ledger: any DeliveryLedger
    private let clock: @Sendable () -> Date
    private var inDoubtPolicy: InDoubtPolicy?
    /// Records replay decided on (interrupted entries now in doubt, `resumed`), written when `run()` starts.
    private var openingRecords: [JournalRecord]
    private var meter: ThroughputMeter
    private var looping = false
    private var closed = false
    private var finishedAt: Date?
    public private(set) var lastEnd: RunEnd?
    private var waiter: CheckedContinuation<Void, Never>?
    private var wakePending = false

    init(header: RunHeader, machine: RunMachine, journal: SessionJournal, lock: RunLock, transport: any MailTransport,
         renderer: any MessageRenderer, ledger: any DeliveryLedger, inDoubtPolicy: InDoubtPolicy?,
         openingRecords: [JournalRecord], notices: [String],
         clock: @escaping @Sendable () -> Date, finishedAt: Date? = nil) {
        self.runID = header.runID
        self.header = header
        self.machine = machine
        self.journal = journal
        self.lock = lock
        self.transport = transport
        self.renderer = renderer
        self.ledger = ledger
        self.inDoubtPolicy = inDoubtPolicy
        self.openingRecords = openingRecords
        self.notices = notices
        self.clock = clock
        self.finishedAt = finishedAt
        self.meter = ThroughputMeter(startedAt: clock())
        (events, eventSink) = AsyncStream.makeStream(of: EngineEvent.self, bufferingPolicy: .unbounded)
    }

    // MARK: - Commands

    public func pause() {
        persist(machine.pause(now: clock()))
        wake()
    }

    public func resumeSending() {
        persist(machine.resume(now: clock()))
        wake()
    }

    /// Ends the run: unsent entries stay unsent; nothing recorded is lost.
    public func cancel() {
        persist(machine.cancel(now: clock()))
        wake()
    }

    /// SIGINT / quit: stop taking new entries, let in-flight ones finish or become in doubt; the run stays resumable.
    public func stop() {
        machine.stop()
        wake()
    }

    public var counts: RunCounts { machine.counts }
    public var entries: [EntryState] { machine.entries }

    public var info: RunInfo {
        RunInfo(id: runID, state: machine.runState, counts: machine.counts, transport: header.transportName,
                startedAt: header.created, finishedAt: finishedAt, pauseReason: machine.pauseReason)
    }

    // MARK: - The loop

    /// Sends until finished, cancelled, stopped or paused (by the breaker or an
    /// I/O error); returns the final info. After such a pause, calling it again
    /// resumes.
    public func run() async -> RunInfo {
        guard !looping, !closed else { return info }
        looping = true
        defer { looping = false }
        if !openingRecords.isEmpty {
            let records = openingRecords
            openingRecords = []
            guard persist(records) else { return info }
        }
        if machine.runState == .paused { persist(machine.resume(now: clock())) }
        if let policy = inDoubtPolicy {
            inDoubtPolicy = nil
            await settleInDoubt(policy)
        }
        publishProgress()
        while true {
            let now = clock()
            switch machine.nextWork(now: now) {
            case .dispatch(let batch):
                Task { await self.work(batch) }
            case .wait(let until):
                await sleep(until: until)
            case .ended(let end, let record):
                if let record { persist([record]) }
                lastEnd = end
                if case .finished = end, finishedAt == nil { finishedAt = now }
                if case .cancelled = end, finishedAt == nil { finishedAt = now }
                publishProgress()
                let result = info
                switch end {
                case .paused: break
                case .finished, .cancelled:
                    eventSink.yield(.ended(result))
                    await close()
                case .stopped:
                    await close()
                }
                return result
            }
        }
    }

    /// Releases the run (lock, journal, transport); the event stream ends.
    public func close() async {
        guard !closed else { return }
        closed = true
        await transport.shutdown()
        journal.close()
        lock.release()
        eventSink.finish()
    }

    private func work(_ batch: RunMachine.Batch) async {
        let members = batch.entries.map { header.members[$0] }
        let runID = self.runID, domain = header.messageDomain, renderer = self.renderer
        let now = clock()
        let rendered: [Result<OutgoingMessage, any Error>] = await Task.detached {
            members.map { m in
                Result {
                    try renderer.message(for: m, runID: runID,
                                         messageID: MessageIdentity.messageID(runID: runID, attendeeID: m.attendeeID, domain: domain),
                                         customID: MessageIdentity.customID(runID: runID, attendeeID: m.attendeeID), at: now)
                }
            }
        }.value

        var records: [JournalRecord] = []
        var toSend: [(entry: Int, message: OutgoingMessage)] = []
        let t = clock()
        let sendable = machine.acceptsSends
        for (k, entry) in batch.entries.enumerated() {
            switch rendered[k] {
            case .success where !sendable:
                machine.renderAbandoned(entry)
            case .success(let msg):
                records.append(machine.readyToSend(entry, messageID: msg.messageID, now: t))
                toSend.append((entry, msg))
            case .failure(let error):
                records += machine.renderFailed(entry, reason: "could not prepare the message: \(Self.describe(error))", now: t)
            }
        }
        // The intents must be on disk before anything leaves.
        guard persist(records, unrecorded: toSend.map(\.entry)) else {
            machine.workerFinished()
            wake()
            return
        }
        if !toSend.isEmpty {
            var outcomes = await transport.send(toSend.map(\.message))
            if outcomes.count != toSend.count {
                outcomes = toSend.indices.map { $0 < outcomes.count ? outcomes[$0]
                    : .inDoubt(reason: "the transport gave no answer for this message") }
            }
            let done = clock()
            var results: [JournalRecord] = []
            for (k, item) in toSend.enumerated() {
                results += machine.sendCompleted(item.entry, outcome: outcomes[k], now: done)
            }
            persist(results)
        }
        machine.workerFinished()
        publishProgress()
        wake()
    }

    /// Resolves in-doubt entries before sending: by provider lookup when the
    /// transport can, then as the organiser chose.
    private func settleInDoubt(_ policy: InDoubtPolicy) async {
        if transport.canLookUp {
            for i in machine.entries.indices {
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
        guard policy != .leave else { return }
        for i in machine.entries.indices {
            guard case .inDoubt = machine.entries[i] else { continue }
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

    // MARK: - Persisting and publishing

    /// Appends and fsyncs records, then lets the roster and the event stream
    /// know. On a journal error the run pauses and `unrecorded` entries go back
    /// to the queue; returns false.
    @discardableResult
    private func persist(_ records: [JournalRecord], unrecorded: [Int] = []) -> Bool {
        guard !records.isEmpty else { return true }
        do {
            try journal.append(records)
        } catch {
            let reason = Self.describe(error)
            let wasPaused = machine.pauseReason != nil
            machine.journalFailed(reason: reason, entries: unrecorded)
            if !wasPaused || machine.pauseReason == reason { eventSink.yield(.paused(reason: reason)) }
            return false
        }
        for r in records { publish(r) }
        return true
    }

    private func publish(_ record: JournalRecord) {
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
            ledger(e, .inDoubt, at, nil, reason); meter.recordFinish(at: at); report(e, .inDoubt(reason: reason), at)
        case .retrying(let e, let reason, let attempt, let next, let at):
            report(e, .retrying(reason: reason, attempt: attempt, nextAttemptAt: next), at)
        case .pending(let e, _, let at):
            ledger(e, .unsent, at, nil, nil)
        case .paused(let reason, _, _):
            eventSink.yield(.paused(reason: reason))
        case .resumed:
            eventSink.yield(.resumed)
        case .header, .sending, .cancelled, .finished:
            break
        }
    }

    private func publishProgress() {
        let now = clock()
        let c = machine.counts
        let remaining = c.pending + c.retrying + c.inFlight
        let progress = RunProgress(counts: c, elapsed: now.timeIntervalSince(meter.startedAt),
                                   perMinute: meter.perMinute(now: now), eta: meter.eta(remaining: remaining, now: now))
        eventSink.yield(.progress(progress))
    }

    // MARK: - Waiting

    private func wake() {
        if let w = waiter {
            waiter = nil
            w.resume()
        } else {
            wakePending = true
        }
    }

    private func sleep(until: Date?) async {
        if wakePending { wakePending = false; return }
        var timer: Task<Void, Never>?
        if let until {
            let delay = until.timeIntervalSince(clock())
            if delay <= 0 { return }
            timer = Task { [weak self] in
                try? await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
                await self?.wake()
            }
        }
        await withCheckedContinuation { waiter = $0 }
        timer?.cancel()
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? any UserFacingError { return e.description }
        return String(describing: error)
    }
}
