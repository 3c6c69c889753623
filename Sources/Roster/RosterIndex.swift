import Foundation
import Core

/// The whole roster in memory with search text pre-folded, for filtering as
/// the organiser types (the TUI re-filters 100,000 rows on every key).
///
/// The same `AttendeeFilter` semantics as `RosterStore.attendees(matching:)`:
/// both go through `AttendeeMatcher`. Folding happens once per attendee here,
/// so a filter is a scan of byte arrays, status bytes and type slots.
public struct RosterIndex: Sendable {
    public private(set) var attendees: [Attendee]
    /// Folded "first last email company" of every attendee, back to back in one buffer
    /// (one allocation, scanned linearly: no per-row retain/release in the hot loop).
    private var text: [UInt8]
    /// Where attendee i's folded text starts in `text`, and how long it is.
    private var textStart: [Int]
    private var textLength: [Int32]
    private var statuses: [DeliveryStatus]
    /// Per attendee, an index into `typeKeys`.
    private var typeSlots: [Int32]
    /// Distinct pass types, folded (`AttendeeMatcher.typeKey`).
    private var typeKeys: [String]
    private var slotByTypeKey: [String: Int32]
    private var positionById: [String: Int]

    public init(_ attendees: [Attendee]) {
        self.attendees = attendees
        text = []
        textStart = []
        textLength = []
        statuses = []
        typeSlots = []
        typeKeys = []
        slotByTypeKey = [:]
        positionById = [:]
        text.reserveCapacity(attendees.count * 48)
        textStart.reserveCapacity(attendees.count)
        textLength.reserveCapacity(attendees.count)
        statuses.reserveCapacity(attendees.count)
        typeSlots.reserveCapacity(attendees.count)
        positionById.reserveCapacity(attendees.count)
        for (i, a) in attendees.enumerated() {
            appendText(AttendeeMatcher.searchText(a))
            statuses.append(a.delivery.status)
            typeSlots.append(slot(forType: a.passType))
            positionById[a.id] = i
        }
    }

    public var count: Int { attendees.count }

    /// The position of an attendee by id.
    public func index(of id: String) -> Int? { positionById[id] }

    /// Adds one attendee's folded text at the end of the buffer.
    private mutating func appendText(_ folded: [UInt8]) {
        textStart.append(text.count)
        textLength.append(Int32(folded.count))
        text.append(contentsOf: folded)
    }

    private mutating func slot(forType type: String) -> Int32 {
        let key = AttendeeMatcher.typeKey(type)
        if let s = slotByTypeKey[key] { return s }
        let s = Int32(typeKeys.count)
        typeKeys.append(key)
        slotByTypeKey[key] = s
        return s
    }

    /// Indices into `attendees` of the rows the filter keeps, in order.
    public func select(_ filter: AttendeeFilter) -> [Int] {
        let matcher = AttendeeMatcher(filter)
        let allowed = typeKeys.map { matcher.allowsType(key: $0) }
        let restrictsType = matcher.restrictsType
        let status = matcher.status
        let searching = !matcher.words.isEmpty

        return text.withUnsafeBufferPointer { all -> [Int] in
            func keeps(_ i: Int) -> Bool {
                if let status, statuses[i] != status { return false }
                if restrictsType, !allowed[Int(typeSlots[i])] { return false }
                if searching {
                    let start = textStart[i]
                    let slice = UnsafeBufferPointer(rebasing: all[start..<(start + Int(textLength[i]))])
                    if !matcher.textMatches(slice) { return false }
                }
                return true
            }
            if let ids = matcher.ids {
                // Few ids: look them up instead of scanning everyone.
                return ids.compactMap { positionById[$0] }.sorted().filter(keeps)
            }
            var out: [Int] = []
            out.reserveCapacity(filter.isEmpty ? attendees.count : 256)
            for i in 0..<attendees.count where keeps(i) { out.append(i) }
            return out
        }
    }

    /// The attendees the filter keeps, in roster order.
    public func attendees(matching filter: AttendeeFilter) -> [Attendee] {
        select(filter).map { attendees[$0] }
    }

    /// Replaces one attendee (e.g. after a delivery outcome) keeping the index valid.
    ///
    /// An id not yet in the index is appended at the end.
    public mutating func update(_ attendee: Attendee) {
        guard let i = positionById[attendee.id] else {
            positionById[attendee.id] = attendees.count
            attendees.append(attendee)
            appendText(AttendeeMatcher.searchText(attendee))
            statuses.append(attendee.delivery.status)
            typeSlots.append(slot(forType: attendee.passType))
            return
        }
        let old = attendees[i]
        attendees[i] = attendee
        statuses[i] = attendee.delivery.status
        if old.passType != attendee.passType { typeSlots[i] = slot(forType: attendee.passType) }
        if old.firstName != attendee.firstName || old.lastName != attendee.lastName
            || old.email != attendee.email || old.company != attendee.company {
            // The new text goes to the end; the old bytes stay unused (names rarely change).
            let folded = AttendeeMatcher.searchText(attendee)
            textStart[i] = text.count
            textLength[i] = Int32(folded.count)
            text.append(contentsOf: folded)
        }
    }

    /// Replaces only the delivery record of one attendee (the common case while sending).
    public mutating func updateDelivery(id: String, _ delivery: DeliveryRecord) {
        guard let i = positionById[id] else { return }
        attendees[i].delivery = delivery
        statuses[i] = delivery.status
    }
}
