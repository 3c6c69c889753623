import Foundation
import Core

/// One run as read from its session file, with what `runs`, `resume` and `retry-failed` need.
public struct RunSummary: Sendable {
    public var info: RunInfo
    public var header: RunHeader
    public var entries: [EntryState]
    /// PID of the process sending it right now, if any.
    public var holder: Int32?
    /// Set when the last record was torn by a crash (ignored).
    public var tornTail: String?

    /// Running in no live process, or paused: `passmail resume` can take it.
    public var isResumable: Bool { holder == nil && (info.state == .running || info.state == .paused) }
    /// Not finished or cancelled: its attendees belong to it.
    public var isUnfinished: Bool { info.state == .running || info.state == .paused }

    public var failedAttendeeIDs: [String] {
        entries.indices.compactMap { if case .failed = entries[$0] { return header.members[$0].attendeeID } else { return nil } }
    }
}

/// The runs of a workspace, read from `sessions/`.
public enum RunCatalog {
    public static func all(workspace: Workspace) throws -> [RunInfo] {
        try summaries(sessions: workspace.sessionsURL).runs.map(\.info)
    }

    /// Runs that are running (in no live process) or paused: resumable.
    public static func unfinished(workspace: Workspace) throws -> [RunInfo] {
        try summaries(sessions: workspace.sessionsURL).runs.filter(\.isResumable).map(\.info)
    }

    /// Every readable run, oldest first, plus one line per session file that could not be read.
    public static func summaries(sessions: URL) throws -> (runs: [RunSummary], problems: [String]) {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: sessions.path) } catch {
            if !FileManager.default.fileExists(atPath: sessions.path) { return ([], []) }
            throw PassmailError.noInput("\(sessions.path): cannot list sessions (\(error.localizedDescription))")
        }
        var runs: [RunSummary] = []
        var problems: [String] = []
        for name in names.sorted() where name.hasSuffix(".session") {
            do { runs.append(try summary(SessionJournal.url(for: String(name.dropLast(8)), in: sessions))) } catch {
                problems.append(RunController.describe(error))
            }
        }
        runs.sort { $0.info.startedAt != $1.info.startedAt ? $0.info.startedAt < $1.info.startedAt : $0.info.id < $1.info.id }
        return (runs, problems)
    }

    public static func summary(_ url: URL) throws -> RunSummary {
        let loaded = try LoadedSession.load(url)
        let machine: RunMachine
        do { machine = try RunMachine(replaying: loaded.records, settings: RunSettings()) } catch {
            throw PassmailError.data("\(url.path) record \(error.recordIndex + 1): \(error.message)")
        }
        var finishedAt: Date?
        if machine.runState == .finished || machine.runState == .cancelled {
            for r in loaded.records.reversed() {
                if case .finished(let at) = r { finishedAt = at; break }
                if case .cancelled(let at) = r { finishedAt = at; break }
            }
        }
        let h = loaded.header
        let holder = RunLock.holder(runID: h.runID, in: url.deletingLastPathComponent())
        var counts = machine.counts
        var entries = machine.entries
        if holder != nil {
            // A live process has these in its hands: in flight, not in doubt (only a crash makes them that).
            for i in machine.interrupted {
                entries[i] = .sending(attempt: machine.attempts(of: i))
                counts.inDoubt -= 1
                counts.inFlight += 1
            }
        }
        let info = RunInfo(id: h.runID, state: machine.runState, counts: counts, transport: h.transportName,
                           startedAt: h.created, finishedAt: finishedAt, pauseReason: machine.pauseReason)
        return RunSummary(info: info, header: h, entries: entries, holder: holder, tornTail: loaded.tornTail)
    }

    /// The run `resume` means: the one named, or the only resumable one.
    public static func pickResumable(sessions: URL, runID: String?) throws -> String {
        try pickUnfinished(sessions: sessions, runID: runID, for: "resume")
    }

    /// As `pickResumable`; with `decidingInDoubt` (the organiser said `--in-doubt resend` or
    /// `mark-sent`), a finished run with in-doubt entries counts when no run is unfinished,
    /// so "decide with `passmail resume --in-doubt mark-sent`" works without the run id.
    public static func pickResumable(sessions: URL, runID: String?, decidingInDoubt: Bool) throws -> String {
        guard decidingInDoubt, runID == nil else { return try pickResumable(sessions: sessions, runID: runID) }
        let runs = try summaries(sessions: sessions).runs
        if runs.contains(where: { $0.isUnfinished }) { return try pickResumable(sessions: sessions, runID: nil) }
        let doubtful = runs.filter { $0.info.state == .finished && $0.info.counts.inDoubt > 0 }
        switch doubtful.count {
        case 0: return try pickResumable(sessions: sessions, runID: nil)
        case 1: return doubtful[0].info.id
        default:
            throw PassmailError.usage("\(doubtful.count) finished runs have entries in doubt: \(doubtful.map(\.info.id).joined(separator: ", ")); say which one: `passmail resume RUN --in-doubt …`")
        }
    }

    /// As `pickResumable`, with the command's verb in the messages ("cancel").
    public static func pickUnfinished(sessions: URL, runID: String?, for verb: String) throws -> String {
        if let runID {
            guard FileManager.default.fileExists(atPath: SessionJournal.url(for: runID, in: sessions).path) else {
                throw PassmailError.noInput("no run \(runID) in \(sessions.path) (see `passmail runs`)")
            }
            return runID
        }
        let runs = try summaries(sessions: sessions).runs
        let open = runs.filter(\.isResumable)
        switch open.count {
        case 0:
            if let live = runs.first(where: { $0.isUnfinished && $0.holder != nil }) {
                throw PassmailError("run \(live.info.id) is being sent by process \(live.holder!); wait for it to finish or stop it (Ctrl-C there) first",
                                    exitCode: .tempFailure)
            }
            if let doubtful = runs.last(where: { $0.info.state == .finished && $0.info.counts.inDoubt > 0 }) {
                throw PassmailError.noInput("no unfinished run; run \(doubtful.info.id) finished with \(doubtful.info.counts.inDoubt) in doubt: decide with `passmail resume \(doubtful.info.id) --in-doubt resend|mark-sent`")
            }
            throw PassmailError.noInput("no unfinished run to \(verb) (see `passmail runs`)")
        case 1: return open[0].info.id
        default:
            throw PassmailError.usage("\(open.count) unfinished runs: \(open.map(\.info.id).joined(separator: ", ")); say which one: `passmail \(verb) RUN`")
        }
    }

    /// Attendees some run recorded as sent or in doubt.
    static func sentOrInDoubt(runs: [RunSummary]) -> Set<String> {
        var ids = Set<String>()
        for run in runs {
            for (i, e) in run.entries.enumerated() {
                switch e {
                case .sent, .inDoubt, .sending: ids.insert(run.header.members[i].attendeeID)
                default: break
                }
            }
        }
        return ids
    }

    /// Refuses a new run when an unfinished run already holds any of these attendees.
    static func refuseOverlap(runs: [RunSummary], attendeeIDs: Set<String>) throws {
        for run in runs where run.isUnfinished {
            let shared = run.header.members.enumerated().filter { attendeeIDs.contains($0.element.attendeeID) && !run.entries[$0.offset].isFinal }
            guard !shared.isEmpty else { continue }
            let names = shared.prefix(3).map(\.element.attendeeID).joined(separator: ", ")
            let more = shared.count > 3 ? " and \(shared.count - 3) more" : ""
            let why = run.info.state == .paused ? "paused: \(run.info.pauseReason ?? "")" : (run.holder != nil ? "being sent by process \(run.holder!)" : "interrupted")
            throw PassmailError("attendees \(names)\(more) are still unsent in unfinished run \(run.info.id) (\(why)); finish it with `passmail resume \(run.info.id)` or end it with `passmail cancel \(run.info.id)`",
                                exitCode: .tempFailure)
        }
    }
}
