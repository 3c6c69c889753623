import Foundation
import Core

/// Reads Mailjet's answers into outcomes: pure, so each rule is a unit test.
///
/// Mailjet answers HTTP 400 when only some messages of a call failed — the
/// others were sent — so every message's own `Status` is read whatever the
/// HTTP status says.
enum MailjetOutcome {
    static func classify(_ r: CurlResult, body: Data, headers: [String], count: Int) -> [DeliveryOutcome] {
        func all(_ o: DeliveryOutcome) -> [DeliveryOutcome] { Array(repeating: o, count: count) }
        if r.code != CurlCode.ok {
            if CurlCode.tls.contains(r.code) { return all(.fatal(reason: "TLS with Mailjet failed: \(r.error)")) }
            if CurlCode.setup.contains(r.code) { return all(.fatal(reason: "cannot call Mailjet: \(r.error); check [mailjet] base_url")) }
            if [CurlCode.couldntConnect, CurlCode.couldntResolveHost, CurlCode.couldntResolveProxy].contains(r.code) {
                return all(.transient(reason: "cannot connect to Mailjet: \(r.error)", retryAfter: nil))
            }
            if r.uploadFinished || r.code == CurlCode.gotNothing {
                return all(.inDoubt(reason: "no answer from Mailjet after the request was sent (\(r.error)); the messages may have been accepted"))
            }
            return all(.transient(reason: "request to Mailjet failed before it was sent: \(r.error)", retryAfter: nil))
        }
        let status = r.response
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let topMessage = (json?["ErrorMessage"] as? String).map { ": \($0)" } ?? ""
        switch status {
        case 401, 403:
            return all(.fatal(reason: "Mailjet refused the API keys (HTTP \(status)\(topMessage)); check \(Secrets.mailjetPublicKey) and \(Secrets.mailjetPrivateKey)"))
        case 429:
            return all(.transient(reason: "Mailjet rate limit (HTTP 429)\(topMessage)", retryAfter: retryAfter(headers)))
        case 504:
            // A gateway gave up waiting for Mailjet, which may still have accepted the call.
            return all(.inDoubt(reason: "a gateway in front of Mailjet timed out (HTTP 504) after the request was sent; the messages may have been accepted"))
        case 500...599:
            return all(.transient(reason: "Mailjet server error (HTTP \(status))\(topMessage)", retryAfter: retryAfter(headers)))
        case 413:
            return all(.permanent(reason: "Mailjet refused the request as too large (HTTP 413); the attachments are too big"))
        case 200...299, 400:
            // Any success status may carry accepted messages: read them, never call it a failure.
            break
        default:
            return all(.fatal(reason: "unexpected HTTP \(status) from Mailjet\(topMessage); check [mailjet] base_url"))
        }
        guard let results = json?["Messages"] as? [[String: Any]] else {
            // A readable request-level 400 sent nothing; an unreadable one may be a partly-failed
            // call's answer cut short, whose other messages were sent.
            if status == 400, json != nil {
                return all(.permanent(reason: "Mailjet rejected the request (HTTP 400\(topMessage))"))
            }
            return all(.inDoubt(reason: "Mailjet answered HTTP \(status) without per-message results; the messages may have been accepted"))
        }
        guard results.count == count else {
            return all(.inDoubt(reason: "Mailjet answered \(results.count) results for \(count) messages; cannot tell which were accepted"))
        }
        return results.map(outcome)
    }

    static func outcome(_ m: [String: Any]) -> DeliveryOutcome {
        let status = (m["Status"] as? String)?.lowercased()
        if status == "success" {
            let to = (m["To"] as? [[String: Any]])?.first
            let id = (to?["MessageID"]).map { "\($0)" } ?? (to?["MessageUUID"] as? String) ?? ""
            return .sent(messageId: id)
        }
        guard status == "error" else {
            return .inDoubt(reason: "Mailjet's answer for this message has no readable Status; it may have been accepted")
        }
        let errors = m["Errors"] as? [[String: Any]] ?? []
        let text = errors.map { e -> String in
            let msg = e["ErrorMessage"] as? String ?? "error"
            let code = e["ErrorCode"] as? String
            let related = (e["ErrorRelatedTo"] as? [String])?.joined(separator: ", ")
            return msg + [code, related.map { "field \($0)" }].compactMap { $0 }.map { " (\($0))" }.joined()
        }.joined(separator: "; ")
        let statusCode = errors.compactMap { $0["StatusCode"] as? Int }.max() ?? 400
        let reason = "Mailjet: " + (text.isEmpty ? "message rejected" : text)
        switch statusCode {
        case 401, 403: return .fatal(reason: reason)
        case 429, 500...599: return .transient(reason: reason, retryAfter: nil)
        default: return .permanent(reason: reason)
        }
    }

    /// `Retry-After: 7` (seconds) or an HTTP date; nil when absent.
    static func retryAfter(_ headers: [String]) -> TimeInterval? {
        for line in headers.reversed() {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "retry-after" else { continue }
            let value = parts[1].trimmingCharacters(in: .whitespacesAndNewlines)
            if let s = Double(value) { return max(0, s) }
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "GMT")
            f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            if let d = f.date(from: value) { return max(0, d.timeIntervalSinceNow) }
        }
        return nil
    }

    /// - Parameter customID: what was asked for; an answer listing only other messages (a filter
    ///   the server ignored) says nothing about ours, so it must not count as "found".
    static func lookUp(_ r: CurlResult, body: Data, customID: String) -> LookupResult {
        guard r.code == CurlCode.ok else { return .unknown(reason: "Mailjet lookup failed: \(r.error)") }
        guard r.response == 200 else {
            return .unknown(reason: r.response == 401 ? "Mailjet refused the API keys (HTTP 401)" : "Mailjet lookup answered HTTP \(r.response)")
        }
        guard let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
              let data = json["Data"] as? [[String: Any]] else {
            return .unknown(reason: "Mailjet lookup answer is not the documented JSON")
        }
        guard !data.isEmpty else { return .notFound }
        let ours = data.filter { item in (item["CustomID"] as? String).map { $0 == customID } ?? true }
        guard let first = ours.first else {
            return .unknown(reason: "Mailjet's lookup for CustomID \(customID) listed only other messages; cannot tell whether this one was accepted")
        }
        return .found(messageId: (first["ID"]).map { "\($0)" } ?? "")
    }
}
