import Foundation
import Core

// CONTRACT (written first so Mail, Engine, TUI and the CLI can build against it).
// The Passes owner replaces the bodies; the public signatures stay.

/// A pass ready to attach: the signed token in its QR code, the short human code, the PDF.
public struct IssuedPass: Sendable, Equatable {
    public var token: String
    /// Short code printed under the QR code, e.g. "K7Q-4PX2", for reading aloud at the door.
    public var humanCode: String
    public var pdf: Data
    /// Attachment file name after the attendee, e.g. "Pass - Zoë Müller.pdf".
    public var fileName: String

    public init(token: String, humanCode: String, pdf: Data, fileName: String) {
        self.token = token
        self.humanCode = humanCode
        self.pdf = pdf
        self.fileName = fileName
    }
}

/// Signs tokens and renders pass PDFs for one workspace.
///
/// Creating it checks everything up front (signing key, pass size, logo) so a
/// run never starts with a configuration that cannot produce passes.
public final class PassIssuer: @unchecked Sendable {
    public init(workspace: Workspace) throws {
        fatalError("PassIssuer not built yet")
    }

    /// Signs a token and renders the PDF. Safe to call from several threads.
    public func issue(for attendee: Attendee, issuedAt: Date = Date()) throws -> IssuedPass {
        fatalError("not built yet")
    }

    /// The human code for an attendee without rendering (for templates and previews).
    public func humanCode(for attendee: Attendee) -> String { fatalError("not built yet") }
}
