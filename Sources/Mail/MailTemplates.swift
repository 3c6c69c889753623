import Foundation
import Core

// CONTRACT (written first so Engine, TUI and the CLI can build against it).
// The Mail owner replaces the bodies; the public signatures stay.

/// A problem a template has with one attendee, found before anything is sent.
public struct TemplateProblem: Sendable, Equatable, CustomStringConvertible {
    /// "subject", or the template's path relative to the workspace.
    public var template: String
    public var line: Int
    public var field: String
    public var attendeeID: String
    public var reason: String
    public init(template: String, line: Int, field: String, attendeeID: String, reason: String) {
        self.template = template
        self.line = line
        self.field = field
        self.attendeeID = attendeeID
        self.reason = reason
    }
    public var description: String { "\(template):\(line): {{\(field)}}: \(reason) (attendee \(attendeeID))" }
}

/// Subject, text and optional HTML rendered for one attendee.
public struct RenderedMail: Sendable, Equatable {
    public var subject: String
    public var text: String
    public var html: String?
    public init(subject: String, text: String, html: String?) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}

/// The workspace's compiled Mustache templates (`[templates]`), strict about missing fields.
public struct MailTemplates: Sendable {
    /// Loads and compiles; syntax errors name the template file and line.
    public init(workspace: Workspace) throws {
        fatalError("MailTemplates not built yet")
    }

    /// Every problem rendering this attendee would hit (empty when fine).
    public func check(_ attendee: Attendee, passCode: String) -> [TemplateProblem] { fatalError("not built yet") }

    /// Renders; throws the first problem if any.
    public func render(_ attendee: Attendee, passCode: String) throws -> RenderedMail { fatalError("not built yet") }

    /// A short hash of the template sources, for the run fingerprint.
    public var fingerprint: String { fatalError("not built yet") }
}
