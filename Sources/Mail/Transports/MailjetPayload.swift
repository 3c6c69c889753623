import Foundation

/// The JSON of Mailjet Send API v3.1 requests.
enum MailjetPayload {
    /// Throws a `MIMEError` for a message with an address or Message-ID that cannot be sent.
    static func sendRequest(_ batch: [OutgoingMessage], sandbox: Bool, includeAttachments: Bool = true) throws -> Data {
        var messages: [[String: Any]] = []
        for m in batch {
            _ = try HeaderEncoding.checkedAddress(m.from.address, field: "From")
            _ = try HeaderEncoding.checkedAddress(m.to.address, field: "To")
            var e: [String: Any] = [
                "From": contact(m.from),
                "To": [contact(m.to)],
                "Subject": HeaderEncoding.sanitized(m.subject),
                "TextPart": m.text,
                "CustomID": m.customID,
                "Headers": ["Message-ID": "<\(try MIMEWriter.checkedMessageID(m.messageID))>"],
            ]
            if let r = m.replyTo {
                _ = try HeaderEncoding.checkedAddress(r.address, field: "Reply-To")
                e["ReplyTo"] = contact(r)
            }
            if let html = m.html { e["HTMLPart"] = html }
            if includeAttachments, !m.attachments.isEmpty {
                e["Attachments"] = m.attachments.map {
                    ["ContentType": $0.contentType, "Filename": HeaderEncoding.sanitized($0.fileName),
                     "Base64Content": $0.data.base64EncodedString()]
                }
            }
            messages.append(e)
        }
        var body: [String: Any] = ["Messages": messages]
        if sandbox { body["SandboxMode"] = true }
        return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    private static func contact(_ m: Mailbox) -> [String: String] {
        let name = HeaderEncoding.sanitized(m.name)
        return name.isEmpty ? ["Email": m.address] : ["Email": m.address, "Name": name]
    }
}
