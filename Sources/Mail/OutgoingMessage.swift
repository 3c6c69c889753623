import Foundation
import Core

// CONTRACT (written first so Engine, TUI and the CLI can build against it).
// The Mail owner may add members; the public signatures stay.

/// A mailbox: display name and addr-spec.
public struct Mailbox: Sendable, Equatable {
    public var name: String
    public var address: String
    public init(name: String = "", address: String) {
        self.name = name
        self.address = address
    }
}

/// A file attached to a message.
public struct Attachment: Sendable, Equatable {
    public var fileName: String
    public var contentType: String
    public var data: Data
    public init(fileName: String, contentType: String = "application/pdf", data: Data) {
        self.fileName = fileName
        self.contentType = contentType
        self.data = data
    }
}

/// One message for one attendee, before serialisation.
///
/// The SMTP and outbox transports serialise it with `MIMEWriter`; Mailjet
/// sends its parts as JSON. `messageID` is the same for every attempt at the
/// same run entry, so receivers can drop duplicates.
public struct OutgoingMessage: Sendable, Equatable {
    public var attendeeID: String
    /// Mailjet `CustomID`: run id + attendee id; also names the outbox file.
    public var customID: String
    /// Without angle brackets, e.g. "r20261204-1402.a17@passmail.example.org".
    public var messageID: String
    public var from: Mailbox
    public var replyTo: Mailbox?
    public var to: Mailbox
    public var subject: String
    public var text: String
    public var html: String?
    public var attachments: [Attachment]
    public var date: Date

    public init(attendeeID: String, customID: String, messageID: String, from: Mailbox, replyTo: Mailbox? = nil,
                to: Mailbox, subject: String, text: String, html: String? = nil, attachments: [Attachment] = [],
                date: Date = Date()) {
        self.attendeeID = attendeeID
        self.customID = customID
        self.messageID = messageID
        self.from = from
        self.replyTo = replyTo
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.date = date
    }
}

/// What a provider knows about a message looked up by its CustomID.
public enum LookupResult: Sendable, Equatable {
    /// The provider has it (accepted); its id.
    case found(messageId: String)
    /// The provider has no record: it was never accepted, safe to resend.
    case notFound
    /// The lookup itself failed; stay in doubt.
    case unknown(reason: String)
}

/// Hands messages to a mail system and says how each attempt ended.
///
/// Implementations: outbox (.eml files), SMTP (libcurl), Mailjet Send API v3.1.
public protocol MailTransport: Sendable {
    /// For people: "smtp (smtp.example.org:587)", "mailjet", "outbox (./outbox)".
    var displayName: String { get }
    /// Messages per call: 1 for SMTP and outbox, up to 50 for Mailjet.
    var maxBatchSize: Int { get }
    /// Whether `lookUp` can resolve in-doubt messages (Mailjet: yes).
    var canLookUp: Bool { get }
    /// Sends a batch; returns one outcome per message, in order. Never throws:
    /// every failure is classified into an outcome.
    func send(_ messages: [OutgoingMessage]) async -> [DeliveryOutcome]
    /// Looks a message up by CustomID (only when `canLookUp`).
    func lookUp(customID: String) async -> LookupResult
    /// Closes pooled connections.
    func shutdown() async
}

extension OutgoingMessage {
    /// The message passmail sends an attendee: from `[sender]`, to the attendee by
    /// name, the rendered templates, and their pass attached.
    ///
    /// One place builds it, so a preview shows exactly what a run sends.
    public init(passFor attendee: Attendee, sender: PassmailConfig.Sender, mail: RenderedMail, pass: Attachment,
                customID: String, messageID: String, date: Date) {
        self.init(attendeeID: attendee.id, customID: customID, messageID: messageID,
                  from: Mailbox(name: sender.name, address: sender.email),
                  replyTo: sender.replyTo.map { Mailbox(address: $0) },
                  to: Mailbox(name: attendee.fullName, address: attendee.email),
                  subject: mail.subject, text: mail.text, html: mail.html,
                  attachments: [pass], date: date)
    }
}
