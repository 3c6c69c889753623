import Foundation
import Core
import Engine

/// Holds the one run this process drives: forwards its events to the inbox and calls `run()` again after a pause.
@MainActor
final class RunDriver {
    private let workspace: Workspace
    private let inbox: AsyncStream<LoopEvent>.Continuation
    private(set) var controller: RunController?
    private var eventsTask: Task<Void, Never>?
    private var runTask: Task<RunInfo, Never>?
    private var running = false
    private(set) var lastInfo: RunInfo?
    /// Engine events for the loop, coalesced (see `EngineEventBuffer`).
    let events = EngineEventBuffer()

    init(workspace: Workspace, inbox: AsyncStream<LoopEvent>.Continuation) {
        self.workspace = workspace
        self.inbox = inbox
    }

    var isLive: Bool { controller != nil }

    /// Opens the run off the main actor (the strict check reads every attendee), then starts sending.
    func start(ids: [String], resend: Bool) {
        let workspace = workspace
        open { try RunController.start(workspace: workspace, attendeeIDs: ids, transport: nil, concurrency: nil, resend: resend) }
    }

    func resume(runID: String, policy: InDoubtPolicy) {
        let workspace = workspace
        open { try RunController.resume(workspace: workspace, runID: runID, inDoubt: policy) }
    }

    private func open(_ make: @escaping @Sendable () throws -> RunController) {
        let inbox = inbox
        Task.detached {
            do {
                let c = try make()
                await self.attach(c)
            } catch {
                inbox.yield(.msg(.runFailedToStart(reason: "\(error)")))
            }
        }
    }

    private func attach(_ c: RunController) {
        controller = c
        let inbox = inbox
        let buffer = events
        eventsTask = Task.detached {
            for await event in c.events where buffer.append(event) { inbox.yield(.engineEvents) }
        }
        let ids = c.header.members.map(\.attendeeID)
        inbox.yield(.msg(.runStarted(runID: c.runID, attendeeIDs: ids, startedAt: Date())))
        for notice in c.notices { inbox.yield(.msg(.notice(notice))) }
        startRunning()
    }

    private func startRunning() {
        guard let c = controller, !running else { return }
        running = true
        let inbox = inbox
        let task = Task.detached { await c.run() }
        runTask = task
        Task {
            let info = await task.value
            self.running = false
            self.lastInfo = info
            if info.state == .finished || info.state == .cancelled {
                await self.close(c)
            }
            inbox.yield(.msg(.runReturned(info)))
        }
    }

    func pause() { if let c = controller { Task { await c.pause() } } }

    /// After a pause `run()` may have returned: call it again.
    func resume() {
        guard let c = controller else { return }
        Task {
            await c.resumeSending()
            self.startRunning()
        }
    }

    func cancel() {
        guard let c = controller else { return }
        Task {
            await c.cancel()
            // A run paused by the engine is not inside run(): let it see the cancel and end.
            self.startRunning()
        }
    }

    /// Quit: stop taking entries, let in-flight ones finish (or become in doubt), close the journal.
    /// Returns the run's state for the goodbye line, nil when there was no run.
    func stopForExit(timeout: TimeInterval = 20) async -> RunInfo? {
        guard let c = controller else { return lastInfo }
        await c.stop()
        if let runTask, running {
            let finished = await withTaskGroup(of: Bool.self) { group -> Bool in
                group.addTask { _ = await runTask.value; return true }
                group.addTask { try? await Task.sleep(nanoseconds: UInt64(timeout * 1e9)); return false }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            if !finished { return await c.info }
        }
        let info = await c.info
        await close(c)
        eventsTask?.cancel()
        return info
    }

    /// Closes a controller once, whichever of "run ended" and "quit" gets there first.
    private func close(_ c: RunController) async {
        guard controller === c else { return }
        controller = nil
        await c.close()
    }
}
