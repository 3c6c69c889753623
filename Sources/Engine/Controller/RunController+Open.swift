import Foundation
import Core
import Roster
import Passes
import Mail

/// Template problems found by the strict check; the run was not started.
public struct TemplateCheckFailed: UserFacingError {
    public var problems: [TemplateProblem]
    public var exitCode: ExitCode { .dataError }
    public var description: String {
        var lines = ["the templates cannot be rendered for every selected attendee; nothing was sent (\(problems.count) problem\(problems.count == 1 ? "" : "s")):"]
        // Grouped as `passmail check` prints them: one line per mistake, not per attendee.
        lines += TemplateProblem.groupedLines(problems).map { "  \($0)" }
        return lines.joined(separator: "\n")
    }
}

extension RunController {
    /// Starts a new run over these attendees (in this order), after the strict template check.
    /// Throws with every template problem listed when the check fails; nothing is sent.
    public static func start(workspace: Workspace, attendeeIDs: [String],
                             transport: PassmailConfig.TransportKind? = nil, concurrency: Int? = nil) throws -> RunController {
        try start(workspace: workspace, attendeeIDs: attendeeIDs, transport: transport, concurrency: concurrency, resend: false)
    }

    /// As `start`, and `resend`: include attendees already sent or in doubt
    /// (otherwise they are left out and named in `notices`).
    public static func start(workspace: Workspace, attendeeIDs: [String], transport kind: PassmailConfig.TransportKind?,
                             concurrency: Int?, resend: Bool,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RunController {
        try workspace.ensureFolders()
        let roster = RosterGate(try RosterStore(workspace: workspace))
        var seen = Set<String>()
        let ids = attendeeIDs.filter { seen.insert($0).inserted }
        guard !ids.isEmpty else { throw PassmailError.usage("no attendees selected; nothing to send") }
        let found = try roster.with { try $0.attendees(matching: AttendeeFilter(ids: ids)) }
        var byID: [String: Attendee] = [:]
        for a in found { byID[a.id] = a }
        let missing = ids.filter { byID[$0] == nil }
        if !missing.isEmpty {
            throw PassmailError.data("not in the roster: \(missing.prefix(10).joined(separator: ", "))\(missing.count > 10 ? " and \(missing.count - 10) more" : "")")
        }
        var selected: [Attendee] = []
        var skipped: [Attendee] = []
        for id in ids {
            let a = byID[id]!
            if !resend && (a.delivery.status == .sent || a.delivery.status == .inDoubt) { skipped.append(a) } else { selected.append(a) }
        }
        guard !selected.isEmpty else {
            throw PassmailError("nothing to send: all \(skipped.count) selected attendee\(skipped.count == 1 ? " is" : "s are") already sent or in doubt (use --resend to send to them again)",
                                exitCode: .dataError)
        }
        let issuer = try PassIssuer(workspace: workspace, environment: environment)
        let templates = try MailTemplates(workspace: workspace)
        var problems: [TemplateProblem] = []
        for a in selected { problems += templates.check(a, passCode: issuer.humanCode(for: a)) }
        if !problems.isEmpty { throw TemplateCheckFailed(problems: problems) }

        let transport = try TransportFactory.make(workspace: workspace, kind: kind, concurrency: concurrency, environment: environment)
        var settings = RunSettings(workspace.config.send, concurrency: concurrency, maxBatchSize: transport.maxBatchSize)
        settings.lookupGrace = TimeInterval(workspace.config.mailjet.lookupGraceSeconds)
        var notices: [String] = []
        if !skipped.isEmpty {
            notices.append("left out \(skipped.count) attendee\(skipped.count == 1 ? "" : "s") already sent or in doubt (use --resend to include them)")
        }
        let members = selected.map { RunMember(attendeeID: $0.id, name: $0.fullName, email: $0.email) }
        let kindName = (kind ?? workspace.config.transport).rawValue
        return try begin(sessions: workspace.sessionsURL, members: members, settings: settings, transport: transport,
                         renderer: WorkspaceRenderer(roster: roster, issuer: issuer, templates: templates, sender: workspace.config.sender),
                         ledger: RosterLedger(roster: roster), transportKind: kindName,
                         fingerprint: fingerprint(workspace, templates), messageDomain: MessageIdentity.domain(ofSender: workspace.config.sender.email),
                         resend: resend, notices: notices)
    }

    /// Creates the session file and the controller from parts; refuses attendees
    /// held by an unfinished run. `start(workspace:…)` wires the real roster,
    /// passes and templates; tools and benchmarks bring their own.
    public static func begin(sessions: URL, members: [RunMember], settings: RunSettings, transport: any MailTransport,
                      renderer: any MessageRenderer, ledger: any DeliveryLedger, transportKind: String, fingerprint: String,
                      messageDomain: String, resend: Bool, notices: [String],
                      clock: @escaping @Sendable () -> Date = { Date() },
                      random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) throws -> RunController {
        try FileManager.default.createDirectory(at: sessions, withIntermediateDirectories: true)
        // One starter at a time, so two overlapping runs cannot both pass the check.
        let gate = try StartGate(sessions: sessions)
        defer { gate.release() }
        let runs = try RunCatalog.summaries(sessions: sessions).runs
        try RunCatalog.refuseOverlap(runs: runs, attendeeIDs: Set(members.map(\.attendeeID)))
        var members = members, notices = notices
        if !resend {
            // The selection was made before the gate: another run may have sent some of
            // these attendees since. Decide again now that no run can start meanwhile.
            let statuses = try ledger.statuses(of: members.map(\.attendeeID))
            // The session files remember too: a delivery record lost with the roster
            // (`import --prune` by mistake, a deleted passmail.db) must not mean a second pass.
            let journalled = RunCatalog.sentOrInDoubt(runs: runs)
            let forgotten = members.filter { journalled.contains($0.attendeeID) && statuses[$0.attendeeID] != .sent
                && statuses[$0.attendeeID] != .inDoubt }
            if !forgotten.isEmpty {
                notices.append("left out \(forgotten.count) attendee\(forgotten.count == 1 ? "" : "s") that earlier runs sent or left in doubt although the roster says otherwise (\(forgotten.prefix(3).map(\.attendeeID).joined(separator: ", "))\(forgotten.count > 3 ? ", …" : "")); use --resend to send to them again")
            }
            let taken = members.filter { statuses[$0.attendeeID] == .sent || statuses[$0.attendeeID] == .inDoubt
                || journalled.contains($0.attendeeID) }
            if taken.count > forgotten.count {
                notices.append("left out \(taken.count - forgotten.count) attendee\(taken.count - forgotten.count == 1 ? "" : "s") sent or being sent by another run meanwhile")
            }
            if !taken.isEmpty {
                let takenIDs = Set(taken.map(\.attendeeID))
                members.removeAll { takenIDs.contains($0.attendeeID) }
                guard !members.isEmpty else {
                    throw PassmailError("nothing to send: all \(taken.count) selected attendee\(taken.count == 1 ? " is" : "s are") already sent or in doubt (use --resend to send to them again)",
                                        exitCode: .dataError)
                }
            }
        }
        let now = clock()
        var runID = MessageIdentity.newRunID(now: now)
        while FileManager.default.fileExists(atPath: SessionJournal.url(for: runID, in: sessions).path) {
            runID = MessageIdentity.newRunID(now: now)
        }
        let header = RunHeader(runID: runID, created: now, transportKind: transportKind, transportName: transport.displayName,
                               fingerprint: fingerprint, messageDomain: messageDomain, resend: resend, members: members)
        let lock = try RunLock.acquire(runID: runID, in: sessions)
        let journal = try SessionJournal.create(header: header, in: sessions)
        return RunController(header: header, machine: RunMachine(entryCount: members.count, settings: settings, random: random),
                             journal: journal, lock: lock, transport: transport, renderer: renderer, ledger: ledger,
                             inDoubtPolicy: nil, openingRecords: [], notices: notices, clock: clock)
    }

    /// Opens an unfinished run (nil: the one unfinished run) and applies the in-doubt policy.
    public static func resume(workspace: Workspace, runID: String? = nil, inDoubt: InDoubtPolicy = .leave) throws -> RunController {
        try resume(workspace: workspace, runID: runID, inDoubt: inDoubt, concurrency: nil)
    }

    public static func resume(workspace: Workspace, runID: String?, inDoubt: InDoubtPolicy, concurrency: Int?,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RunController {
        let sessions = workspace.sessionsURL
        let id = try RunCatalog.pickResumable(sessions: sessions, runID: runID, decidingInDoubt: inDoubt != .leave)
        let lock = try RunLock.acquire(runID: id, in: sessions)
        let loaded = try LoadedSession.load(SessionJournal.url(for: id, in: sessions))
        let header = loaded.header
        guard let kind = PassmailConfig.TransportKind(rawValue: header.transportKind) else {
            throw PassmailError.data("\(loaded.url.path): unknown transport \"\(header.transportKind)\"")
        }
        let transport = try TransportFactory.make(workspace: workspace, kind: kind, concurrency: concurrency, environment: environment)
        var settings = RunSettings(workspace.config.send, concurrency: concurrency, maxBatchSize: transport.maxBatchSize)
        settings.lookupGrace = TimeInterval(workspace.config.mailjet.lookupGraceSeconds)
        let roster = RosterGate(try RosterStore(workspace: workspace))
        let issuer = try PassIssuer(workspace: workspace, environment: environment)
        let templates = try MailTemplates(workspace: workspace)
        var notices: [String] = []
        if let torn = loaded.tornTail { notices.append(torn) }
        if fingerprint(workspace, templates) != header.fingerprint {
            notices.append("the templates or sender settings changed since run \(id) started; the rest is sent with the current ones")
        }
        // One query for the whole run rather than one per entry (runs can hold 100,000).
        let ids = header.members.map(\.attendeeID)
        let current = try roster.with { try $0.attendees(matching: AttendeeFilter(ids: ids)) }
            .reduce(into: [String: Attendee]()) { $0[$1.id] = $1 }
        return try reopen(loaded: loaded, lock: lock, settings: settings, transport: transport,
                          renderer: WorkspaceRenderer(roster: roster, issuer: issuer, templates: templates, sender: workspace.config.sender),
                          ledger: RosterLedger(roster: roster), inDoubt: inDoubt, notices: notices,
                          check: { member in
                              // Attendees gone from the roster fail when their turn comes, with that reason.
                              guard let a = current[member.attendeeID] else { return [] }
                              return templates.check(a, passCode: issuer.humanCode(for: a))
                          })
    }

    /// Replays a loaded session into a controller ready to `run()`.
    static func reopen(loaded: LoadedSession, lock: RunLock, settings: RunSettings, transport: any MailTransport,
                       renderer: any MessageRenderer, ledger: any DeliveryLedger, inDoubt: InDoubtPolicy, notices: [String],
                       check: (RunMember) throws -> [TemplateProblem] = { _ in [] },
                       clock: @escaping @Sendable () -> Date = { Date() },
                       random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) throws -> RunController {
        let header = loaded.header
        var machine: RunMachine
        do { machine = try RunMachine(replaying: loaded.records, settings: settings, random: random) } catch {
            throw PassmailError.data("\(loaded.url.path) record \(error.recordIndex + 1): \(error.message)")
        }
        switch machine.runState {
        case .cancelled:
            throw PassmailError.usage("run \(header.runID) was cancelled; start a new one with `passmail send` or `passmail retry-failed \(header.runID)`")
        case .finished where machine.counts.inDoubt == 0 || (inDoubt == .leave && !transport.canLookUp):
            throw PassmailError.usage("run \(header.runID) has finished; nothing to resume (see `passmail runs`)")
        default: break
        }
        // A run never continues half-checked either.
        var problems: [TemplateProblem] = []
        for (i, state) in machine.entries.enumerated() where !state.isFinal || inDoubt == .resend {
            problems += try check(header.members[i])
        }
        if !problems.isEmpty { throw TemplateCheckFailed(problems: problems) }

        let journal = try SessionJournal.open(loaded)
        let opening = machine.reopen(now: clock())
        // The roster follows the journal: repair anything a crash kept from it.
        let statuses = (try? ledger.statuses(of: header.members.map(\.attendeeID))) ?? [:]
        var sentElsewhere = Set<Int>()
        for (i, state) in machine.entries.enumerated() {
            let id = header.members[i].attendeeID
            let want: (DeliveryStatus, String?, String?)?
            switch state {
            case .sent(let mid): want = (.sent, mid, nil)
            case .failed(let r): want = (.failed, nil, r)
            case .inDoubt(let r):
                // In doubt here, but the roster says sent: another run (`send --resend`) got it
                // to them since. That settles it; resending would be a second copy.
                if statuses[id] == .sent { sentElsewhere.insert(i); want = nil } else { want = (.inDoubt, nil, r) }
            // Back in the queue per the journal; only an in-doubt mark left by a crash is undone.
            case .pending, .retrying: want = statuses[id] == .inDoubt ? (.unsent, nil, nil) : nil
            default: want = nil
            }
            if let want, let have = statuses[id], have != want.0 {
                try? ledger.recordDelivery(attendeeID: id, status: want.0, at: clock(), messageID: want.1, error: want.2)
            }
        }
        let finishedAt: Date? = nil
        return RunController(header: header, machine: machine, journal: journal, lock: lock, transport: transport,
                             renderer: renderer, ledger: ledger, inDoubtPolicy: inDoubt, openingRecords: opening,
                             notices: notices, clock: clock, finishedAt: finishedAt, sentElsewhere: sentElsewhere)
    }

    /// Short hash of templates and the config sections that shape a message.
    static func fingerprint(_ workspace: Workspace, _ templates: MailTemplates) -> String {
        let c = workspace.config
        // Spelled out field by field: describing a struct that holds a Dictionary
        // would depend on the per-process hash seed.
        let colors = c.pass.colors.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let parts = [templates.fingerprint, c.event.id, c.event.name, c.event.date, c.event.venue,
                     c.pass.size, colors, c.pass.logo ?? "", c.pass.signingKey,
                     c.sender.name, c.sender.email, c.sender.replyTo ?? "",
                     c.templates.subject, c.templates.text, c.templates.html ?? ""]
        let text = parts.joined(separator: "\u{1F}")
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }
}

/// A short-lived workspace-wide lock held while a run is created.
struct StartGate {
    let fd: Int32
    init(sessions: URL) throws {
        fd = open(sessions.appendingPathComponent(".start.lock").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PassmailError.cantCreate("\(sessions.path): cannot create .start.lock (\(String(cString: strerror(errno))))") }
        flock(fd, LOCK_EX)
    }
    func release() { flock(fd, LOCK_UN); close(fd) }
}
