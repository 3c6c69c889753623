import Foundation
import Core

// CONTRACT (written first so Mail, Engine, TUI and the CLI can build against it).
// Public signatures stay; members may be added.

/// A pass ready to attach: the signed token in its QR code, the short human code, the PDF.
public struct IssuedPass: Sendable, Equatable {
    public var token: String
    /// Short code printed under the QR code, e.g. "K7QX-4PM2", for reading aloud at the door.
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
    // Immutable after init; the key locks itself and every render gets its own Cairo surface.
    private let key: Ed25519PrivateKey
    private let keyID: String
    private let event: PassmailConfig.Event
    private let palette: PassPalette
    private let renderer: PassRenderer

    /// The key that verifies this issuer's passes (what door scanners need).
    public let publicKey: Ed25519PublicKey

    public convenience init(workspace: Workspace) throws {
        try self.init(workspace: workspace, environment: ProcessInfo.processInfo.environment)
    }

    /// Validates the pass size and logo first (cheap, most often mistyped), then loads the key.
    public convenience init(workspace: Workspace, environment: [String: String]) throws {
        let config = workspace.config
        let size = try PassSize(parsing: config.pass.size)
        let logo = try config.pass.logo.map { try PNGImage(contentsOf: workspace.resolve($0), key: "pass.logo") }
        try Self.validateEventID(config.event.id)
        let key = try PassKeys.signingKey(for: workspace, environment: environment)
        try self.init(key: key, event: config.event, size: size, colors: config.pass.colors, logo: logo)
        if Secrets.value(Secrets.passSigningKey, environment: environment) == nil {
            try checkPublicKeyFile(workspace.publicKeyURL)
        }
    }

    init(key: Ed25519PrivateKey, event: PassmailConfig.Event, size: PassSize, colors: [String: String], logo: PNGImage?) throws {
        self.key = key
        publicKey = try key.publicKey()
        keyID = publicKey.keyID
        self.event = event
        palette = PassPalette(colors: colors)
        renderer = PassRenderer(size: size, logo: logo)
    }

    /// Signs a token and renders the PDF. Safe to call from several threads.
    public func issue(for attendee: Attendee, issuedAt: Date = Date()) throws -> IssuedPass {
        let token = try self.token(for: attendee, issuedAt: issuedAt)
        let code = try HumanCode.derive(eventID: event.id, attendeeID: attendee.id, key: key)
        let name = attendee.fullName.isEmpty ? attendee.email : attendee.fullName
        let type = attendee.passType.trimmingCharacters(in: .whitespaces)
        let content = PassContent(
            eventName: event.name, eventDate: event.date, venue: event.venue,
            attendeeName: name.isEmpty ? attendee.id : name, company: attendee.company,
            passTypeLabel: type.isEmpty ? "Attendee" : type, bandColor: palette.color(for: type),
            humanCode: code, token: token)
        let pdf = try renderer.render(content)
        return IssuedPass(token: token, humanCode: code, pdf: pdf, fileName: PassFileName.forAttendee(attendee))
    }

    /// The signed token alone (no PDF), e.g. for previews and tests.
    public func token(for attendee: Attendee, issuedAt: Date = Date()) throws -> String {
        let claims = PassClaims(keyID: keyID, eventID: TokenField.encode(event.id), attendeeID: TokenField.encode(attendee.id),
                                passType: TokenField.encode(attendee.passType.trimmingCharacters(in: .whitespaces)),
                                issuedAt: issuedAt)
        return try PassToken.sign(claims, with: key)
    }

    /// The human code for an attendee without rendering (for templates and previews).
    public func humanCode(for attendee: Attendee) -> String {
        do { return try HumanCode.derive(eventID: event.id, attendeeID: attendee.id, key: key) } catch {
            // Signing with a key that loaded fine fails only when OpenSSL cannot allocate memory.
            preconditionFailure("cannot derive the human code: \(error)")
        }
    }

    /// The event id goes verbatim into tokens and names the event at the door; keep it printable.
    static func validateEventID(_ id: String) throws {
        guard !id.isEmpty, id.unicodeScalars.allSatisfy({ $0.properties.generalCategory != .control }) else {
            throw PassmailError.config("event.id: \"\(id)\" must be a short printable id such as \"conf2027\"")
        }
    }

    /// A public key file that does not match the signing key would make every scanner refuse every pass.
    private func checkPublicKeyFile(_ url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let onDisk = try PassKeys.publicKey(at: url)
        guard onDisk.raw == publicKey.raw else {
            throw PassmailError.config(
                "\(url.path) (pass.public_key) does not match the pass signing key, so door scanners using it would refuse "
                + "every pass; recreate it with `openssl pkey -in SIGNING_KEY -pubout -out \(url.path)`")
        }
    }
}

extension IssuedPass {
    /// Writes the PDF atomically (no half-written pass ever) and private to the
    /// owner: a pass is an entry credential, like the messages in the outbox.
    public func writePDF(to url: URL) throws {
        try AtomicFile.write(pdf, to: url, mode: 0o600)
    }
}
