import Foundation
import Core
import Engine

/// Carries out one key-table action on the model; returns the effects it needs.
func perform(_ model: inout AppModel, _ action: Action) -> [Effect] {
    let page = model.tablePageSize
    switch (model.scope, action) {
    // MARK: Confirmation dialog
    case (.confirmDialog, .confirmYes):
        guard let confirmed = model.pendingConfirm else { return [] }
        model.pendingConfirm = nil
        return performConfirmed(&model, confirmed)
    case (.confirmDialog, .confirmNo):
        model.pendingConfirm = nil
        return []

    // MARK: Help
    case (.help, _):
        model.helpVisible = false
        return []

    // MARK: Typing a search
    case (.searchTyping, .applySearch), (.searchTyping, .stopTyping):
        model.table.finishTyping()
        return []
    case (.searchTyping, .clearTyped):
        model.table.typeSearch("")
        return []

    // MARK: Moving (roster, typing)
    case (.roster, .down), (.searchTyping, .down): model.table.moveCursor(by: 1, pageSize: page)
    case (.roster, .up), (.searchTyping, .up): model.table.moveCursor(by: -1, pageSize: page)
    case (.roster, .pageDown), (.searchTyping, .pageDown): model.table.moveCursor(by: page, pageSize: page)
    case (.roster, .pageUp), (.searchTyping, .pageUp): model.table.moveCursor(by: -page, pageSize: page)
    case (.roster, .top): model.table.moveCursor(to: 0, pageSize: page)
    case (.roster, .bottom): model.table.moveCursor(to: model.table.visible.count - 1, pageSize: page)

    // MARK: Roster
    case (.roster, .toggleSelect): model.table.toggleAtCursor(pageSize: page)
    case (.roster, .selectAllShown):
        model.table.selectAllShown()
        model.say("Selected all \(model.table.visible.count) shown")
    case (.roster, .clearSelection):
        model.table.clearSelection()
        model.say("Selection cleared")
    case (.roster, .invertShown): model.table.invertShown()
    case (.roster, .rangeSelect):
        model.table.toggleRange()
        if model.table.isRangeActive { model.say("Range: move to extend, v to end") }
    case (.roster, .startSearch): model.table.beginTyping()
    case (.roster, .clearFilter):
        if model.table.isRangeActive { model.table.endRange() } else { model.table.clearFilters() }
    case (.roster, .openFilterPanel): model.screen = .filterPanel(FilterPanel())
    case (.roster, .cyclePassType), (.filterPanel, .cyclePassType):
        model.table.cyclePassType()
        model.table.scrollToCursor(pageSize: page)
    case (.roster, .cycleSort):
        model.table.cycleSort()
        model.table.scrollToCursor(pageSize: page)
        model.say("Sorted by \(model.table.sort.rawValue)")
    case (.roster, .openPreview):
        guard let a = model.table.cursorAttendee else { return [] }
        model.screen = .preview(PreviewScreen(attendeeID: a.id))
        return [.renderPreview(attendeeID: a.id)]
    case (.roster, .planSend):
        return planSend(&model, ids: model.table.selectedIDs, isRetry: false)
    case (.roster, .watchRun), (.progress, .watchRun):
        guard let run = model.run else { return [] }
        model.summaryScroll = 0
        model.screen = run.isEnded ? .summary : .progress
    case (.roster, .showUnfinished):
        guard let info = model.unfinished else { return [] }
        model.screen = .resumePrompt(ResumePrompt(info: info))
    case (.roster, .quit), (.resumePrompt, .quit):
        if let run = model.run, run.isLive {
            model.pendingConfirm = .quitDuringRun
            return []
        }
        model.quitting = true
        return [.quit]

    // MARK: Filter panel
    case (.filterPanel, .down), (.filterPanel, .up):
        guard case .filterPanel(var panel) = model.screen else { return [] }
        let count = model.filterPanelRows.count
        panel.cursor = (panel.cursor + (action == .down ? 1 : -1) + count) % max(1, count)
        model.screen = .filterPanel(panel)
    case (.filterPanel, .filterToggle):
        guard case .filterPanel(let panel) = model.screen, let row = model.filterPanelRows[safe: panel.cursor] else { return [] }
        switch row {
        case .passType(let type): model.table.toggleType(type)
        case .status(let status): model.table.setStatusFilter(status)
        }
        model.table.scrollToCursor(pageSize: page)

    // MARK: Preview
    case (.preview, .down), (.preview, .up):
        guard case .preview(var p) = model.screen else { return [] }
        p.scroll = max(0, p.scroll + (action == .down ? 1 : -1))
        model.screen = .preview(p)
    case (.preview, .writePass):
        guard case .preview(let p) = model.screen else { return [] }
        return [.writePass(attendeeID: p.attendeeID)]

    // MARK: Confirm send
    case (.confirmSend, .startSend):
        guard case .confirmSend(let plan) = model.screen, plan.canStart else { return [] }
        var run = LiveRun(runID: "", attendeeIDs: plan.attendeeIDs, startedAt: model.context.now, total: plan.sendCount)
        run.phase = .starting
        model.run = run
        model.screen = .progress
        return [.startRun(attendeeIDs: plan.attendeeIDs, resend: plan.includeSent)]
    case (.confirmSend, .toggleResend):
        guard case .confirmSend(var plan) = model.screen else { return [] }
        plan.includeSent.toggle()
        model.screen = .confirmSend(plan)

    // MARK: Progress
    case (.progress, .pauseOrResume):
        guard var run = model.run else { return [] }
        if run.isPaused {
            run.phase = .running
            run.pauseRequested = false
            model.run = run
            return [.resume]
        }
        run.pauseRequested = true
        run.phase = .pausing
        model.run = run
        return [.pause]
    case (.progress, .cancelRun):
        model.pendingConfirm = .cancelRun

    // MARK: Summary
    case (.summary, .down):
        let problems = model.run?.problemOrder.count ?? 0
        model.summaryScroll = min(model.summaryScroll + 1, max(0, problems - 1))
    case (.summary, .up):
        model.summaryScroll = max(0, model.summaryScroll - 1)
    case (.summary, .retryFailed):
        return planSend(&model, ids: model.failedInRun, isRetry: true)
    case (.summary, .exportReport):
        guard let run = model.run else { return [] }
        var ids = run.attendeeIDs
        if ids.isEmpty {
            // A resumed run does not list its entries here: report everyone it touched in this session.
            var seen = Set<String>()
            ids = run.recent.map(\.attendeeID).filter { seen.insert($0).inserted }
        }
        return [.exportReport(runID: run.runID, attendeeIDs: ids)]

    // MARK: Resume prompt
    case (.resumePrompt, .resumeRun):
        guard case .resumePrompt(var prompt) = model.screen else { return [] }
        if prompt.info.counts.inDoubt > 0 {
            prompt.stage = .inDoubt
            model.screen = .resumePrompt(prompt)
            return []
        }
        return startResume(&model, prompt.info, policy: .leave)
    case (.resumePrompt, .viewRoster):
        guard case .resumePrompt(let prompt) = model.screen else { return [] }
        model.unfinished = prompt.info
        model.screen = .roster
        model.say("Unfinished run left as it is — press r to resume it")
    case (.resumePrompt, .abandonRun):
        guard case .resumePrompt(let prompt) = model.screen else { return [] }
        model.pendingConfirm = .abandonRun(runID: prompt.info.id)
    case (.resumeInDoubt, .inDoubt(let choice)):
        guard case .resumePrompt(let prompt) = model.screen else { return [] }
        let policy: InDoubtPolicy = switch choice {
        case .resend: .resend
        case .markSent: .markSent
        case .leave: .leave
        }
        return startResume(&model, prompt.info, policy: policy)
    case (.resumeInDoubt, .back):
        guard case .resumePrompt(var prompt) = model.screen else { return [] }
        prompt.stage = .choose
        model.screen = .resumePrompt(prompt)

    // MARK: Back out of a screen
    case (_, .back):
        model.screen = .roster
        model.table.scrollToCursor(pageSize: page)

    default:
        break
    }
    return []
}

/// Builds the confirmation for sending to these attendees and asks for the strict check.
func planSend(_ model: inout AppModel, ids: [String], isRetry: Bool) -> [Effect] {
    guard !ids.isEmpty else { return [] }
    let alreadySent = ids.reduce(0) { n, id in
        guard let pos = model.table.position(ofID: id) else { return n }
        let status = model.table.attendees[pos].delivery.status
        return n + (status == .sent || status == .inDoubt ? 1 : 0)
    }
    model.screen = .confirmSend(SendPlan(attendeeIDs: ids, alreadySent: alreadySent, isRetry: isRetry))
    return [.checkSend(attendeeIDs: ids)]
}

func startResume(_ model: inout AppModel, _ info: RunInfo, policy: InDoubtPolicy) -> [Effect] {
    var run = LiveRun(runID: info.id, attendeeIDs: [], startedAt: model.context.now, total: info.counts.total)
    run.counts = info.counts
    run.phase = .starting
    model.run = run
    // Kept until the engine has the run open: if resuming fails, r on the roster can try again.
    model.unfinished = info
    model.screen = .progress
    return [.resumeRun(runID: info.id, inDoubt: policy)]
}

func performConfirmed(_ model: inout AppModel, _ action: ConfirmAction) -> [Effect] {
    switch action {
    case .cancelRun:
        guard var run = model.run, run.isLive else { return [] }
        run.phase = .cancelling
        model.run = run
        return [.cancelRun]
    case .quitDuringRun:
        model.quitting = true
        return [.quit]
    case .abandonRun(let runID):
        return [.abandonRun(runID: runID)]
    }
}
