import Core
import Roster

/// The three filter states (glow's stash): no search, typing one (every key is text), one applied.
public enum SearchMode: Sendable, Equatable {
    case none
    case typing
    case applied
}

/// Orders the roster table can be sorted in; `o` cycles through them.
public enum SortOrder: String, Sendable, CaseIterable {
    case roster = "import order"
    case name
    case passType = "pass type"
    case status
}

/// The attendee table: what is shown (filter + sort), where the cursor is, what is selected.
///
/// Selection is a set of roster positions, independent of the filter: rows that
/// a filter hides stay selected and come back selected.
public struct RosterTable: Sendable {
    public private(set) var index: RosterIndex
    public private(set) var passTypes: [String]
    /// Pass types left out (the filter panel's unchecked boxes).
    public private(set) var excludedTypes: Set<String> = []
    public private(set) var statusFilter: DeliveryStatus?
    public private(set) var search = ""
    public private(set) var searchMode = SearchMode.none
    public private(set) var sort = SortOrder.roster
    /// Positions in `index.attendees` of the shown rows, in display order.
    public private(set) var visible: [Int] = []
    /// Cursor as a position in `visible`.
    public private(set) var cursor = 0
    /// First shown row (scroll offset) as a position in `visible`.
    public private(set) var top = 0
    public private(set) var selection: Set<Int> = []
    /// `v`: the anchor position in `visible` and the selection before the range began.
    public private(set) var range: (anchor: Int, base: Set<Int>)?
    private var order: [Int]?
    /// Delivery outcomes landed that may move rows (status filter or sort): refilter at the next chance.
    public private(set) var isStale = false

    public init(attendees: [Attendee] = [], passTypes: [String] = []) {
        self.init(index: RosterIndex(attendees), passTypes: passTypes)
    }

    /// From an index built elsewhere (off the main actor: folding 100,000 rows takes a while).
    public init(index: RosterIndex, passTypes: [String]) {
        self.index = index
        self.passTypes = passTypes.isEmpty ? Self.distinctTypes(index.attendees) : passTypes
        refilter()
    }

    public func position(ofID id: String) -> Int? { index.index(of: id) }

    static func distinctTypes(_ attendees: [Attendee]) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for a in attendees where !a.passType.isEmpty && seen.insert(a.passType).inserted { out.append(a.passType) }
        return out
    }

    public var attendees: [Attendee] { index.attendees }
    public var total: Int { index.attendees.count }
    public var cursorAttendee: Attendee? { visible.indices.contains(cursor) ? index.attendees[visible[cursor]] : nil }
    public var selectedIDs: [String] { selection.sorted().map { index.attendees[$0].id } }
    public var isRangeActive: Bool { range != nil }

    /// The query this table's filters mean, in the shared `AttendeeFilter` shape.
    public var filter: AttendeeFilter {
        AttendeeFilter(excludeTypes: passTypes.filter { excludedTypes.contains($0) }, status: statusFilter, search: search)
    }

    public var hasFilter: Bool { !excludedTypes.isEmpty || statusFilter != nil || !search.isEmpty }

    // MARK: Data

    /// Replaces the roster (e.g. after a reload), keeping selection and cursor by attendee id.
    public mutating func replaceRoster(_ index: RosterIndex, passTypes: [String]) {
        let selectedIDs = self.selectedIDs
        let cursorID = cursorAttendee?.id
        self.index = index
        let attendees = index.attendees
        self.passTypes = passTypes.isEmpty ? Self.distinctTypes(attendees) : passTypes
        excludedTypes = excludedTypes.intersection(self.passTypes)
        selection = Set(selectedIDs.compactMap { index.index(of: $0) })
        range = nil
        order = nil
        refilter(keeping: cursorID)
    }

    /// Records a delivery outcome on one attendee.
    ///
    /// With a status filter or sort the rows may move; refiltering 100,000 rows per
    /// outcome would swamp a fast run, so that waits for `refreshIfStale` (next key or tick).
    public mutating func updateDelivery(id: String, _ change: (inout DeliveryRecord) -> Void) {
        guard let pos = index.index(of: id) else { return }
        var record = index.attendees[pos].delivery
        change(&record)
        index.updateDelivery(id: id, record)
        if sort == .status { order = nil }
        if statusFilter != nil || sort == .status { isStale = true }
    }

    /// Applies outcomes that arrived since the last refilter.
    public mutating func refreshIfStale() {
        guard isStale else { return }
        refilter(keeping: cursorAttendee?.id)
    }

    // MARK: Filters

    public mutating func beginTyping() { searchMode = .typing; range = nil }

    public mutating func typeSearch(_ text: String) {
        search = text
        refilter(keeping: cursorAttendee?.id)
    }

    /// Esc or Enter while typing: stop typing, keep what was typed.
    public mutating func finishTyping() { searchMode = search.isEmpty ? .none : .applied }

    public mutating func clearSearch() {
        search = ""
        searchMode = .none
        refilter(keeping: cursorAttendee?.id)
    }

    /// Esc with nothing being typed: clear the search, or else the type and status filters.
    public mutating func clearFilters() {
        if !search.isEmpty { clearSearch(); return }
        excludedTypes = []
        statusFilter = nil
        refilter(keeping: cursorAttendee?.id)
    }

    public mutating func toggleType(_ type: String) {
        if excludedTypes.contains(type) { excludedTypes.remove(type) } else { excludedTypes.insert(type) }
        refilter(keeping: cursorAttendee?.id)
    }

    /// `t`: all types → only the first → only the second → … → all types.
    public mutating func cyclePassType() {
        guard !passTypes.isEmpty else { return }
        let shown = passTypes.filter { !excludedTypes.contains($0) }
        if shown.count == 1, let i = passTypes.firstIndex(of: shown[0]) {
            if i + 1 < passTypes.count {
                excludedTypes = Set(passTypes).subtracting([passTypes[i + 1]])
            } else {
                excludedTypes = []
            }
        } else {
            excludedTypes = Set(passTypes.dropFirst())
        }
        refilter(keeping: cursorAttendee?.id)
    }

    /// The single pass type shown, when `t` narrowed to one.
    public var onlyType: String? {
        let shown = passTypes.filter { !excludedTypes.contains($0) }
        return shown.count == 1 && passTypes.count > 1 ? shown[0] : nil
    }

    public mutating func setStatusFilter(_ status: DeliveryStatus?) {
        statusFilter = status
        refilter(keeping: cursorAttendee?.id)
    }

    public mutating func cycleSort() {
        let all = SortOrder.allCases
        sort = all[(all.firstIndex(of: sort)! + 1) % all.count]
        order = nil
        refilter(keeping: cursorAttendee?.id)
    }

    // MARK: Cursor

    public mutating func moveCursor(by delta: Int, pageSize: Int) {
        moveCursor(to: cursor + delta, pageSize: pageSize)
    }

    public mutating func moveCursor(to position: Int, pageSize: Int) {
        guard !visible.isEmpty else { cursor = 0; top = 0; return }
        cursor = min(max(0, position), visible.count - 1)
        if let range {
            let lo = min(range.anchor, cursor), hi = max(range.anchor, cursor)
            selection = range.base.union(visible[lo...hi])
        }
        scrollToCursor(pageSize: pageSize)
    }

    /// Keeps the cursor row on screen with as little scrolling as possible.
    public mutating func scrollToCursor(pageSize: Int) {
        let page = max(1, pageSize)
        if cursor < top { top = cursor }
        if cursor >= top + page { top = cursor - page + 1 }
        top = max(0, min(top, max(0, visible.count - page)))
    }

    // MARK: Selection

    /// Space: toggle the cursor row, then move down.
    public mutating func toggleAtCursor(pageSize: Int) {
        guard let pos = visible[safe: cursor] else { return }
        range = nil
        if selection.contains(pos) { selection.remove(pos) } else { selection.insert(pos) }
        moveCursor(by: 1, pageSize: pageSize)
    }

    public mutating func selectAllShown() { range = nil; selection.formUnion(visible) }

    public mutating func clearSelection() { range = nil; selection = [] }

    public mutating func invertShown() {
        range = nil
        for pos in visible {
            if selection.contains(pos) { selection.remove(pos) } else { selection.insert(pos) }
        }
    }

    /// `v`: start a range at the cursor (selecting it), or end the current one.
    public mutating func toggleRange() {
        if range != nil { range = nil; return }
        guard let pos = visible[safe: cursor] else { return }
        range = (cursor, selection)
        selection.insert(pos)
    }

    public mutating func endRange() { range = nil }

    public var selectedShownCount: Int { selection.isEmpty ? 0 : visible.reduce(0) { $0 + (selection.contains($1) ? 1 : 0) } }

    // MARK: Filtering

    private mutating func refilter(keeping cursorID: String? = nil) {
        range = nil
        isStale = false
        let kept = index.attendees.isEmpty ? [] : (filter.isEmpty ? Array(index.attendees.indices) : index.select(filter))
        if sort == .roster {
            visible = kept
        } else {
            let ordering = order ?? sortedOrder()
            order = ordering
            var keep = [Bool](repeating: false, count: index.attendees.count)
            for i in kept { keep[i] = true }
            visible = ordering.filter { keep[$0] }
        }
        if let cursorID, let pos = visible.firstIndex(where: { index.attendees[$0].id == cursorID }) {
            cursor = pos
        } else {
            cursor = min(cursor, max(0, visible.count - 1))
        }
        top = min(top, cursor)
    }

    private func sortedOrder() -> [Int] {
        let a = index.attendees
        switch sort {
        case .roster:
            return Array(a.indices)
        case .name:
            let keys = a.map { SearchText.fold($0.lastName + " " + $0.firstName) }
            return a.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
        case .passType:
            let rank = Dictionary(passTypes.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            return a.indices.sorted {
                let l = rank[a[$0].passType] ?? Int.max, r = rank[a[$1].passType] ?? Int.max
                return l != r ? l < r : $0 < $1
            }
        case .status:
            // Problems first: what needs attention sorts to the top.
            func rank(_ s: DeliveryStatus) -> Int {
                switch s { case .failed: 0; case .inDoubt: 1; case .unsent: 2; case .sent: 3 }
            }
            return a.indices.sorted {
                let l = rank(a[$0].delivery.status), r = rank(a[$1].delivery.status)
                return l != r ? l < r : $0 < $1
            }
        }
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
