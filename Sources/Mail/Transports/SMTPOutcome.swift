import Foundation
import Core

/// Turns how a libcurl SMTP transfer ended into a `DeliveryOutcome`.
///
/// Pure, so every rule is a unit test. The one that matters most: a failure
/// after the whole message was handed over (waiting for the reply to the
/// final dot) is `inDoubt` — the server may have queued it — while the same
/// failure earlier is `transient`, because nothing was delivered.
enum SMTPOutcome {
    static func classify(_ r: CurlResult, messageID: String, sender: String, server: String,
                         responseTimeout: Int) -> DeliveryOutcome {
        if r.code == CurlCode.ok { return .sent(messageId: messageID) }
        let reply = replyText(r)
        let code = r.response

        if r.code == CurlCode.loginDenied || code == 535 || code == 530 || code == 534 || code == 538 {
            return .fatal(reason: "\(server) refused the login (\(reply ?? "authentication failed")): check [smtp] username and \(Secrets.smtpPassword)")
        }
        if r.authNotOffered {
            return .fatal(reason: "\(server) offers no AUTH this client can use, so the login in [smtp] username cannot be used; nothing was sent. Check [smtp] port and security (many servers offer AUTH only after STARTTLS), or remove username if the server needs no login")
        }
        if CurlCode.setup.contains(r.code) {
            return .fatal(reason: "cannot talk to \(server): \(r.error); check [smtp] host, port and security")
        }
        if CurlCode.tls.contains(r.code) {
            var hint = ""
            if r.code == 60 { hint = "; if the server uses a private CA, set [smtp] ca_file" }
            if r.code == 64 { hint = "; the server does not offer STARTTLS: check [smtp] security and port" }
            return .fatal(reason: "TLS with \(server) failed: \(r.error)\(hint)")
        }
        if (400..<600).contains(code) {
            let text = reply ?? "\(code)"
            // RFC 5321 4.5.3.1.10: a 552 to RCPT is the old "too many recipients" and means 452.
            if code == 552, r.error.hasPrefix("RCPT failed"), !text.contains(" 5.3.4") {
                return .transient(reason: "\(server) deferred the message: \(text)", retryAfter: nil)
            }
            // 552 / 5.3.4: this message is too big, whichever command the server says it at.
            if code == 552 || text.contains(" 5.3.4") {
                return .permanent(reason: "\(server) refused the message as too large: \(text)")
            }
            // A refused greeting or HELO refuses the whole session: every message would fail alike.
            if code >= 500, r.error.hasPrefix("Got unexpected smtp-server response") || r.error.hasPrefix("Remote access denied") {
                return .fatal(reason: "\(server) refused to talk to this client (\(text)); nothing can be sent through it until that is fixed (blocked IP address? wrong server?)")
            }
            if code >= 500, r.error.hasPrefix("MAIL failed") {
                return .fatal(reason: "\(server) refused the sender <\(sender)> (\(text)): check [sender] email")
            }
            if code >= 500 { return .permanent(reason: "\(server) rejected the message: \(text)") }
            return .transient(reason: "\(server) deferred the message: \(text)", retryAfter: nil)
        }
        if r.code == CurlCode.couldntResolveHost || r.code == CurlCode.couldntConnect || r.code == CurlCode.couldntResolveProxy {
            return .transient(reason: "cannot connect to \(server): \(r.error)", retryAfter: nil)
        }
        if r.uploadFinished {
            if r.code == CurlCode.operationTimedOut {
                return .inDoubt(reason: "no reply from \(server) within \(responseTimeout) s after the whole message was sent; it may have been delivered")
            }
            return .inDoubt(reason: "connection to \(server) lost after the whole message was sent, before the server confirmed it (\(r.error)); it may have been delivered")
        }
        return .transient(reason: "connection to \(server) failed before the message was sent: \(r.error)", retryAfter: nil)
    }

    /// The server's own words when its last reply carries the failing code.
    static func replyText(_ r: CurlResult) -> String? {
        guard let last = r.lastReply, r.response > 0, last.hasPrefix(String(r.response)) else {
            return r.response > 0 ? String(r.response) : nil
        }
        return String(last.prefix(300))
    }
}
