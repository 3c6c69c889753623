import Foundation
import Core
import Engine

/// The only place the interface state changes: a message in, effects out. No I/O here.
public func update(_ model: inout AppModel, _ msg: Msg) -> [Effect] {
    switch msg {
    case .keyPressed(let key):
        return handleKey(&model, key)
    case .resized(let w, let h):
        model.width = max(1, w)
        model.height = max(1, h)
        model.table.scrollToCursor(pageSize: model.tablePageSize)
        return []
    case .tick(let now):
        model.table.refreshIfStale()
        if var run = model.run, case .running = run.phase {
            run.elapsed = max(run.elapsed, now.timeIntervalSince(run.startedAt))
            model.run = run
        }
        return []
    case .engine(let event):
        return handleEngine(&model, event)
    case .rosterLoaded(let index, let types):
        model.table.replaceRoster(index, passTypes: types)
        model.rosterLoaded = true
        model.firstPageTotal = nil
        model.rosterLoadError = nil
        return applyPendingKeys(&model)
    case .rosterLoadFailed(let reason):
        model.complain("Cannot read the roster: \(reason)")
        if !model.rosterLoaded {
            // Keys waiting for the roster would act on the first page only: drop them, say so.
            if !model.pendingKeys.isEmpty { model.complain("Cannot read the roster: \(reason) (keys pressed meanwhile were not applied)") }
            model.pendingKeys = []
            model.rosterLoadError = reason
        }
        return []
    case .rosterFirstPage(let page, let total):
        // A late first page must never replace the full roster.
        guard !model.rosterLoaded else { return [] }
        model.table = RosterTable(attendees: page)
        model.firstPageTotal = max(total, page.count)
        model.table.scrollToCursor(pageSize: model.tablePageSize)
        return []
    case .previewReady(let content):
        if case .preview(var p) = model.screen, p.attendeeID == content.attendeeID {
            p.content = content
            model.message = nil
            model.screen = .preview(p)
        }
        return []
    case .previewFailed(let id, let reason):
        if case .preview(var p) = model.screen, p.attendeeID == id {
            p.error = reason
            model.screen = .preview(p)
        }
        return []
    case .passWritten(let id, let path):
        if case .preview(var p) = model.screen, p.attendeeID == id {
            p.writtenPath = path
            model.screen = .preview(p)
        }
        model.say("Pass written to \(path)")
        return []
    case .sendChecked(let problems, let count):
        if case .confirmSend(var plan) = model.screen {
            plan.checking = false
            model.message = nil
            plan.problems = problems
            plan.problemCount = count
            model.screen = .confirmSend(plan)
        }
        return []
    case .runStarted(let runID, let ids, let startedAt):
        var run = LiveRun(runID: runID, attendeeIDs: ids, startedAt: startedAt, total: ids.count)
        if let planned = model.run {
            // Keep what the resume prompt or the plan already knew (a resumed run's earlier counts).
            run.counts = planned.counts
            if ids.isEmpty { run.attendeeIDs = planned.attendeeIDs }
        }
        run.phase = .running
        model.run = run
        model.unfinished = nil
        return []
    case .runFailedToStart(let reason):
        model.run = nil
        if case .progress = model.screen { model.screen = .roster }
        model.complain("The run did not start: \(reason)")
        return []
    case .runReturned(let info):
        guard var run = model.run, run.runID == info.id || run.runID.isEmpty else { return [] }
        run.counts = info.counts
        switch info.state {
        case .finished, .cancelled:
            if !run.isEnded { run.phase = .ended(info) }
        case .paused:
            if !run.isPaused { run.phase = .paused(reason: info.pauseReason ?? "paused", byEngine: !run.pauseRequested) }
        case .running:
            break
        }
        model.run = run
        if run.isEnded, case .progress = model.screen { model.screen = .summary }
        return [.reloadRoster]
    case .runAbandoned(let runID):
        model.unfinished = nil
        model.say("Run \(runID) abandoned; nothing more will be sent for it.")
        model.screen = .roster
        return [.reloadRoster]
    case .reportExported(let path):
        model.say("Report written to \(path)")
        return []
    case .effectFailed(let reason):
        model.complain(reason)
        return []
    case .notice(let text):
        model.say(text)
        return []
    case .terminationRequested:
        model.quitting = true
        return [.quit]
    }
}

/// Engine events: live figures, outcomes into the table, pauses and the end.
func handleEngine(_ model: inout AppModel, _ event: EngineEvent) -> [Effect] {
    guard var run = model.run else { return [] }
    switch event {
    case .entryFinished(let report):
        run.record(report)
        let at = report.at
        switch report.outcome {
        case .sent(let messageID):
            model.table.updateDelivery(id: report.attendeeID) {
                $0.status = .sent; $0.emailedAt = at; $0.messageId = messageID; $0.lastError = nil
            }
        case .failed(let reason):
            model.table.updateDelivery(id: report.attendeeID) { $0.status = .failed; $0.lastError = reason }
        case .inDoubt(let reason):
            model.table.updateDelivery(id: report.attendeeID) { $0.status = .inDoubt; $0.lastError = reason }
        case .retrying:
            break
        }
    case .progress(let p):
        run.counts = p.counts
        run.elapsed = p.elapsed
        run.perMinute = p.perMinute
        run.eta = p.eta
        if case .starting = run.phase { run.phase = .running }
    case .paused(let reason):
        if case .cancelling = run.phase { break }
        run.phase = .paused(reason: reason, byEngine: !run.pauseRequested)
    case .resumed:
        run.pauseRequested = false
        run.phase = .running
    case .ended(let info):
        model.table.refreshIfStale()
        run.counts = info.counts
        run.phase = .ended(info)
        if case .progress = model.screen { model.screen = .summary }
        if model.screen != .summary {
            model.say("The run ended: \(info.counts.sent) sent, \(info.counts.failed) failed, \(info.counts.inDoubt) in doubt — w shows the summary")
        }
    }
    model.run = run
    return []
}

/// Keys: global ones first (Ctrl-C, help), then the key table of the current scope.
func handleKey(_ model: inout AppModel, _ key: Key) -> [Effect] {
    if key == .ctrlC {
        model.quitting = true
        return [.quit]
    }
    if waitsForRoster(model, key) {
        if let reason = model.rosterLoadError {
            model.complain("\(key.label): the roster could not be read (\(reason)); q quits")
            return []
        }
        model.pendingKeys.append(key)
        let n = model.pendingKeys.count
        model.say("Loading the roster… \(n == 1 ? "1 key" : "\(n) keys") will apply when it is ready")
        return []
    }
    model.table.refreshIfStale()
    let scope = model.scope
    if model.isTooSmall && scope != .searchTyping {
        // Only quitting makes sense on a screen too small to show anything.
        if key == .char("q") { model.quitting = true; return [.quit] }
        return []
    }
    if model.helpVisible {
        // j/k scroll a help longer than the screen; any other key closes it.
        switch key {
        case .char("j"), .down: model.helpScroll += 1
        case .char("k"), .up: model.helpScroll = max(0, model.helpScroll - 1)
        default: model.helpVisible = false
        }
        return []
    }
    if scope != .searchTyping && scope != .confirmDialog && key == .char("?") {
        model.helpVisible = true
        return []
    }
    guard let binding = KeyTable.binding(for: key, in: scope) else {
        if scope == .searchTyping { return typeText(&model, key) }
        return []
    }
    if let reason = binding.disabledReason(model) {
        model.complain("\(key.label): \(reason)")
        return []
    }
    // A key that does something replaces the previous status line.
    if model.message != nil, ![Action.up, .down, .pageUp, .pageDown, .top, .bottom].contains(binding.action) {
        model.message = nil
    }
    return perform(&model, binding.action)
}

/// While typing a search every printable key is text, including q and ?.
func typeText(_ model: inout AppModel, _ key: Key) -> [Effect] {
    var text = model.table.search
    switch key {
    case .char(let c):
        guard !c.isNewline, c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else { return [] }
        text.append(c)
    case .backspace:
        guard !text.isEmpty else { return [] }
        text.removeLast()
    default:
        return []
    }
    model.table.typeSearch(text)
    model.table.scrollToCursor(pageSize: model.tablePageSize)
    return []
}

/// Whether a key on the roster must wait for the full roster: until it is loaded every roster
/// key is queued (selection, search, filters, sort and moves all mean the whole list), except
/// `q` with nothing queued, so quitting never waits for a load.
func waitsForRoster(_ model: AppModel, _ key: Key) -> Bool {
    guard !model.rosterLoaded else { return false }
    if !model.pendingKeys.isEmpty { return true }
    guard model.screen == .roster, !model.helpVisible, model.pendingConfirm == nil else { return false }
    return key != .char("q")
}

/// The keys queued while loading, in the order they were pressed, now on the full roster.
func applyPendingKeys(_ model: inout AppModel) -> [Effect] {
    let keys = model.pendingKeys
    model.pendingKeys = []
    if !keys.isEmpty { model.message = nil }
    var effects: [Effect] = []
    for key in keys where !model.quitting {
        effects += handleKey(&model, key)
    }
    return effects
}
