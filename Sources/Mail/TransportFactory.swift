import Foundation
import Core

/// Builds the configured transport, reading secrets from the environment.
public enum TransportFactory {
    /// Throws a clear error (naming the config key or environment variable) when
    /// the transport cannot be used: missing host, missing password, `security =
    /// "none"` on a non-loopback host, missing Mailjet keys.
    public static func make(workspace: Workspace, kind: PassmailConfig.TransportKind? = nil, concurrency: Int? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any MailTransport {
        let config = workspace.config
        let workers = max(1, concurrency ?? config.send.concurrency)
        switch kind ?? config.transport {
        case .outbox:
            let dir = workspace.outboxURL
            do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
                throw PassmailError.cantCreate("\(dir.path): cannot create the outbox folder ([outbox] dir): \(error.localizedDescription)")
            }
            return OutboxTransport(directory: dir, delayMs: config.outbox.delayMs, shownPath: config.outbox.dir)
        case .smtp:
            return SMTPTransport(settings: try smtpSettings(workspace: workspace, environment: environment), connections: workers)
        case .mailjet:
            return MailjetTransport(settings: try mailjetSettings(workspace: workspace, environment: environment), connections: workers)
        }
    }

    public static func smtpSettings(workspace: Workspace, environment: [String: String]) throws -> SMTPTransport.Settings {
        let c = workspace.config.smtp
        let file = workspace.configURL.path
        let host = c.host.trimmingCharacters(in: .whitespaces)
        guard !host.isEmpty else {
            throw PassmailError.config("\(file): [smtp] host is not set; set it (and port, security, username) to send over SMTP")
        }
        if host.contains("://") || host.contains("/") || host.contains(" ") || host.contains("@")
            || (host.contains(":") && !host.hasPrefix("[") && host.split(separator: ":").count < 3) {
            throw PassmailError.config("\(file): [smtp] host \"\(host)\" should be a bare host name such as \"smtp.example.org\" (the port goes in [smtp] port, the scheme follows from security)")
        }
        if c.security == .none, !isLoopback(host) {
            throw PassmailError.config("\(file): [smtp] security = \"none\" would send the password and every pass in clear text to \(host); use \"starttls\" or \"tls\" (\"none\" is only allowed for localhost)")
        }
        // The two classic mix-ups hang or fail in the TLS handshake with no useful message: catch them here.
        if c.security == .starttls, c.port == 465 {
            throw PassmailError.config("\(file): [smtp] port 465 speaks TLS from the first byte: set security = \"tls\" (or use port 587 with \"starttls\")")
        }
        if c.security == .tls, c.port == 587 || c.port == 25 {
            throw PassmailError.config("\(file): [smtp] port \(c.port) expects STARTTLS: set security = \"starttls\" (or use port 465 with \"tls\")")
        }
        let password = Secrets.value(Secrets.smtpPassword, environment: environment)
        if c.username != nil, password == nil {
            throw PassmailError.config("[smtp] username is set but \(Secrets.smtpPassword) is not; export the password in that environment variable")
        }
        if c.username == nil, password != nil {
            throw PassmailError.config("\(Secrets.smtpPassword) is set but \(file) has no [smtp] username; set the user name to log in with")
        }
        var extra: Data?
        if let ca = c.caFile {
            let url = workspace.resolve(ca)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw PassmailError.noInput("\(url.path): cannot read the CA certificate ([smtp] ca_file)")
            }
            guard String(decoding: data, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
                throw PassmailError.config("\(url.path): not a PEM certificate ([smtp] ca_file needs \"-----BEGIN CERTIFICATE-----\")")
            }
            // Trust the private CA *in addition to* the system's: the blob libcurl gets holds both.
            extra = systemCABundle() + Data("\n".utf8) + data
        }
        return SMTPTransport.Settings(host: host, port: c.port, security: c.security, username: c.username, password: password,
                                      extraCertificates: extra, connectTimeoutSeconds: c.connectTimeoutSeconds,
                                      responseTimeoutSeconds: c.responseTimeoutSeconds,
                                      heloName: c.heloName ?? SMTPTransport.defaultHeloName())
    }

    public static func mailjetSettings(workspace: Workspace, environment: [String: String]) throws -> MailjetTransport.Settings {
        let c = workspace.config.mailjet
        guard let pub = Secrets.value(Secrets.mailjetPublicKey, environment: environment),
              let priv = Secrets.value(Secrets.mailjetPrivateKey, environment: environment) else {
            throw PassmailError.config("the Mailjet transport needs \(Secrets.mailjetPublicKey) and \(Secrets.mailjetPrivateKey) in the environment (API key and secret key from Mailjet's API key management)")
        }
        var base = c.baseURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), let host = url.host, ["http", "https"].contains(scheme) else {
            throw PassmailError.config("\(workspace.configURL.path): [mailjet] base_url \"\(c.baseURL)\" is not an http(s) URL")
        }
        if scheme == "http", !isLoopback(host) {
            throw PassmailError.config("\(workspace.configURL.path): [mailjet] base_url must use https (plain http is only allowed for localhost): the API keys would travel in clear text")
        }
        return MailjetTransport.Settings(baseURL: base, publicKey: pub, privateKey: priv, sandbox: c.sandbox)
    }

    /// The system's trusted CAs (Debian, Fedora, Alpine/BSD locations), or nothing.
    static func systemCABundle() -> Data {
        for path in ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"] {
            if let d = FileManager.default.contents(atPath: path) { return d }
        }
        return Data()
    }

    /// localhost, 127.0.0.0/8 or ::1.
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return h == "localhost" || h.hasSuffix(".localhost") || h == "::1" || h.hasPrefix("127.")
            && h.split(separator: ".").count == 4 && h.split(separator: ".").allSatisfy { UInt8($0) != nil }
    }
}
