import Foundation

/// One person on the roster, as imported, plus what passmail has done for them.
public struct Attendee: Sendable, Equatable, Codable {
    /// Stable id: from the export's id column, or derived from the email.
    public var id: String
    public var firstName: String
    public var lastName: String
    public var email: String
    public var company: String
    public var passType: String
    /// Every other imported column, by its header as written in the file, in file order.
    public var fields: [Field]
    public var delivery: DeliveryRecord

    public struct Field: Sendable, Equatable, Codable {
        public var name: String
        public var value: String
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    public init(id: String, firstName: String, lastName: String, email: String, company: String = "",
                passType: String = "", fields: [Field] = [], delivery: DeliveryRecord = DeliveryRecord()) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.company = company
        self.passType = passType
        self.fields = fields
        self.delivery = delivery
    }

    /// "First Last", or whichever part exists.
    public var fullName: String {
        [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The value of an imported column by name (exact match first, then case-insensitive).
    public func field(_ name: String) -> String? {
        if let f = fields.first(where: { $0.name == name }) { return f.value }
        let lower = name.lowercased()
        return fields.first(where: { $0.name.lowercased() == lower })?.value
    }
}

/// Where an attendee stands in delivery, across all runs.
public enum DeliveryStatus: String, Sendable, Codable, CaseIterable {
    case unsent
    case sent
    case failed
    case inDoubt = "in_doubt"

    /// Words for people, e.g. in the TUI: "in doubt" rather than "in_doubt".
    public var label: String {
        switch self {
        case .unsent: "unsent"
        case .sent: "sent"
        case .failed: "failed"
        case .inDoubt: "in doubt"
        }
    }
}

/// The per-attendee delivery record; re-importing never touches it.
public struct DeliveryRecord: Sendable, Equatable, Codable {
    public var status: DeliveryStatus
    public var passGeneratedAt: Date?
    public var emailedAt: Date?
    public var lastError: String?
    public var messageId: String?

    public init(status: DeliveryStatus = .unsent, passGeneratedAt: Date? = nil, emailedAt: Date? = nil,
                lastError: String? = nil, messageId: String? = nil) {
        self.status = status
        self.passGeneratedAt = passGeneratedAt
        self.emailedAt = emailedAt
        self.lastError = lastError
        self.messageId = messageId
    }
}
