import Foundation
import Core
import Engine

/// The whole interface state: one owner, changed only by `update`.
public struct AppModel: Sendable {
    public var context: AppContext
    public var table: RosterTable
    public var width: Int
    public var height: Int
    public var screen: Screen = .roster
    /// The run this process drives, if any (it continues while other screens are shown).
    public var run: LiveRun?
    /// An unfinished run from an earlier session the organiser chose to look at first (`v`).
    public var unfinished: RunInfo?
    /// Who is in doubt in that run ("Name <email>"), so the choice to resend or mark them
    /// sent is made knowing whom it concerns.
    public var unfinishedInDoubt: [String] = []
    public var helpVisible = false { didSet { helpScroll = 0 } }
    /// First help line shown, when the help is longer than the screen.
    public var helpScroll = 0
    /// First problem shown on the summary, when there are more than fit.
    public var summaryScroll = 0
    public var pendingConfirm: ConfirmAction?
    /// One line under the table: the result of the last action, or why a key did nothing.
    public var message: StatusMessage?
    /// Set once `.quit` was returned; the loop is stopping.
    public var quitting = false
    /// The full roster is loaded and indexed; until then the table shows at most its first page.
    public var rosterLoaded: Bool
    /// The true number of attendees while only the first page is shown (`.rosterFirstPage`).
    public var firstPageTotal: Int?
    /// Roster keys pressed before the full roster arrived, applied in order once it does, so
    /// `a`, `/`, `G`, a sort or a filter never act on the first page alone.
    public var pendingKeys: [Key] = []
    /// Why the full roster could not be read at launch: roster keys are refused, not queued.
    public var rosterLoadError: String?

    public struct StatusMessage: Sendable, Equatable {
        public var text: String
        public var isError: Bool
    }

    public init(context: AppContext, attendees: [Attendee] = [], passTypes: [String] = [],
                width: Int = 100, height: Int = 30, unfinished: RunInfo? = nil, rosterLoaded: Bool = true) {
        self.context = context
        self.table = RosterTable(attendees: attendees, passTypes: passTypes)
        self.width = width
        self.height = height
        self.rosterLoaded = rosterLoaded
        if let unfinished { screen = .resumePrompt(ResumePrompt(info: unfinished)) }
    }

    /// Rows of the attendee table that fit: the screen minus header, column titles, footer, message and key bar.
    public var tablePageSize: Int { max(1, height - 5) }

    public static let minimumWidth = 60
    public static let minimumHeight = 16
    public var isTooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }

    /// Where key presses go right now: the key table is looked up for this scope.
    public var scope: KeyScope {
        if pendingConfirm != nil { return .confirmDialog }
        if helpVisible { return .help }
        switch screen {
        case .roster: return table.searchMode == .typing ? .searchTyping : .roster
        case .filterPanel: return .filterPanel
        case .preview: return .preview
        case .confirmSend: return .confirmSend
        case .progress: return .progress
        case .summary: return .summary
        case .resumePrompt(let p): return p.stage == .choose ? .resumePrompt : .resumeInDoubt
        }
    }

    mutating func say(_ text: String) { message = StatusMessage(text: text, isError: false) }
    mutating func complain(_ text: String) { message = StatusMessage(text: text, isError: true) }

    /// Attendees of this session's run whose delivery failed: those reported here, then those
    /// of a resumed run that failed in an earlier session (the roster records them).
    public var failedInRun: [String] {
        guard let run else { return [] }
        var ids = run.failedIDs
        var seen = Set(ids)
        for id in run.attendeeIDs where !seen.contains(id) {
            if let pos = table.position(ofID: id), table.attendees[pos].delivery.status == .failed {
                ids.append(id); seen.insert(id)
            }
        }
        return ids
    }

    /// The rows of the filter panel: one per pass type, then one per status choice.
    public var filterPanelRows: [FilterPanelRow] {
        table.passTypes.map { .passType($0) } + [.status(nil)] + DeliveryStatus.allCases.map { .status($0) }
    }
}

public enum FilterPanelRow: Sendable, Equatable {
    case passType(String)
    case status(DeliveryStatus?)
}
