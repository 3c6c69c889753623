import Foundation
import Core
import CCurl

/// Sends each message over SMTP with libcurl: STARTTLS or implicit TLS, AUTH, one
/// connection per worker reused across messages.
///
/// libcurl does the protocol; passmail decides what each ending means
/// (`SMTPOutcome`). The password lives only in this struct's memory and in
/// libcurl's handle; no reason string ever contains it.
public final class SMTPTransport: MailTransport, @unchecked Sendable {
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        public var security: PassmailConfig.SMTPSecurity
        public var username: String?
        public var password: String?
        /// A PEM bundle libcurl trusts instead of its default (CURLOPT_CAINFO_BLOB); the factory
        /// puts the system's CAs and `[smtp] ca_file` in it. nil: the system's CAs.
        public var extraCertificates: Data?
        public var connectTimeoutSeconds: Int
        public var responseTimeoutSeconds: Int
        public var heloName: String

        /// The password as it may come back in a careless server's reply: plain, and base64 as
        /// AUTH LOGIN and AUTH PLAIN send it.
        var secretForms: [String] {
            guard let password, !password.isEmpty else { return [] }
            return [password, Data(password.utf8).base64EncodedString(),
                    Data("\0\(username ?? "")\0\(password)".utf8).base64EncodedString()]
        }

        public init(host: String, port: Int, security: PassmailConfig.SMTPSecurity, username: String? = nil,
                    password: String? = nil, extraCertificates: Data? = nil, connectTimeoutSeconds: Int = 30,
                    responseTimeoutSeconds: Int = 600, heloName: String = SMTPTransport.defaultHeloName()) {
            self.host = host; self.port = port; self.security = security; self.username = username
            self.password = password; self.extraCertificates = extraCertificates
            self.connectTimeoutSeconds = connectTimeoutSeconds; self.responseTimeoutSeconds = responseTimeoutSeconds
            self.heloName = heloName
        }
    }

    public let settings: Settings
    private let pool: ConnectionPool

    /// - Parameter connections: how many SMTP connections may be open at once (one per send worker).
    public init(settings: Settings, connections: Int) {
        self.settings = settings
        self.pool = ConnectionPool(size: connections, label: "passmail.smtp")
    }

    public var displayName: String { "smtp (\(settings.host):\(settings.port))" }
    public var maxBatchSize: Int { 1 }
    public var canLookUp: Bool { false }

    public func send(_ messages: [OutgoingMessage]) async -> [DeliveryOutcome] {
        var outcomes: [DeliveryOutcome] = []
        for message in messages { outcomes.append(await send(message)) }
        return outcomes
    }

    public func lookUp(customID: String) async -> LookupResult {
        .unknown(reason: "SMTP servers cannot be asked whether they accepted a message")
    }

    public func shutdown() async { await pool.closeAll() }

    private func send(_ message: OutgoingMessage) async -> DeliveryOutcome {
        let data: Data
        do { data = try MIMEWriter.serialize(message) } catch {
            return .permanent(reason: "cannot write the message: \(error)")
        }
        let worker = await pool.acquire()
        var outcome = await attempt(message, data: data, on: worker)
        // A kept connection the server has meanwhile closed (idle timeout, 421) fails before
        // anything is sent: that is not the message's fault, so try once more on a fresh one.
        if let (o, reused) = outcome, reused, case .transient = o {
            outcome = await attempt(message, data: data, on: worker)
        }
        await pool.release(worker)
        return outcome?.0 ?? .transient(reason: "could not set up libcurl", retryAfter: nil)
    }

    /// One transfer; also says whether it ran on a reused connection.
    private func attempt(_ message: OutgoingMessage, data: Data, on worker: CurlWorker) async -> (DeliveryOutcome, Bool)? {
        let settings = self.settings
        return await worker.run { easy -> ((DeliveryOutcome, Bool), keepConnection: Bool) in
            Self.configure(easy, settings: settings, from: message.from.address, to: message.to.address, size: data.count)
            easy.installCallbacks(upload: data)
            if settings.username != nil { easy.requireAuthentication() }
            let result = easy.perform()
            let outcome = SMTPOutcome.classify(result, messageID: message.messageID, sender: message.from.address,
                                               server: "\(settings.host):\(settings.port)",
                                               responseTimeout: settings.responseTimeoutSeconds)
            // Any failure leaves the session in an unknown state: the next message gets a fresh connection.
            if case .sent = outcome { return ((outcome, result.reusedConnection), true) }
            return ((outcome.scrubbing(settings.secretForms), result.reusedConnection && !result.uploadFinished), false)
        }
    }

    static func configure(_ easy: CurlEasy, settings s: Settings, from: String, to: String, size: Int) {
        let scheme = s.security == .tls ? "smtps" : "smtp"
        let host = s.host.contains(":") ? "[\(s.host)]" : s.host
        // The URL path is the EHLO name.
        easy.set(CURLOPT_URL, "\(scheme)://\(host):\(s.port)/\(s.heloName)")
        if s.security == .starttls { easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let user = s.username { easy.set(CURLOPT_USERNAME, user) }
        if let password = s.password { easy.set(CURLOPT_PASSWORD, password) }
        if let ca = s.extraCertificates { easy.set(CURLOPT_CAINFO_BLOB, blob: ca) }
        easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        easy.set(CURLOPT_MAIL_FROM, "<\(from)>")
        easy.set(CURLOPT_MAIL_RCPT, list: ["<\(to)>"])
        easy.set(CURLOPT_UPLOAD, 1)
        easy.setUploadSize(size)
        easy.set(CURLOPT_CONNECTTIMEOUT, s.connectTimeoutSeconds)
        // RFC 5321 4.5.3.2: up to 10 minutes for the reply to the final dot.
        easy.set(CURLOPT_SERVER_RESPONSE_TIMEOUT, s.responseTimeoutSeconds)
        easy.set(CURLOPT_NOSIGNAL, 1)
        easy.set(CURLOPT_TCP_KEEPALIVE, 1)
    }

    /// The machine's host name for EHLO ("localhost" when unknown).
    public static func defaultHeloName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
            ? "localhost" : name
    }
}

extension DeliveryOutcome {
    /// The same outcome with every occurrence of each secret replaced.
    func scrubbing(_ secrets: [String]) -> DeliveryOutcome {
        secrets.reduce(self) { $0.scrubbing($1) }
    }

    /// The same outcome with every occurrence of `secret` replaced, so no reason can leak it.
    func scrubbing(_ secret: String?) -> DeliveryOutcome {
        guard let secret, secret.count >= 1 else { return self }
        func s(_ r: String) -> String { r.replacingOccurrences(of: secret, with: "***") }
        switch self {
        case .sent: return self
        case .transient(let r, let after): return .transient(reason: s(r), retryAfter: after)
        case .permanent(let r): return .permanent(reason: s(r))
        case .inDoubt(let r): return .inDoubt(reason: s(r))
        case .fatal(let r): return .fatal(reason: s(r))
        }
    }
}
