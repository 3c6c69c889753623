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

    let eventSink: AsyncStream<EngineEvent>.Continuation
    var machine: RunMachine
    let journal: SessionJournal
    private let lock: RunLock
    let transport: any MailTransport
    private let renderer: any MessageRenderer
    let ledger: any DeliveryLedger
    let clock: @Sendable () -> Date
    private var inDoubtPolicy: InDoubtPolicy?
    /// In-doubt entries the roster says another run has sent since; settled as sent before anything else.
    var sentElsewhere: Set<Int>
    /// Records replay decided on (interrupted entries now in doubt, `resumed`), written when `run()` starts.
    private var openingRecords: [JournalRecord]
    var meter: ThroughputMeter
    private var looping = false
    private var closed = false
    private var finishedAt: Date?
    public private(set) var lastEnd: RunEnd?
    private var waiter: CheckedContinuation<Void, Never>?
    private var wakePending = false

    init(header: RunHeader, machine: RunMachine, journal: SessionJournal, lock: RunLock, transport: any MailTransport,
         renderer: any MessageRenderer, ledger: any DeliveryLedger, inDoubtPolicy: InDoubtPolicy?,
         openingRecords: [JournalRecord], notices: [String],
         clock: @escaping @Sendable () -> Date, finishedAt: Date? = nil, sentElsewhere: Set<Int> = []) {
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
        self.sentElsewhere = sentElsewhere
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

    /// `sessions/<run-id>.session`.
    nonisolated public var sessionFile: URL { journal.url }

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
            settleSentElsewhere()
            inDoubtPolicy = nil
            await settleInDoubt(policy)
        }
        publishProgress()
        while true {
            if machine.acceptsSends, !machine.lookupDue.isEmpty {
                let due = machine.lookupsDue(now: clock())
                if !due.isEmpty { await lookUp(due); publishProgress() }
            }
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
