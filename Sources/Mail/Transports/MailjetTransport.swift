import Foundation
import Core
import CCurl

/// Sends through Mailjet's Send API v3.1 (up to 50 messages per call) and looks
/// messages up by CustomID to settle in-doubt entries.
///
/// Each attendee is one element of `Messages`, carrying its `CustomID` and our
/// `Message-ID` header, so a retry after an unanswered call can first ask
/// Mailjet whether the message already exists.
public final class MailjetTransport: MailTransport, @unchecked Sendable {
    public struct Settings: Sendable {
        /// Without a trailing slash, e.g. "https://api.mailjet.com".
        public var baseURL: String
        public var publicKey: String
        public var privateKey: String
        public var sandbox: Bool
        public var connectTimeoutSeconds = 30
        /// Whole request; Mailjet answers a 50-message call in a few seconds.
        public var requestTimeoutSeconds = 300
        /// What the Authorization header carries: a server or proxy that echoes it must not leak the keys.
        var basicCredentials: String { Data("\(publicKey):\(privateKey)".utf8).base64EncodedString() }
        public init(baseURL: String, publicKey: String, privateKey: String, sandbox: Bool = false) {
            self.baseURL = baseURL; self.publicKey = publicKey; self.privateKey = privateKey; self.sandbox = sandbox
        }
    }

    public static let batchLimit = 50
    public let settings: Settings
    private let pool: ConnectionPool

    public init(settings: Settings, connections: Int) {
        self.settings = settings
        self.pool = ConnectionPool(size: connections, label: "passmail.mailjet")
    }

    public var displayName: String { settings.sandbox ? "mailjet (sandbox)" : "mailjet" }
    public var maxBatchSize: Int { Self.batchLimit }
    public var canLookUp: Bool { true }

    public func send(_ messages: [OutgoingMessage]) async -> [DeliveryOutcome] {
        var outcomes: [DeliveryOutcome] = []
        var start = 0
        while start < messages.count {
            let batch = Array(messages[start..<min(messages.count, start + Self.batchLimit)])
            outcomes += await sendBatch(batch)
            start += batch.count
        }
        return outcomes
    }

    /// One API call; a message that cannot be expressed (bad address) fails alone, outside the call.
    private func sendBatch(_ all: [OutgoingMessage]) async -> [DeliveryOutcome] {
        var outcomes = [DeliveryOutcome?](repeating: nil, count: all.count)
        var batch: [OutgoingMessage] = []
        var positions: [Int] = []
        for (i, m) in all.enumerated() {
            do {
                _ = try MailjetPayload.sendRequest([m], sandbox: false, includeAttachments: false)
                batch.append(m); positions.append(i)
            } catch {
                outcomes[i] = .permanent(reason: "cannot write the message: \(error)")
            }
        }
        if !batch.isEmpty {
            for (k, o) in (await call(batch)).enumerated() { outcomes[positions[k]] = o }
        }
        return outcomes.map { $0 ?? .permanent(reason: "not sent") }
    }

    private func call(_ batch: [OutgoingMessage]) async -> [DeliveryOutcome] {
        let body: Data
        do { body = try MailjetPayload.sendRequest(batch, sandbox: settings.sandbox) } catch {
            return batch.map { _ in .permanent(reason: "cannot build the Mailjet request: \(error)") }
        }
        let settings = self.settings
        let url = "\(settings.baseURL)/v3.1/send"
        let result = await transfer { easy in
            Self.configure(easy, settings: settings, url: url)
            easy.set(CURLOPT_POST, 1)
            easy.setPostSize(body.count)
            easy.set(CURLOPT_HTTPHEADER, list: ["Content-Type: application/json", "Accept: application/json", "Expect:"])
            easy.installCallbacks(upload: body)
            return (easy.perform(), Data(easy.io.body), easy.io.headerLines)
        }
        guard let (curl, responseBody, headers) = result else {
            return batch.map { _ in .transient(reason: "could not set up libcurl", retryAfter: nil) }
        }
        return MailjetOutcome.classify(curl, body: responseBody, headers: headers, count: batch.count)
            .map { $0.scrubbing(settings.privateKey).scrubbing(settings.publicKey).scrubbing(settings.basicCredentials) }
    }

    public func lookUp(customID: String) async -> LookupResult {
        let settings = self.settings
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let query = customID.addingPercentEncoding(withAllowedCharacters: allowed) ?? customID
        let url = "\(settings.baseURL)/v3/REST/message?CustomID=\(query)"
        let result = await transfer { easy in
            Self.configure(easy, settings: settings, url: url)
            easy.set(CURLOPT_HTTPGET, 1)
            easy.set(CURLOPT_HTTPHEADER, list: ["Accept: application/json"])
            easy.installCallbacks(upload: nil)
            return (easy.perform(), Data(easy.io.body), easy.io.headerLines)
        }
        guard let (curl, body, _) = result else { return .unknown(reason: "could not set up libcurl") }
        return MailjetOutcome.lookUp(curl, body: body, customID: customID)
    }

    public func shutdown() async { await pool.closeAll() }

    private func transfer(_ body: @escaping @Sendable (CurlEasy) -> (CurlResult, Data, [String])) async -> (CurlResult, Data, [String])? {
        let worker = await pool.acquire()
        let r = await worker.run { easy -> ((CurlResult, Data, [String]), keepConnection: Bool) in
            let out = body(easy)
            // Keep the HTTPS connection after a complete answer; start fresh after anything else.
            return (out, out.0.code == CurlCode.ok)
        }
        await pool.release(worker)
        return r
    }

    static func configure(_ easy: CurlEasy, settings s: Settings, url: String) {
        easy.set(CURLOPT_URL, url)
        easy.set(CURLOPT_HTTPAUTH, 1) // CURLAUTH_BASIC
        easy.set(CURLOPT_USERNAME, s.publicKey)
        easy.set(CURLOPT_PASSWORD, s.privateKey)
        easy.set(CURLOPT_CONNECTTIMEOUT, s.connectTimeoutSeconds)
        easy.set(CURLOPT_TIMEOUT, s.requestTimeoutSeconds)
        easy.set(CURLOPT_NOSIGNAL, 1)
        easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        easy.set(CURLOPT_FOLLOWLOCATION, 0)
        easy.set(CURLOPT_USERAGENT, "passmail")
    }
}
