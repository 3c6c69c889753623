import Foundation
import Core
import Roster
import Passes
import Mail

/// Makes the message for one run entry (pass + templates). Called off the actor, from several workers.
public protocol MessageRenderer: Sendable {
    func message(for member: RunMember, runID: String, messageID: String, customID: String, at: Date) throws -> OutgoingMessage
}

/// Where per-attendee delivery status lives across runs (the roster).
public protocol DeliveryLedger: Sendable {
    func recordDelivery(attendeeID: String, status: DeliveryStatus, at: Date, messageID: String?, error: String?) throws
    /// Current statuses of these attendees (missing ones are left out).
    func statuses(of attendeeIDs: [String]) throws -> [String: DeliveryStatus]
}

/// Serialises roster access: the renderer's reads and the controller's writes share one SQLite handle.
final class RosterGate: @unchecked Sendable {
    let store: RosterStore
    private let lock = NSLock()
    init(_ store: RosterStore) { self.store = store }
    func with<T>(_ body: (RosterStore) throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body(store)
    }
}

/// The real renderer: the attendee as in the roster now, a freshly signed pass, the workspace's templates.
struct WorkspaceRenderer: MessageRenderer {
    let roster: RosterGate
    let issuer: PassIssuer
    let templates: MailTemplates
    let sender: PassmailConfig.Sender

    func message(for member: RunMember, runID: String, messageID: String, customID: String, at: Date) throws -> OutgoingMessage {
        guard let attendee = try roster.with({ try $0.attendee(id: member.attendeeID) }) else {
            throw PassmailError.data("attendee \(member.attendeeID) is no longer in the roster")
        }
        let pass = try issuer.issue(for: attendee, issuedAt: at)
        let mail = try templates.render(attendee, passCode: pass.humanCode)
        try? roster.with { try $0.recordPassGenerated(ids: [attendee.id], at: at) }
        return OutgoingMessage(passFor: attendee, sender: sender, mail: mail,
                               pass: Attachment(fileName: pass.fileName, contentType: "application/pdf", data: pass.pdf),
                               customID: customID, messageID: messageID, date: at)
    }
}

struct RosterLedger: DeliveryLedger {
    let roster: RosterGate
    func recordDelivery(attendeeID: String, status: DeliveryStatus, at: Date, messageID: String?, error: String?) throws {
        try roster.with { try $0.recordDelivery(id: attendeeID, status: status, at: at, messageId: messageID, error: error) }
    }
    func statuses(of attendeeIDs: [String]) throws -> [String: DeliveryStatus] {
        let list = try roster.with { try $0.attendees(matching: AttendeeFilter(ids: attendeeIDs)) }
        var out: [String: DeliveryStatus] = [:]
        for a in list { out[a.id] = a.delivery.status }
        return out
    }
}
