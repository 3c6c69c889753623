/// Where a key press is looked up: one list of bindings per screen state.
public enum KeyScope: String, Sendable, CaseIterable {
    case roster, searchTyping, filterPanel, preview, confirmSend, progress, summary
    case resumePrompt, resumeInDoubt, confirmDialog, help

    /// For the `?` help title.
    public var title: String {
        switch self {
        case .roster: "Roster"
        case .searchTyping: "Typing a search"
        case .filterPanel: "Filter"
        case .preview: "Preview"
        case .confirmSend: "Confirm send"
        case .progress: "Progress"
        case .summary: "Summary"
        case .resumePrompt: "Unfinished run"
        case .resumeInDoubt: "In-doubt entries"
        case .confirmDialog: "Confirm"
        case .help: "Help"
        }
    }
}

/// What a binding does; `update` performs it.
public enum Action: Sendable, Equatable {
    case up, down, pageUp, pageDown, top, bottom
    case toggleSelect, selectAllShown, clearSelection, invertShown, rangeSelect
    case startSearch, clearFilter, openFilterPanel, cyclePassType, cycleSort
    case openPreview, planSend, watchRun, showUnfinished
    case help, quit, back
    case writePass
    case startSend, toggleResend
    case pauseOrResume, cancelRun, retryFailed, exportReport
    case resumeRun, viewRoster, abandonRun
    case inDoubt(InDoubtChoice)
    case filterToggle
    case confirmYes, confirmNo
    case applySearch, stopTyping, clearTyped
}

public enum InDoubtChoice: Sendable, Equatable { case resend, markSent, leave }

/// One key binding (lazygit's `Binding`): keys, action, short and long description, and when it does not apply.
///
/// The same table drives dispatch, the bottom key bar and the `?` help, so they cannot disagree.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var action: Action
    /// A word or two for the key bar.
    public var short: String
    /// A sentence for the help screen.
    public var long: String
    /// Shown in the bottom bar (rarely used keys only in help).
    public var inBar: Bool
    /// Why the binding does nothing right now, or nil when it applies.
    public var disabledReason: @Sendable (AppModel) -> String?

    public init(_ keys: [Key], _ action: Action, _ short: String, _ long: String, inBar: Bool = true,
                disabled: @escaping @Sendable (AppModel) -> String? = { _ in nil }) {
        self.keys = keys; self.action = action; self.short = short; self.long = long; self.inBar = inBar
        self.disabledReason = disabled
    }

    /// "j/k", "space", "PgUp/PgDn": how bar and help write the keys.
    public var keyLabel: String {
        var labels: [String] = []
        for k in keys where !labels.contains(k.label) { labels.append(k.label) }
        // Arrows are listed after their letter twins in help; the bar shows the letters.
        return labels.joined(separator: "/")
    }
}

public enum KeyTable {
    /// Every binding of a scope, in help order.
    public static func bindings(for scope: KeyScope) -> [KeyBinding] {
        switch scope {
        case .roster: roster
        case .searchTyping: typing
        case .filterPanel: filterPanel
        case .preview: preview
        case .confirmSend: confirmSend
        case .progress: progress
        case .summary: summary
        case .resumePrompt: resumePrompt
        case .resumeInDoubt: resumeInDoubt
        case .confirmDialog: confirmDialog
        case .help: help
        }
    }

    /// The binding a key triggers in a scope, if any.
    public static func binding(for key: Key, in scope: KeyScope) -> KeyBinding? {
        bindings(for: scope).first { $0.keys.contains(key) }
    }

    // MARK: Shared rows

    static let moveDown = KeyBinding([.char("j"), .down], .down, "down", "Move the cursor down", inBar: false)
    static let moveUp = KeyBinding([.char("k"), .up], .up, "up", "Move the cursor up", inBar: false)
    static let pageDown = KeyBinding([.pageDown, .char("J")], .pageDown, "page down", "Move down one page", inBar: false)
    static let pageUp = KeyBinding([.pageUp, .char("K")], .pageUp, "page up", "Move up one page", inBar: false)
    static let top = KeyBinding([.char("g"), .home], .top, "top", "Go to the first row", inBar: false)
    static let bottom = KeyBinding([.char("G"), .end], .bottom, "bottom", "Go to the last row", inBar: false)
    static let helpKey = KeyBinding([.char("?")], .help, "help", "Show every key of this screen")
    static let ctrlC = KeyBinding([.ctrlC], .quit, "quit", "Quit now; a run in progress stops after its in-flight messages and stays resumable", inBar: false)

    static func noLiveRun(_ m: AppModel) -> String? {
        if let run = m.run, run.isLive { return "a run is in progress (press w to watch it)" }
        return nil
    }

    // MARK: Scopes

    static let roster: [KeyBinding] = [
        moveDown, moveUp, pageDown, pageUp, top, bottom,
        KeyBinding([.char(" ")], .toggleSelect, "select", "Select or unselect the row and move down",
                   disabled: { $0.table.visible.isEmpty ? "no rows shown" : nil }),
        KeyBinding([.char("a")], .selectAllShown, "all", "Select every shown row (hidden rows keep their selection)",
                   disabled: { $0.table.visible.isEmpty ? "no rows shown" : nil }),
        KeyBinding([.char("A")], .clearSelection, "none", "Clear the whole selection, shown and hidden", inBar: false,
                   disabled: { $0.table.selection.isEmpty ? "nothing is selected" : nil }),
        KeyBinding([.char("i")], .invertShown, "invert", "Invert the selection of the shown rows", inBar: false),
        KeyBinding([.char("v")], .rangeSelect, "range", "Start a range at the cursor; moving selects; v again ends it", inBar: false,
                   disabled: { $0.table.visible.isEmpty ? "no rows shown" : nil }),
        KeyBinding([.char("/")], .startSearch, "search", "Search name, email and company as you type"),
        KeyBinding([.char("f")], .openFilterPanel, "filter", "Open the filter panel: pass types and delivery status"),
        KeyBinding([.char("t")], .cyclePassType, "type", "Show one pass type at a time, then all again",
                   disabled: { $0.table.passTypes.count < 2 ? "the roster has only one pass type" : nil }),
        KeyBinding([.char("o")], .cycleSort, "sort", "Sort by import order, name, pass type or status", inBar: false),
        KeyBinding([.escape], .clearFilter, "clear", "Clear the search, or else the type and status filters", inBar: false,
                   disabled: { $0.table.hasFilter || $0.table.isRangeActive ? nil : "no filter to clear" }),
        KeyBinding([.enter], .openPreview, "preview", "Preview the message and pass for the row under the cursor",
                   disabled: { $0.table.cursorAttendee == nil ? "no row under the cursor" : nil }),
        KeyBinding([.char("s")], .planSend, "send", "Send passes to the selected attendees (asks first)",
                   disabled: { m in
                       if m.table.selection.isEmpty { return "select attendees first (space, a)" }
                       return noLiveRun(m)
                   }),
        KeyBinding([.char("w")], .watchRun, "watch run", "Show the progress of the run in progress",
                   disabled: { $0.run == nil ? "no run in this session" : nil }),
        KeyBinding([.char("r")], .showUnfinished, "resume", "Resume the unfinished run from an earlier session",
                   disabled: { $0.unfinished == nil ? "no unfinished run" : nil }),
        helpKey,
        KeyBinding([.char("q")], .quit, "quit", "Quit (a run in progress stays resumable; asks first)"),
        ctrlC,
    ]

    static let typing: [KeyBinding] = [
        KeyBinding([.enter], .applySearch, "apply", "Stop typing and keep the search"),
        KeyBinding([.escape], .stopTyping, "keep", "Stop typing and keep the search (Esc again clears it)"),
        KeyBinding([.ctrlU], .clearTyped, "clear", "Clear what was typed"),
        KeyBinding([.down], .down, "down", "Move the cursor down", inBar: false),
        KeyBinding([.up], .up, "up", "Move the cursor up", inBar: false),
        KeyBinding([.pageDown], .pageDown, "page down", "Move down one page", inBar: false),
        KeyBinding([.pageUp], .pageUp, "page up", "Move up one page", inBar: false),
        KeyBinding([.ctrlC], .quit, "quit", "Quit now (every other key is text, even q)"),
    ]

    static let filterPanel: [KeyBinding] = [
        moveDown, moveUp,
        KeyBinding([.char(" "), .enter], .filterToggle, "toggle", "Check or uncheck a pass type; choose a status"),
        KeyBinding([.char("t")], .cyclePassType, "type", "Show one pass type at a time, then all again", inBar: false),
        KeyBinding([.char("f"), .escape, .char("q")], .back, "close", "Close the panel (the filter stays)"),
        helpKey, ctrlC,
    ]

    static let preview: [KeyBinding] = [
        KeyBinding([.char("j"), .down], .down, "scroll", "Scroll the message down", inBar: false),
        KeyBinding([.char("k"), .up], .up, "scroll", "Scroll the message up", inBar: false),
        KeyBinding([.char("o")], .writePass, "write PDF", "Write this attendee's pass PDF into passes/ and show the path",
                   disabled: { m in
                       if case .preview(let p) = m.screen, p.content == nil { return p.error == nil ? "still rendering" : "the preview failed" }
                       return nil
                   }),
        helpKey,
        KeyBinding([.escape, .char("q")], .back, "back", "Back to the roster"),
        ctrlC,
    ]

    static let confirmSend: [KeyBinding] = [
        KeyBinding([.enter, .char("y")], .startSend, "send", "Start sending",
                   disabled: { m in
                       guard case .confirmSend(let plan) = m.screen else { return nil }
                       if plan.checking { return "still checking templates" }
                       if !plan.problems.isEmpty { return "fix the template problems first" }
                       if plan.sendCount == 0 { return "everyone selected already has a pass (R includes them)" }
                       return nil
                   }),
        KeyBinding([.char("R")], .toggleResend, "include sent", "Also send to attendees already sent or in doubt (they get it again)",
                   disabled: { m in
                       guard case .confirmSend(let plan) = m.screen, plan.alreadySent > 0 else { return "nobody selected was sent already" }
                       return nil
                   }),
        KeyBinding([.escape, .char("n"), .char("q")], .back, "back", "Back without sending"),
        helpKey, ctrlC,
    ]

    static let progress: [KeyBinding] = [
        KeyBinding([.char("p")], .pauseOrResume, "pause/resume", "Pause sending (in-flight messages finish) or resume",
                   disabled: { m in
                       guard let run = m.run else { return "no run" }
                       switch run.phase {
                       case .ended: return "the run has ended"
                       case .starting: return "the run is still starting"
                       case .cancelling: return "the run is being cancelled"
                       case .pausing: return "already pausing"
                       default: return nil
                       }
                   }),
        KeyBinding([.char("c")], .cancelRun, "cancel", "Cancel the run (asks first; unsent entries stay unsent)",
                   disabled: { m in
                       guard let run = m.run, run.isLive else { return "the run has ended" }
                       if case .cancelling = run.phase { return "already cancelling" }
                       return nil
                   }),
        KeyBinding([.enter], .watchRun, "summary", "Show the summary of the finished run",
                   disabled: { ($0.run?.isEnded ?? false) ? nil : "the run has not ended" }),
        helpKey,
        KeyBinding([.char("q"), .escape], .back, "roster", "Back to the roster; the run continues in the background"),
        ctrlC,
    ]

    static let summary: [KeyBinding] = [
        KeyBinding([.char("j"), .down], .down, "scroll", "Scroll the list down", inBar: false),
        KeyBinding([.char("k"), .up], .up, "scroll", "Scroll the list up", inBar: false),
        KeyBinding([.char("r")], .retryFailed, "retry failed", "Send again to the attendees whose delivery failed",
                   disabled: { $0.failedInRun.isEmpty ? "nothing failed" : nil }),
        KeyBinding([.char("e")], .exportReport, "export", "Write a CSV report of this run into reports/"),
        helpKey,
        KeyBinding([.char("q"), .escape], .back, "roster", "Back to the roster"),
        ctrlC,
    ]

    static let resumePrompt: [KeyBinding] = [
        KeyBinding([.char("r")], .resumeRun, "resume", "Resume the run where it stopped"),
        KeyBinding([.char("v")], .viewRoster, "view", "Look at the roster first (r there resumes)"),
        KeyBinding([.char("x")], .abandonRun, "abandon", "Abandon the run (asks first): nothing more is sent for it"),
        helpKey,
        KeyBinding([.char("q")], .quit, "quit", "Quit; the run stays unfinished and resumable"),
        ctrlC,
    ]

    static let resumeInDoubt: [KeyBinding] = [
        KeyBinding([.char("s")], .inDoubt(.resend), "resend", "Send the in-doubt entries again (they may get two emails)"),
        KeyBinding([.char("m")], .inDoubt(.markSent), "mark sent", "Count them as sent without sending"),
        KeyBinding([.char("l")], .inDoubt(.leave), "leave", "Leave them in doubt and resume the rest"),
        KeyBinding([.escape], .back, "back", "Back to the choices"),
        helpKey, ctrlC,
    ]

    static let confirmDialog: [KeyBinding] = [
        KeyBinding([.char("y"), .enter], .confirmYes, "yes", "Do it"),
        KeyBinding([.char("n"), .escape, .char("q")], .confirmNo, "no", "Don't"),
        ctrlC,
    ]

    static let help: [KeyBinding] = [
        KeyBinding([.char("j"), .down, .char("k"), .up], .down, "scroll", "Scroll the help when it is longer than the screen"),
        KeyBinding([.char("?"), .escape, .char("q")], .back, "close", "Close the help (so does any other key)"),
        ctrlC,
    ]
}
