import Foundation
import XCTest

/// A Python test server child process (Tests/Servers/*.py) on a loopback port.
///
/// The server prints "READY <port>" once listening and exits when its stdin
/// closes, so it dies with the test process even if `stop()` is never called.
public final class TestServerProcess: @unchecked Sendable {
    public let port: Int
    public let directory: TemporaryDirectory
    private let process: Process
    private let stdinPipe: Pipe

    init(script: String, arguments: [String], directory: TemporaryDirectory) throws {
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw XCTSkip("/usr/bin/python3 not found; the test servers need Debian's python3")
        }
        let p = Process()
        p.executableURL = python
        p.arguments = ["-u", TestPaths.serversDir.appendingPathComponent(script).path] + arguments
        let out = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardInput = input
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        // Read "READY <port>" byte by byte (the pipe stays open for the server's life).
        var line = Data()
        let handle = out.fileHandleForReading
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6)) else {
            p.terminate()
            throw TestServerError(message: "\(script) did not start (said \"\(text)\"); is python3-aiosmtpd installed?")
        }
        self.port = port
        self.process = p
        self.stdinPipe = input
        self.directory = directory
    }

    /// Stops the server (closing stdin; SIGTERM if it lingers) and waits for it.
    public func stop() {
        try? stdinPipe.fileHandleForWriting.close()
        if process.isRunning {
            let deadline = Date().addingTimeInterval(2)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { process.terminate() }
        }
        process.waitUntilExit()
    }

    deinit { if process.isRunning { stop() } }
}

public struct TestServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Reads a JSON-lines log written by a test server.
func readJSONLines(_ url: URL) -> [[String: Any]] {
    guard let data = try? Data(contentsOf: url) else { return [] }
    return data.split(separator: 0x0A).compactMap {
        (try? JSONSerialization.jsonObject(with: Data($0))) as? [String: Any]
    }
}

func writeFaults(_ faults: [String: String], to url: URL) {
    let data = try! JSONSerialization.data(withJSONObject: faults, options: [.sortedKeys])
    // Atomic replace: the server re-reads this file on every message.
    try! data.write(to: url, options: .atomic)
}

/// A real SMTP server (aiosmtpd) on 127.0.0.1 with scriptable faults.
///
///     let smtp = try SMTPTestServer.start(auth: ("user", "secret"))
///     defer { smtp.stop() }
///     // [smtp] host = "127.0.0.1", port = smtp.port, security = "none"
///     XCTAssertEqual(smtp.deliveries().map(\.rcpt), [["a@example.org"]])
public final class SMTPTestServer: @unchecked Sendable {
    /// One message the server received in full (one log line).
    public struct Delivery: Sendable, Equatable {
        public var mailFrom: String
        public var rcpt: [String]
        /// Without angle brackets.
        public var messageID: String?
        public var size: Int
        /// Connection number (1, 2, …): equal numbers mean one reused connection.
        public var session: Int
        /// "drop-after-data" or "hang-after-data" when the reply was withheld (the message still arrived).
        public var fault: String?
        /// The raw message, when started with `keepData: true`.
        public var data: Data?
    }

    /// STARTTLS set-up: a self-signed certificate for localhost/127.0.0.1, made with openssl.
    public struct TLSFiles: Sendable {
        public var certificate: URL
        public var key: URL
    }

    public let server: TestServerProcess
    public let logURL: URL
    public let faultsURL: URL
    /// The certificate to pass as `[smtp] ca_file` when started with `tls: true`.
    public let tls: TLSFiles?
    public var port: Int { server.port }

    private init(server: TestServerProcess, logURL: URL, faultsURL: URL, tls: TLSFiles?) {
        self.server = server
        self.logURL = logURL
        self.faultsURL = faultsURL
        self.tls = tls
    }

    /// Starts a server on a free loopback port.
    /// - Parameters:
    ///   - latencyMs: delay before answering the final dot.
    ///   - auth: required credentials (AUTH PLAIN/LOGIN); wrong ones get 535.
    ///   - tls: require STARTTLS with a fresh self-signed certificate (see `tls.certificate`).
    ///   - implicitTLS: TLS from the first byte (for `security = "tls"`); implies a certificate.
    ///   - faults: recipient (or "*") → "421", "451", "452", "550", "554", "535", "drop-after-data", "hang-after-data".
    ///   - keepData: keep each raw message in the log (see `Delivery.data`).
    ///   - idleTimeout: seconds after which the server drops an idle connection (aiosmtpd's default: 300).
    public static func start(latencyMs: Int = 0, auth: (user: String, password: String)? = nil, tls: Bool = false,
                             implicitTLS: Bool = false, faults: [String: String] = [:],
                             keepData: Bool = false, idleTimeout: Double? = nil) throws -> SMTPTestServer {
        let dir = TemporaryDirectory("passmail-smtp")
        let log = dir.file("deliveries.jsonl")
        let faultsURL = dir.file("faults.json")
        writeFaults(faults, to: faultsURL)
        var args = ["--port", "0", "--log", log.path, "--faults", faultsURL.path]
        if latencyMs > 0 { args += ["--latency-ms", String(latencyMs)] }
        if let auth { args += ["--auth", "\(auth.user):\(auth.password)"] }
        if keepData { args.append("--keep-data") }
        if let idleTimeout { args += ["--idle-timeout", String(idleTimeout)] }
        var files: TLSFiles?
        if tls || implicitTLS {
            let f = try makeSelfSignedCertificate(in: dir)
            files = f
            args += ["--tls-cert", f.certificate.path, "--tls-key", f.key.path]
            if implicitTLS { args.append("--implicit-tls") }
        }
        let server = try TestServerProcess(script: "smtp_server.py", arguments: args, directory: dir)
        return SMTPTestServer(server: server, logURL: log, faultsURL: faultsURL, tls: files)
    }

    /// Every message received so far, in arrival order.
    public func deliveries() -> [Delivery] {
        readJSONLines(logURL).map { r in
            Delivery(mailFrom: r["mail_from"] as? String ?? "", rcpt: r["rcpt"] as? [String] ?? [],
                     messageID: r["message_id"] as? String, size: r["size"] as? Int ?? 0,
                     session: r["session"] as? Int ?? 0, fault: r["fault"] as? String,
                     data: (r["data_b64"] as? String).flatMap { Data(base64Encoded: $0) })
        }
    }

    /// How many messages each recipient address received.
    public func deliveryCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for d in deliveries() { for r in d.rcpt { counts[r, default: 0] += 1 } }
        return counts
    }

    /// Replaces the faults; the server applies them from the next command on.
    public func setFaults(_ faults: [String: String]) { writeFaults(faults, to: faultsURL) }

    public func stop() { server.stop() }
}

/// A local stand-in for Mailjet's Send API v3.1 (`POST /v3.1/send`) and `GET /v3/REST/message`.
///
///     let mj = try MailjetStandIn.start(auth: ("pub", "priv"))
///     // [mailjet] base_url = mj.baseURL; MJ_APIKEY_PUBLIC=pub MJ_APIKEY_PRIVATE=priv
public final class MailjetStandIn: @unchecked Sendable {
    /// One accepted message (one log line).
    public struct Delivery: Sendable, Equatable {
        public var customID: String
        public var to: [String]
        /// The `Message-ID` header the client asked for, without brackets handling (as sent).
        public var messageID: String?
        public var subject: String?
        /// Mailjet's numeric message id.
        public var id: Int
        public var sandbox: Bool
        /// "no-response" when the answer was withheld (the message still counts as accepted).
        public var fault: String?
        public var attachments: [(fileName: String, size: Int)]
        public static func == (a: Delivery, b: Delivery) -> Bool {
            a.customID == b.customID && a.to == b.to && a.messageID == b.messageID && a.id == b.id
        }
    }

    public let server: TestServerProcess
    public let logURL: URL
    public let faultsURL: URL
    public var port: Int { server.port }
    /// For `[mailjet] base_url`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(server: TestServerProcess, logURL: URL, faultsURL: URL) {
        self.server = server
        self.logURL = logURL
        self.faultsURL = faultsURL
    }

    /// - Parameters:
    ///   - auth: required API keys; anything else gets 401.
    ///   - faults: recipient → "error" (that message fails alone); recipient or "*" → "429", "429:SECONDS",
    ///     "500", "no-response", "latency:MS" (the whole API call carrying that recipient); misbehaving proxies
    ///     and providers: "502-html", "503-html:SECONDS", "503-date:SECONDS", "403", "redirect", "reset",
    ///     "echo-auth" (nothing recorded), "504-html", "truncated", "garbage-200", "202" (recorded: accepted,
    ///     answered badly); a CustomID → "lookup-garbage" (its lookup answers 200 with HTML).
    public static func start(latencyMs: Int = 0, auth: (publicKey: String, privateKey: String)? = nil,
                             faults: [String: String] = [:]) throws -> MailjetStandIn {
        let dir = TemporaryDirectory("passmail-mailjet")
        let log = dir.file("messages.jsonl")
        let faultsURL = dir.file("faults.json")
        writeFaults(faults, to: faultsURL)
        var args = ["--port", "0", "--log", log.path, "--faults", faultsURL.path]
        if latencyMs > 0 { args += ["--latency-ms", String(latencyMs)] }
        if let auth { args += ["--auth", "\(auth.publicKey):\(auth.privateKey)"] }
        let server = try TestServerProcess(script: "mailjet_standin.py", arguments: args, directory: dir)
        return MailjetStandIn(server: server, logURL: log, faultsURL: faultsURL)
    }

    public func deliveries() -> [Delivery] {
        readJSONLines(logURL).map { r in
            Delivery(customID: r["custom_id"] as? String ?? "", to: r["to"] as? [String] ?? [],
                     messageID: r["message_id"] as? String, subject: r["subject"] as? String,
                     id: r["id"] as? Int ?? 0, sandbox: r["sandbox"] as? Bool ?? false, fault: r["fault"] as? String,
                     attachments: (r["attachments"] as? [[String: Any]] ?? []).map {
                         ($0["filename"] as? String ?? "", $0["size"] as? Int ?? 0)
                     })
        }
    }

    public func deliveryCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for d in deliveries() { for r in d.to { counts[r, default: 0] += 1 } }
        return counts
    }

    public func setFaults(_ faults: [String: String]) { writeFaults(faults, to: faultsURL) }

    public func stop() { server.stop() }
}

/// Makes a self-signed certificate for CN=localhost with SANs localhost and 127.0.0.1.
public func makeSelfSignedCertificate(in dir: TemporaryDirectory) throws -> SMTPTestServer.TLSFiles {
    let cert = dir.file("cert.pem"), key = dir.file("key.pem")
    let r = try runProcess(URL(fileURLWithPath: "/usr/bin/openssl"), [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.path, "-out", cert.path, "-days", "2",
        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ])
    guard r.status == 0 else { throw TestServerError(message: "openssl req failed: \(r.stderr)") }
    return .init(certificate: cert, key: key)
}

/// A hand-scripted SMTP server (Tests/Servers/scripted_smtp.py) that misbehaves where aiosmtpd won't:
/// refuses the greeting, leaves STARTTLS or AUTH out of EHLO, answers any command with any reply,
/// drops or hangs at any step.
///
///     let smtp = try ScriptedSMTPServer.start(["greeting": "554 5.7.1 go away"])
///     // every key of the script is documented in scripted_smtp.py
public final class ScriptedSMTPServer: @unchecked Sendable {
    /// One message whose final dot arrived (logged before the server replied to it).
    public struct Delivery: Sendable, Equatable {
        public var rcpt: [String]
        public var messageID: String?
        public var session: Int
    }

    public let server: TestServerProcess
    public let logURL: URL
    public let scriptURL: URL
    public var port: Int { server.port }

    private init(server: TestServerProcess, logURL: URL, scriptURL: URL) {
        self.server = server
        self.logURL = logURL
        self.scriptURL = scriptURL
    }

    public static func start(_ script: [String: Any] = [:]) throws -> ScriptedSMTPServer {
        let dir = TemporaryDirectory("passmail-scripted-smtp")
        let log = dir.file("deliveries.jsonl")
        let scriptURL = dir.file("script.json")
        try JSONSerialization.data(withJSONObject: script).write(to: scriptURL, options: .atomic)
        let server = try TestServerProcess(script: "scripted_smtp.py",
                                           arguments: ["--port", "0", "--log", log.path, "--script", scriptURL.path],
                                           directory: dir)
        return ScriptedSMTPServer(server: server, logURL: log, scriptURL: scriptURL)
    }

    /// Replaces the script; it applies from the next connection or command on.
    public func setScript(_ script: [String: Any]) {
        try! JSONSerialization.data(withJSONObject: script).write(to: scriptURL, options: .atomic)
    }

    public func deliveries() -> [Delivery] {
        readJSONLines(logURL).map { r in
            Delivery(rcpt: r["rcpt"] as? [String] ?? [], messageID: r["message_id"] as? String,
                     session: r["session"] as? Int ?? 0)
        }
    }

    public func stop() { server.stop() }
}
