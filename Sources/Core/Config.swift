import Foundation

/// Everything `passmail.toml` says, typed and validated, with defaults.
///
/// Secrets are never here: they come from the environment (see `Secrets`).
public struct PassmailConfig: Sendable, Equatable {
    public struct Event: Sendable, Equatable {
        public init() {}
        /// Short stable id that goes into every pass token.
        public var id = "event"
        public var name = "My Event"
        /// Free text as printed on the pass, e.g. "12–14 March 2027".
        public var date = ""
        public var venue = ""
    }

    public struct Pass: Sendable, Equatable {
        public init() {}
        /// "A6", "A4", "badge" (4×3 in) or "WxH mm" such as "100x150 mm".
        public var size = "A6"
        /// Band colour per pass type, "#rrggbb"; types not listed get a default.
        public var colors: [String: String] = [:]
        /// Optional PNG path, relative to the workspace.
        public var logo: String?
        /// Where signing keys live, relative to the workspace.
        public var signingKey = "keys/pass-signing.pem"
        public var publicKey = "keys/pass-signing.pub.pem"
    }

    public struct Sender: Sendable, Equatable {
        public init() {}
        public var name = ""
        public var email = "organiser@example.org"
        public var replyTo: String?
    }

    public struct Templates: Sendable, Equatable {
        public init() {}
        public var subject = "Your pass for {{event.name}}"
        /// Paths relative to the workspace.
        public var text = "templates/pass.txt.mustache"
        public var html: String?
    }

    public enum TransportKind: String, Sendable, Equatable, CaseIterable {
        case outbox, smtp, mailjet
    }

    public struct Outbox: Sendable, Equatable {
        public init() {}
        public var dir = "outbox"
        /// Simulated provider latency for demos.
        public var delayMs = 0
    }

    public enum SMTPSecurity: String, Sendable, Equatable, CaseIterable {
        case starttls, tls, none
    }

    public struct SMTP: Sendable, Equatable {
        public init() {}
        public var host = ""
        public var port = 587
        public var security = SMTPSecurity.starttls
        public var username: String?
        public var caFile: String?
        public var connectTimeoutSeconds = 30
        /// RFC 5321 4.5.3.2.6: wait up to 10 minutes for the reply after the final dot.
        public var responseTimeoutSeconds = 600
        /// The EHLO name; defaults to the machine's host name.
        public var heloName: String?
    }

    public struct Mailjet: Sendable, Equatable {
        public init() {}
        public var baseURL = "https://api.mailjet.com"
        public var sandbox = false
        /// How long after a message was handed over a "not found" lookup is still not trusted: Mailjet may list a
        /// just-accepted message only after a delay, and resending on an early "not found" would duplicate it.
        public var lookupGraceSeconds = 300
    }

    public struct Send: Sendable, Equatable {
        public init() {}
        public var concurrency = 4
        /// 0 means no cap.
        public var ratePerMinute = 0
        public var ratePerHour = 0
        public var maxAttempts = 5
        /// First retry delay; doubles with jitter on each attempt.
        public var retryBaseSeconds = 30.0
        public var retryMaxSeconds = 1800.0
        /// Consecutive failures of the same kind that pause the run.
        public var breakerThreshold = 5
    }

    public var event = Event()
    public var pass = Pass()
    public var sender = Sender()
    public var templates = Templates()
    public var transport = TransportKind.outbox
    public var outbox = Outbox()
    public var smtp = SMTP()
    public var mailjet = Mailjet()
    public var send = Send()

    public init() {}
}

extension PassmailConfig {
    /// Reads and validates a config file; errors name file, line and key.
    public static func load(from url: URL) throws -> PassmailConfig {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PassmailError.noInput("\(url.path): cannot read the configuration (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PassmailError.config("\(url.path): not valid UTF-8")
        }
        return try parse(text, file: url.path)
    }

    public static func parse(_ text: String, file: String) throws -> PassmailConfig {
        let doc = try TOMLDocument(parsing: text, file: file)
        var r = ConfigReader(doc: doc)
        var c = PassmailConfig()

        r.string("event.id", into: &c.event.id)
        r.string("event.name", into: &c.event.name)
        r.string("event.date", into: &c.event.date)
        r.string("event.venue", into: &c.event.venue)

        r.string("pass.size", into: &c.pass.size)
        r.optionalString("pass.logo", into: &c.pass.logo)
        r.string("pass.signing_key", into: &c.pass.signingKey)
        r.string("pass.public_key", into: &c.pass.publicKey)
        for type in doc.keys(in: "pass.colors") {
            var color = ""
            r.string("pass.colors.\(type)", into: &color)
            if !Self.isHexColor(color) {
                r.fail("pass.colors.\(type)", "expected a colour like \"#1e88e5\", found \"\(color)\"")
            }
            c.pass.colors[type] = color
        }

        r.string("sender.name", into: &c.sender.name)
        r.string("sender.email", into: &c.sender.email)
        r.optionalString("sender.reply_to", into: &c.sender.replyTo)

        r.string("templates.subject", into: &c.templates.subject)
        r.string("templates.text", into: &c.templates.text)
        r.optionalString("templates.html", into: &c.templates.html)

        r.enumeration("transport.kind", into: &c.transport)

        r.string("outbox.dir", into: &c.outbox.dir)
        r.integer("outbox.delay_ms", into: &c.outbox.delayMs, range: 0...600_000)

        r.string("smtp.host", into: &c.smtp.host)
        r.integer("smtp.port", into: &c.smtp.port, range: 1...65535)
        r.enumeration("smtp.security", into: &c.smtp.security)
        r.optionalString("smtp.username", into: &c.smtp.username)
        r.optionalString("smtp.ca_file", into: &c.smtp.caFile)
        r.integer("smtp.connect_timeout", into: &c.smtp.connectTimeoutSeconds, range: 1...600)
        r.integer("smtp.response_timeout", into: &c.smtp.responseTimeoutSeconds, range: 1...3600)
        r.optionalString("smtp.helo_name", into: &c.smtp.heloName)
        if doc.values["smtp.password"] != nil {
            r.fail("smtp.password", "passwords never go in passmail.toml; set PASSMAIL_SMTP_PASSWORD instead")
        }

        r.string("mailjet.base_url", into: &c.mailjet.baseURL)
        r.bool("mailjet.sandbox", into: &c.mailjet.sandbox)
        r.integer("mailjet.lookup_grace_seconds", into: &c.mailjet.lookupGraceSeconds, range: 0...86_400)
        for secret in ["mailjet.api_key", "mailjet.secret_key", "mailjet.apikey_public", "mailjet.apikey_private"]
        where doc.values[secret] != nil {
            r.fail(secret, "API keys never go in passmail.toml; set MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE instead")
        }

        r.integer("send.concurrency", into: &c.send.concurrency, range: 1...64)
        r.integer("send.rate_per_minute", into: &c.send.ratePerMinute, range: 0...1_000_000)
        r.integer("send.rate_per_hour", into: &c.send.ratePerHour, range: 0...100_000_000)
        r.integer("send.max_attempts", into: &c.send.maxAttempts, range: 1...100)
        r.number("send.retry_base_seconds", into: &c.send.retryBaseSeconds, range: 0...86_400)
        r.number("send.retry_max_seconds", into: &c.send.retryMaxSeconds, range: 0...86_400)
        r.integer("send.breaker_threshold", into: &c.send.breakerThreshold, range: 1...10_000)

        r.rejectUnknownKeys()
        if let first = r.errors.first {
            // Report every problem at once: fixing a config one error per run is tedious.
            throw ConfigError(problems: r.errors, file: file, first: first)
        }
        return c
    }

    static func isHexColor(_ s: String) -> Bool {
        s.count == 7 && s.first == "#" && s.dropFirst().allSatisfy(\.isHexDigit)
    }
}

/// One or more problems in `passmail.toml`, each as "file:line: key: reason".
public struct ConfigError: UserFacingError {
    public var problems: [String]
    public var file: String
    public var first: String
    public var exitCode: ExitCode { .config }
    public var description: String { problems.joined(separator: "\n") }
}

/// Pulls typed values out of a TOML document, collecting errors instead of stopping.
struct ConfigReader {
    let doc: TOMLDocument
    var used: Set<String> = []
    var errors: [String] = []

    init(doc: TOMLDocument) { self.doc = doc }

    mutating func fail(_ key: String, _ reason: String) {
        let line = doc.values[key]?.line ?? 0
        errors.append("\(doc.file):\(line): \(key): \(reason)")
    }

    mutating func value(_ key: String) -> TOMLValue? {
        used.insert(key)
        return doc.values[key]
    }

    mutating func string(_ key: String, into target: inout String) {
        guard let v = value(key) else { return }
        if case .string(let s) = v.kind { target = s } else { fail(key, "expected a string in quotes, found \(v.typeName)") }
    }

    mutating func optionalString(_ key: String, into target: inout String?) {
        guard let v = value(key) else { return }
        if case .string(let s) = v.kind { target = s.isEmpty ? nil : s } else { fail(key, "expected a string in quotes, found \(v.typeName)") }
    }

    mutating func integer(_ key: String, into target: inout Int, range: ClosedRange<Int>) {
        guard let v = value(key) else { return }
        guard case .integer(let i) = v.kind else { fail(key, "expected a whole number, found \(v.typeName)"); return }
        guard range.contains(i) else { fail(key, "\(i) is out of range (\(range.lowerBound)…\(range.upperBound))"); return }
        target = i
    }

    mutating func number(_ key: String, into target: inout Double, range: ClosedRange<Double>) {
        guard let v = value(key) else { return }
        let d: Double
        switch v.kind {
        case .integer(let i): d = Double(i)
        case .float(let f): d = f
        default: fail(key, "expected a number, found \(v.typeName)"); return
        }
        guard range.contains(d) else { fail(key, "\(d) is out of range (\(range.lowerBound)…\(range.upperBound))"); return }
        target = d
    }

    mutating func bool(_ key: String, into target: inout Bool) {
        guard let v = value(key) else { return }
        if case .bool(let b) = v.kind { target = b } else { fail(key, "expected true or false, found \(v.typeName)") }
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, into target: inout E) where E.RawValue == String {
        guard let v = value(key) else { return }
        guard case .string(let s) = v.kind else { fail(key, "expected a string in quotes, found \(v.typeName)"); return }
        guard let e = E(rawValue: s) else {
            let allowed = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            fail(key, "\"\(s)\" is not one of \(allowed)")
            return
        }
        target = e
    }

    mutating func rejectUnknownKeys() {
        for key in doc.values.keys.sorted() where !used.contains(key) && !key.hasPrefix("pass.colors.") {
            if errors.contains(where: { $0.contains(": \(key): ") }) { continue }
            fail(key, "unknown setting (check the spelling; see docs/configuration.md)")
        }
    }
}
