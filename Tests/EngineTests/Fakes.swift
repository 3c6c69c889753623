import Foundation
import Core
import Mail
@testable import Engine

/// A transport that answers from a script and remembers every message it was given.
final class ScriptedTransport: MailTransport, @unchecked Sendable {
    let displayName = "scripted"
    let maxBatchSize: Int
    let canLookUp: Bool
    let delay: TimeInterval
    private let lock = NSLock()
    private var _sent: [OutgoingMessage] = []
    private var attempts: [String: Int] = [:]
    /// attendee id, attempt (1-based) → outcome; default: sent.
    var script: @Sendable (String, Int) -> DeliveryOutcome
    var lookups: [String: LookupResult] = [:]
    /// Answers given in turn, one per lookup of that CustomID, before falling back to `lookups`.
    var lookupSequence: [String: [LookupResult]] = [:]
    private var _lookedUp: [String] = []
    /// Every CustomID asked about, in order.
    var lookedUp: [String] { lock.withLock { _lookedUp } }
    private(set) var shutdowns = 0

    init(maxBatchSize: Int = 1, canLookUp: Bool = false, delay: TimeInterval = 0,
         script: @escaping @Sendable (String, Int) -> DeliveryOutcome = { id, _ in .sent(messageId: "ok-\(id)") }) {
        self.maxBatchSize = maxBatchSize; self.canLookUp = canLookUp; self.delay = delay; self.script = script
    }

    var sent: [OutgoingMessage] { lock.withLock { _sent } }

    func send(_ messages: [OutgoingMessage]) async -> [DeliveryOutcome] {
        if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
        let numbered: [(String, Int)] = lock.withLock {
            messages.map { m in
                _sent.append(m)
                attempts[m.attendeeID, default: 0] += 1
                return (m.attendeeID, attempts[m.attendeeID]!)
            }
        }
        return numbered.map { script($0.0, $0.1) }
    }

    func lookUp(customID: String) async -> LookupResult {
        lock.withLock {
            _lookedUp.append(customID)
            if var answers = lookupSequence[customID], !answers.isEmpty {
                let answer = answers.removeFirst()
                lookupSequence[customID] = answers
                return answer
            }
            return lookups[customID] ?? .unknown(reason: "no record")
        }
    }
    func shutdown() async { lock.withLock { shutdowns += 1 } }
}

struct PlainRenderer: MessageRenderer {
    var failFor: Set<String> = []
    func message(for member: RunMember, runID: String, messageID: String, customID: String, at: Date) throws -> OutgoingMessage {
        if failFor.contains(member.attendeeID) { throw PassmailError.data("no pass type for \(member.attendeeID)") }
        return OutgoingMessage(attendeeID: member.attendeeID, customID: customID, messageID: messageID,
                               from: Mailbox(address: "team@example.org"), to: Mailbox(name: member.name, address: member.email),
                               subject: "Your pass", text: "Hello \(member.name)", date: at)
    }
}

final class MemoryLedger: DeliveryLedger, @unchecked Sendable {
    private let lock = NSLock()
    private var _status: [String: DeliveryStatus] = [:]
    var status: [String: DeliveryStatus] { lock.withLock { _status } }
    func recordDelivery(attendeeID: String, status: DeliveryStatus, at: Date, messageID: String?, error: String?) throws {
        lock.withLock { _status[attendeeID] = status }
    }
    func statuses(of attendeeIDs: [String]) throws -> [String: DeliveryStatus] {
        lock.withLock { Dictionary(uniqueKeysWithValues: attendeeIDs.map { ($0, _status[$0] ?? .unsent) }) }
    }
}

func members(_ n: Int) -> [RunMember] {
    (0..<n).map { RunMember(attendeeID: "a\($0)", name: "Person \($0)", email: "p\($0)@example.org") }
}

func startRun(in dir: URL, _ n: Int, transport: ScriptedTransport, ledger: MemoryLedger = MemoryLedger(),
              renderer: PlainRenderer = PlainRenderer(), settings: RunSettings = RunSettings(concurrency: 2)) throws -> RunController {
    try RunController.begin(sessions: dir, members: members(n), settings: settings, transport: transport, renderer: renderer,
                            ledger: ledger, transportKind: "smtp", fingerprint: "f", messageDomain: "example.org",
                            resend: false, notices: [])
}

/// Collects every event until the stream ends.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var _events: [EngineEvent] = []
    var events: [EngineEvent] { lock.withLock { _events } }
    let task: Task<Void, Never>
    init(_ stream: AsyncStream<EngineEvent>) {
        let box = Box()
        task = Task { for await e in stream { box.append(e) } }
        self.box = box
    }
    private let box: Box
    final class Box: @unchecked Sendable {
        let lock = NSLock(); var items: [EngineEvent] = []
        func append(_ e: EngineEvent) { lock.withLock { items.append(e) } }
    }
    func all() async -> [EngineEvent] { await task.value; return box.lock.withLock { box.items } }
    func now() -> [EngineEvent] { box.lock.withLock { box.items } }
}
