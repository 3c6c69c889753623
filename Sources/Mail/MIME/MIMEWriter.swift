import Foundation
import Core

/// A message field that cannot be written safely (e.g. an address with a line break in it).
public struct MIMEError: UserFacingError, Equatable {
    /// "From", "To", "Reply-To" or "Message-ID".
    public var field: String
    public var reason: String
    public var exitCode: ExitCode { .dataError }
    public var description: String { "\(field): \(reason)" }
}

/// Serialises an `OutgoingMessage` to RFC 5322 / MIME bytes, exactly as sent over SMTP.
///
/// Structure: `multipart/mixed` of (`multipart/alternative` text + HTML, or the
/// text alone) and the attachments; without attachments the inner part is the
/// whole body. CRLF everywhere, header lines folded to ≤ 78 characters, bodies
/// quoted-printable (text) or base64 (attachments, 76-character lines).
/// Boundaries start with "=_", which neither encoding can ever produce, so a
/// body can never collide with one.
public enum MIMEWriter {
    /// How the message is written.
    public enum Style: Sendable {
        /// The exact bytes for the wire.
        case wire
        /// For people (`passmail preview`): headers as sent, bodies decoded, attachments summarised.
        case preview
    }

    public static func serialize(_ m: OutgoingMessage, style: Style = .wire) throws -> Data {
        Data(try render(m, style: style).utf8)
    }

    /// The message as text (pure ASCII in `.wire` style).
    public static func render(_ m: OutgoingMessage, style: Style = .wire) throws -> String {
        let token = randomToken()
        var out = try headers(m).joined(separator: "\r\n") + "\r\n"
        out += "MIME-Version: 1.0\r\n"

        // The text (and HTML) part, then attachments around it.
        var inner: [(headers: [String], body: String)] = [textPart(m.text, subtype: "plain", style: style)]
        if let html = m.html { inner.append(textPart(html, subtype: "html", style: style)) }
        var body: (headers: [String], body: String)
        if inner.count == 1 {
            body = inner[0]
        } else {
            body = multipart("alternative", boundary: "=_pm_alt_\(token)", parts: inner)
        }
        if !m.attachments.isEmpty {
            body = multipart("mixed", boundary: "=_pm_mix_\(token)",
                             parts: [body] + m.attachments.map { attachmentPart($0, style: style) })
        }
        out += body.headers.joined(separator: "\r\n") + "\r\n\r\n" + body.body
        return style == .wire ? out : out.replacingOccurrences(of: "\r\n", with: "\n")
    }

    static func headers(_ m: OutgoingMessage) throws -> [String] {
        var h: [String] = []
        h.append("Date: " + HeaderEncoding.date(m.date))
        h.append("From: " + (try HeaderEncoding.mailbox(m.from.name, m.from.address, field: "From")))
        h.append("To: " + (try HeaderEncoding.mailbox(m.to.name, m.to.address, field: "To")))
        if let r = m.replyTo { h.append("Reply-To: " + (try HeaderEncoding.mailbox(r.name, r.address, field: "Reply-To"))) }
        h.append(HeaderEncoding.unstructured("Subject", m.subject))
        h.append("Message-ID: <\(try checkedMessageID(m.messageID))>")
        return h
    }

    /// The address as it will be written, or a `MIMEError` saying why it cannot be
    /// (line breaks, non-ASCII, no "@"): what `passmail check` reports per attendee.
    public static func checkedAddress(_ address: String, field: String) throws -> String {
        try HeaderEncoding.checkedAddress(address, field: field)
    }

    static func checkedMessageID(_ id: String) throws -> String {
        guard !id.isEmpty, id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }),
              id.contains("@") else {
            throw MIMEError(field: "Message-ID", reason: "\"\(HeaderEncoding.sanitized(id))\" is not a valid message id (need left@right, printable ASCII)")
        }
        return id
    }

    static func textPart(_ text: String, subtype: String, style: Style) -> (headers: [String], body: String) {
        let headers = ["Content-Type: text/\(subtype); charset=utf-8", "Content-Transfer-Encoding: quoted-printable"]
        if style == .preview {
            return (headers, text.hasSuffix("\n") ? text : text + "\n")
        }
        return (headers, BodyEncoding.quotedPrintable(text))
    }

    static func attachmentPart(_ a: Attachment, style: Style) -> (headers: [String], body: String) {
        let type = HeaderEncoding.sanitized(a.contentType).isEmpty ? "application/octet-stream" : HeaderEncoding.sanitized(a.contentType)
        let name = HeaderEncoding.sanitized(a.fileName).isEmpty ? "attachment" : a.fileName
        let headers = [
            HeaderEncoding.withParameters("Content-Type", type, HeaderEncoding.parameter("name", name)),
            HeaderEncoding.withParameters("Content-Disposition", "attachment", HeaderEncoding.parameter("filename", name)),
            "Content-Transfer-Encoding: base64",
        ]
        if style == .preview {
            return (headers, "[attachment: \(HeaderEncoding.sanitized(name)), \(type), \(BodyEncoding.humanSize(a.data.count))]\n")
        }
        return (headers, BodyEncoding.base64Lines(a.data))
    }

    static func multipart(_ subtype: String, boundary: String,
                          parts: [(headers: [String], body: String)]) -> (headers: [String], body: String) {
        var body = subtype == "mixed" ? "This is a multi-part message in MIME format.\r\n" : ""
        for part in parts {
            body += "--\(boundary)\r\n" + part.headers.joined(separator: "\r\n") + "\r\n\r\n" + part.body
        }
        body += "--\(boundary)--\r\n"
        return ([HeaderEncoding.withParameters("Content-Type", "multipart/\(subtype)", ["boundary=\"\(boundary)\""])], body)
    }

    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(g.next() as UInt32, radix: 36) }.joined(separator: ".")
    }
}
