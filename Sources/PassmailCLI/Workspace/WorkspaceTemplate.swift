import Foundation
import Core

/// The files `passmail init` and `passmail demo` write into a new workspace.
///
/// The config is meant to be read and edited by people, so it is a commented
/// text template rather than a serialised `PassmailConfig`.
enum WorkspaceTemplate {
    struct EventDetails {
        var id: String
        var name: String
        var date: String
        var venue: String
        var senderName: String
        var senderEmail: String
    }

    static let placeholderEvent = EventDetails(
        id: "my-event-2027", name: "My Event 2027", date: "1 January 2027", venue: "Somewhere",
        senderName: "The Organisers", senderEmail: "organisers@example.org")

    static func config(_ e: EventDetails, outboxDelayMs: Int = 0) -> String {
        """
        # passmail workspace configuration.
        # Edit freely: comments are kept, and errors name this file, the line and the key.
        # Secrets never go here; they come from environment variables:
        #   PASSMAIL_SMTP_PASSWORD, MJ_APIKEY_PUBLIC, MJ_APIKEY_PRIVATE, PASSMAIL_PASS_SIGNING_KEY
        # Full reference: docs/configuration.md

        [event]
        # A short stable id; it goes into every pass's signed token. Don't change it after sending passes.
        id = \(quoted(e.id))
        name = \(quoted(e.name))
        date = \(quoted(e.date))
        venue = \(quoted(e.venue))

        [pass]
        # "A6" (default), "A4", "badge" (4×3 in) or "WxH mm", e.g. "90x140 mm".
        size = "A6"
        # logo = "logo.png"                    # optional PNG, relative to this folder
        # signing_key = "keys/pass-signing.pem" # private key (0600); PASSMAIL_PASS_SIGNING_KEY overrides it
        # public_key = "keys/pass-signing.pub.pem"

        # Colour of the pass-type band, per pass type as it appears in the roster.
        [pass.colors]
        Attendee = "#1e88e5"
        Speaker = "#8e24aa"
        Exhibitor = "#43a047"
        VIP = "#c9a227"
        Press = "#e53935"

        [sender]
        name = \(quoted(e.senderName))
        email = \(quoted(e.senderEmail))
        # reply_to = "help@example.org"

        [templates]
        # Mustache: {{first_name}}, {{event.name}}, {{pass.code}}, any imported column, {{#company}}…{{/company}}.
        subject = "Your pass for {{event.name}}, {{first_name}}"
        text = "templates/pass.txt.mustache"
        html = "templates/pass.html.mustache"

        [transport]
        # "outbox" writes .eml files to [outbox] dir (no account needed), "smtp" or "mailjet".
        kind = "outbox"

        [outbox]
        dir = "outbox"
        delay_ms = \(outboxDelayMs)              # simulated provider latency, for demos

        [smtp]
        host = "smtp.example.org"
        port = 587
        security = "starttls"               # "starttls", "tls" (port 465) or "none" (loopback only)
        # username = "passes@example.org"   # password: PASSMAIL_SMTP_PASSWORD
        # ca_file = "certs/ca.pem"          # extra CA to trust
        connect_timeout = 30

        [mailjet]
        # Keys: MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE
        base_url = "https://api.mailjet.com"
        sandbox = false
        lookup_grace_seconds = 300          # after a crash, wait this long before trusting "not found" (no resend)

        [send]
        concurrency = 4                     # SMTP connections or Mailjet requests in flight
        rate_per_minute = 0                 # 0 = no cap
        rate_per_hour = 0
        max_attempts = 5                    # transient failures are retried with backoff, then marked failed
        retry_base_seconds = 30
        breaker_threshold = 5               # this many failures of the same kind in a row pause the run

        """
    }

    static let textTemplate = """
        Hello {{first_name}},

        Here is your {{pass_type}} pass for {{event.name}}{{#event.date}}, {{event.date}}{{/event.date}}{{#event.venue}} at {{event.venue}}{{/event.venue}}.

        Print the attached PDF or show it on your phone at the entrance.
        Your pass code is {{pass.code}}.
        {{#company}}

        We look forward to welcoming you and your colleagues from {{company}}.
        {{/company}}

        See you there!
        {{event.name}}

        """

    static let htmlTemplate = """
        <!DOCTYPE html>
        <html>
        <body style="font-family: sans-serif; line-height: 1.5">
        <p>Hello {{first_name}},</p>
        <p>Here is your <strong>{{pass_type}}</strong> pass for <strong>{{event.name}}</strong>{{#event.date}}, {{event.date}}{{/event.date}}{{#event.venue}} at {{event.venue}}{{/event.venue}}.</p>
        <p>Print the attached PDF or show it on your phone at the entrance.<br>
        Your pass code is <code>{{pass.code}}</code>.</p>
        {{#company}}
        <p>We look forward to welcoming you and your colleagues from {{company}}.</p>
        {{/company}}
        <p>See you there!<br>{{event.name}}</p>
        </body>
        </html>

        """

    static func quoted(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 { out += String(format: "\\u%04X", ch.value) } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }
}
