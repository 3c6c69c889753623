import Foundation
import Core
import Roster
import Engine

/// The one loop (bubbletea's): receive a message, `update`, perform the effects, draw `view`.
@MainActor
public final class TUIApp {
    private var model: AppModel
    private let screen = CursesScreen()
    private let services: TUIServices
    private let inbox: AsyncStream<LoopEvent>
    private let continuation: AsyncStream<LoopEvent>.Continuation
    private let driver: RunDriver
    private var leaving = false
    private var signalled = false

    /// The roster is loaded after the first frame in two steps: the first screenful (a LIMIT
    /// query, milliseconds) and then the whole roster, indexed (100,000 rows take a few hundred
    /// ms); roster keys pressed in between wait for the full roster.
    public init(workspace: Workspace, store: RosterStore, unfinished: RunInfo?) {
        model = AppModel(context: AppContext(config: workspace.config), unfinished: unfinished, rosterLoaded: false)
        if let unfinished, unfinished.counts.inDoubt > 0 {
            model.unfinishedInDoubt = Self.inDoubtMembers(of: unfinished.id, workspace: workspace)
        }
        services = TUIServices(workspace: workspace, store: store)
        (inbox, continuation) = AsyncStream<LoopEvent>.makeStream(bufferingPolicy: .unbounded)
        driver = RunDriver(workspace: workspace, inbox: continuation)
    }

    /// Runs until the organiser quits; the terminal is restored on every way out.
    /// Throws `TerminalUnsupported` before drawing anything when curses cannot drive the terminal.
    public func run(useColor: Bool) async throws -> ExitCode {
        try screen.start(useColor: useColor)
        let watcher = StdinWatcher(continuation)
        watcher.start()
        let ticker = Task { [continuation] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 1_000_000_000)
                continuation.yield(.msg(.tick(Date())))
            }
        }
        _ = update(&model, .resized(width: screen.width, height: screen.height))
        screen.draw(view(model))
        loadRosterInTwoPhases()

        loop: for await event in inbox {
            var msgs: [Msg] = []
            switch event {
            case .msg(let m): msgs = [m]
            case .inputReady:
                msgs = screen.readKeys().map { .keyPressed($0) }
                watcher.didDrain()
            case .terminalResized:
                let size = screen.refreshSize()
                msgs = [.resized(width: size.width, height: size.height)]
            case .engineEvents:
                msgs = driver.events.drain().map { Msg.engine($0) }
            case .exitNow:
                break loop
            }
            for msg in msgs {
                if case .terminationRequested = msg { signalled = true }
                if case .keyPressed(.ctrlC) = msg { signalled = true }
                for effect in update(&model, msg) { perform(effect) }
            }
            screen.draw(view(model))
        }

        ticker.cancel()
        watcher.stop()
        screen.stop()
        SignalFlags.uninstall()
        return goodbye()
    }

    /// "Name <email>" of the entries of a run that are in doubt or were caught mid-send.
    static func inDoubtMembers(of runID: String, workspace: Workspace) -> [String] {
        guard let run = try? RunCatalog.summaries(sessions: workspace.sessionsURL).runs.first(where: { $0.info.id == runID })
        else { return [] }
        return zip(run.header.members, run.entries).compactMap { member, state in
            switch state {
            case .inDoubt, .sending: member.name.isEmpty ? member.email : "\(member.name) <\(member.email)>"
            default: nil
            }
        }
    }

    private var finalInfo: RunInfo?

    /// First page, then the full roster, from one task so they arrive in that order.
    private func loadRosterInTwoPhases() {
        let services = services
        let inbox = continuation
        let limit = max(model.tablePageSize, 1)
        Task.detached {
            if let first = await services.firstPage(limit: limit) { inbox.yield(.msg(first)) }
            inbox.yield(.msg(await services.reloadRoster()))
        }
    }

    /// After the terminal is restored: say what happened to a run that was left, on stderr.
    private func goodbye() -> ExitCode {
        guard let info = finalInfo, info.state == .running || info.state == .paused else { return .ok }
        let c = info.counts
        let line = "passmail: run \(info.id) stopped with \(c.sent) of \(c.total) sent, \(c.failed) failed, \(c.inDoubt) in doubt. "
            + "It is resumable: open passmail again or run `passmail resume`."
        FileHandle.standardError.write(Data((line + "\n").utf8))
        return signalled ? .interrupted : .ok
    }

    private func perform(_ effect: Effect) {
        let services = services
        let inbox = continuation
        func background(_ work: @escaping @Sendable () async -> Msg) {
            Task.detached { inbox.yield(.msg(await work())) }
        }
        switch effect {
        case .checkSend(let ids): background { await services.checkSend(ids: ids) }
        case .startRun(let ids, let resend): driver.start(ids: ids, resend: resend)
        case .resumeRun(let id, let policy): driver.resume(runID: id, policy: policy)
        case .abandonRun(let id): background { await services.abandon(runID: id) }
        case .pause: driver.pause()
        case .resume: driver.resume()
        case .cancelRun: driver.cancel()
        case .renderPreview(let id): background { await services.preview(id: id) }
        case .writePass(let id): background { await services.writePass(id: id) }
        case .exportReport(let runID, let ids): background { await services.exportReport(runID: runID, ids: ids) }
        case .reloadRoster: background { await services.reloadRoster() }
        case .quit:
            guard !leaving else { return }
            leaving = true
            if driver.isLive {
                model.say("Stopping: waiting for the messages in flight… (the run stays resumable)")
            }
            Task {
                self.finalInfo = await self.driver.stopForExit()
                inbox.yield(.exitNow)
            }
        }
    }
}
