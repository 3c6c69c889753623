import Foundation
import Core

/// Writes each message as an `.eml` file in `[outbox] dir`: the default, so a demo
/// works without any mail account.
///
/// Files are written atomically (temporary file, fsync, rename) and named after
/// the CustomID, so a resend of the same run entry replaces its file rather
/// than adding a second one — and `lookUp` can tell whether a message was written.
public final class OutboxTransport: MailTransport, @unchecked Sendable {
    public let directory: URL
    /// Simulated provider latency per message, for demos of progress and pausing.
    public let delayMs: Int
    private let shownPath: String

    public init(directory: URL, delayMs: Int = 0, shownPath: String? = nil) {
        self.directory = directory
        self.delayMs = delayMs
        self.shownPath = shownPath ?? directory.path
    }

    public var displayName: String { "outbox (\(shownPath))" }
    public var maxBatchSize: Int { 1 }
    public var canLookUp: Bool { true }

    /// The file a message with this CustomID is written to.
    public func fileURL(customID: String) -> URL {
        directory.appendingPathComponent(Self.fileName(customID: customID))
    }

    /// Letters, digits, ".", "-" and "_" are kept; anything else becomes "_".
    ///
    /// When that changed the CustomID, a short hash of the original follows, so
    /// attendees whose ids differ only in such characters ("Zoë-1", "Zoé-1") never
    /// share, and overwrite, one file.
    public static func fileName(customID: String) -> String {
        var name = String(customID.unicodeScalars.map {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) ? Character($0) : "_"
        })
        if name.isEmpty || name.hasPrefix(".") { name = "_" + name }
        if name != customID { name += "-" + stableHash(customID) }
        return name + ".eml"
    }

    /// FNV-1a (64 bit) of the UTF-8 bytes, as 8 hex digits: the same on every run and machine.
    static func stableHash(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(h & 0xffff_ffff, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    public func send(_ messages: [OutgoingMessage]) async -> [DeliveryOutcome] {
        var outcomes: [DeliveryOutcome] = []
        for m in messages {
            if delayMs > 0 { try? await Task.sleep(nanoseconds: UInt64(delayMs) * 1_000_000) }
            outcomes.append(write(m))
        }
        return outcomes
    }

    private func write(_ m: OutgoingMessage) -> DeliveryOutcome {
        let data: Data
        do { data = try MIMEWriter.serialize(m) } catch {
            return .permanent(reason: "cannot write the message: \(error)")
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            // 0600: the attached pass is an entry credential and the message is personal data.
            try AtomicFile.write(data, to: fileURL(customID: m.customID), mode: 0o600)
            return .sent(messageId: m.messageID)
        } catch {
            // A full disk or a read-only folder will not fix itself: stop the run.
            return .fatal(reason: "outbox \(shownPath): \(error)")
        }
    }

    public func lookUp(customID: String) async -> LookupResult {
        let url = fileURL(customID: customID)
        guard FileManager.default.fileExists(atPath: url.path) else { return .notFound }
        guard let handle = try? FileHandle(forReadingFrom: url) else { return .unknown(reason: "\(url.path): cannot read") }
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 8192), as: UTF8.self)
        for line in head.components(separatedBy: "\r\n") {
            if line.isEmpty { break }
            if line.lowercased().hasPrefix("message-id:") {
                let id = line.dropFirst("message-id:".count).trimmingCharacters(in: .whitespaces)
                return .found(messageId: String(id.dropFirst().dropLast()))
            }
        }
        return .found(messageId: "")
    }

    public func shutdown() async {}
}
