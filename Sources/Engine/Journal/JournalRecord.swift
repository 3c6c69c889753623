import Foundation

/// Who a run entry is for, frozen when the run starts.
///
/// Later roster edits don't change who is in a run or how its report reads.
public struct RunMember: Sendable, Equatable {
    public var attendeeID: String
    public var name: String
    public var email: String
    public init(attendeeID: String, name: String, email: String) {
        self.attendeeID = attendeeID; self.name = name; self.email = email
    }
}

/// The first record of every session file: what the run is. Never a secret.
public struct RunHeader: Sendable, Equatable {
    public static let formatVersion = 1
    public var runID: String
    public var created: Date
    public var transportKind: String
    /// e.g. "smtp (smtp.example.org:587)"
    public var transportName: String
    /// Short hash of templates and the config sections that shape a message.
    public var fingerprint: String
    /// Right-hand side of every Message-ID of this run.
    public var messageDomain: String
    /// The organiser asked to send even to attendees already sent (`--resend`).
    public var resend: Bool
    public var members: [RunMember]

    public init(runID: String, created: Date, transportKind: String, transportName: String, fingerprint: String,
                messageDomain: String, resend: Bool = false, members: [RunMember]) {
        self.runID = runID; self.created = created; self.transportKind = transportKind
        self.transportName = transportName; self.fingerprint = fingerprint; self.messageDomain = messageDomain
        self.resend = resend; self.members = members
    }
}

/// One line of a session file: the header, or one transition of an entry or of the run.
///
/// Entries are named by their index in the header's member list (compact) and
/// by attendee id (for people reading the file).
public enum JournalRecord: Sendable, Equatable {
    case header(RunHeader)
    /// The intent, written and fsynced before the transport is called.
    case sending(entry: Int, attempt: Int, messageID: String, at: Date)
    case sent(entry: Int, messageID: String, note: String?, at: Date)
    case failed(entry: Int, reason: String, at: Date)
    case retrying(entry: Int, reason: String, attempt: Int, nextAttemptAt: Date, at: Date)
    case inDoubt(entry: Int, reason: String, at: Date)
    /// Back in the queue: the provider never got it, or the organiser chose to resend.
    case pending(entry: Int, reason: String, at: Date)
    case paused(reason: String, byOrganiser: Bool, at: Date)
    case resumed(at: Date)
    case cancelled(at: Date)
    case finished(at: Date)

    /// The entry a record is about, if any.
    public var entry: Int? {
        switch self {
        case .sending(let e, _, _, _), .sent(let e, _, _, _), .failed(let e, _, _), .retrying(let e, _, _, _, _),
             .inDoubt(let e, _, _), .pending(let e, _, _): e
        default: nil
        }
    }
}

// MARK: - Lines

extension JournalRecord {
    /// Suffix every line ends with: `,"crc":"xxxxxxxx"}` — the CRC-32 of the line
    /// as if it ended at the `}` right before `,"crc"`.
    static let crcSuffixLength = 18

    /// The line without its newline, checksum included.
    func line(members: [RunMember]) -> String {
        var w = JSONObjectWriter()
        func who(_ e: Int) { w.add("e", e); if e < members.count { w.add("id", members[e].attendeeID) } }
        switch self {
        case .header(let h):
            w.add("t", "header")
            w.add("v", RunHeader.formatVersion)
            w.add("run", h.runID)
            w.add("created", date: h.created)
            w.add("transport", h.transportKind)
            w.add("transport_name", h.transportName)
            w.add("fingerprint", h.fingerprint)
            w.add("message_domain", h.messageDomain)
            w.add("resend", h.resend)
            var list = "["
            list.reserveCapacity(h.members.count * 48)
            for (k, m) in h.members.enumerated() {
                if k > 0 { list += "," }
                list += "["
                JSONObjectWriter.appendQuoted(m.attendeeID, to: &list); list += ","
                JSONObjectWriter.appendQuoted(m.name, to: &list); list += ","
                JSONObjectWriter.appendQuoted(m.email, to: &list)
                list += "]"
            }
            w.addRaw("members", list + "]")
        case .sending(let e, let a, let mid, let at):
            w.add("t", "sending"); who(e); w.add("attempt", a); w.add("mid", mid); w.add("at", date: at)
        case .sent(let e, let mid, let note, let at):
            w.add("t", "sent"); who(e); w.add("mid", mid)
            if let note { w.add("note", note) }
            w.add("at", date: at)
        case .failed(let e, let r, let at):
            w.add("t", "failed"); who(e); w.add("reason", r); w.add("at", date: at)
        case .retrying(let e, let r, let a, let next, let at):
            w.add("t", "retrying"); who(e); w.add("reason", r); w.add("attempt", a); w.add("next", date: next)
            w.add("at", date: at)
        case .inDoubt(let e, let r, let at):
            w.add("t", "in_doubt"); who(e); w.add("reason", r); w.add("at", date: at)
        case .pending(let e, let r, let at):
            w.add("t", "pending"); who(e); w.add("reason", r); w.add("at", date: at)
        case .paused(let r, let org, let at):
            w.add("t", "paused"); w.add("reason", r); w.add("by_organiser", org); w.add("at", date: at)
        case .resumed(let at):
            w.add("t", "resumed"); w.add("at", date: at)
        case .cancelled(let at):
            w.add("t", "cancelled"); w.add("at", date: at)
        case .finished(let at):
            w.add("t", "finished"); w.add("at", date: at)
        }
        let body = w.finished
        let crc = CRC32.hex(CRC32.checksum(body.utf8))
        return String(body.dropLast()) + ",\"crc\":\"\(crc)\"}"
    }

    enum LineProblem: Error, Equatable {
        case checksum
        case malformed(String)
    }

    /// Parses a line (no newline), verifying its checksum first.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) throws(LineProblem) -> JournalRecord {
        let n = line.count
        guard n > crcSuffixLength + 1 else { throw .malformed("too short to be a record") }
        let suffix = UnsafeBufferPointer(rebasing: line[(n - crcSuffixLength)...])
        let prefix = Array(",\"crc\":\"".utf8)
        for k in 0..<prefix.count where suffix[k] != prefix[k] { throw .malformed("no checksum at the end") }
        guard suffix[16] == UInt8(ascii: "\""), suffix[17] == UInt8(ascii: "}"),
              let stored = UInt32(String(decoding: UnsafeBufferPointer(rebasing: suffix[8..<16]), as: UTF8.self), radix: 16)
        else { throw .malformed("no checksum at the end") }
        let bodyStart = UnsafeBufferPointer(rebasing: line[..<(n - crcSuffixLength)])
        var crc = CRC32.checksum(bodyStart)
        // Account for the closing brace the checksum was computed with.
        crc = CRC32.extend(crc, byte: UInt8(ascii: "}"))
        guard crc == stored else { throw .checksum }
        let value: JSONValue
        do { value = try JSONScanner.parse(line) } catch { throw .malformed(error.message) }
        return try decode(value)
    }

    private static func decode(_ v: JSONValue) throws(LineProblem) -> JournalRecord {
        guard let t = v["t"]?.string else { throw .malformed("no record type") }
        func str(_ k: String) throws(LineProblem) -> String {
            guard let s = v[k]?.string else { throw .malformed("\(t) record without \"\(k)\"") }
            return s
        }
        func int(_ k: String) throws(LineProblem) -> Int {
            guard let i = v[k]?.int else { throw .malformed("\(t) record without \"\(k)\"") }
            return i
        }
        func date(_ k: String) throws(LineProblem) -> Date {
            guard let d = v[k]?.double else { throw .malformed("\(t) record without \"\(k)\"") }
            return Date(timeIntervalSince1970: d)
        }
        switch t {
        case "header":
            guard let list = v["members"]?.array else { throw .malformed("header without members") }
            var members: [RunMember] = []
            members.reserveCapacity(list.count)
            for m in list {
                guard let a = m.array, a.count == 3, let id = a[0].string, let name = a[1].string, let email = a[2].string
                else { throw .malformed("header member is not [id, name, email]") }
                members.append(RunMember(attendeeID: id, name: name, email: email))
            }
            return .header(RunHeader(runID: try str("run"), created: try date("created"), transportKind: try str("transport"),
                                     transportName: try str("transport_name"), fingerprint: try str("fingerprint"),
                                     messageDomain: try str("message_domain"), resend: v["resend"]?.bool ?? false,
                                     members: members))
        case "sending": return .sending(entry: try int("e"), attempt: try int("attempt"), messageID: try str("mid"), at: try date("at"))
        case "sent": return .sent(entry: try int("e"), messageID: try str("mid"), note: v["note"]?.string, at: try date("at"))
        case "failed": return .failed(entry: try int("e"), reason: try str("reason"), at: try date("at"))
        case "retrying":
            return .retrying(entry: try int("e"), reason: try str("reason"), attempt: try int("attempt"),
                             nextAttemptAt: try date("next"), at: try date("at"))
        case "in_doubt": return .inDoubt(entry: try int("e"), reason: try str("reason"), at: try date("at"))
        case "pending": return .pending(entry: try int("e"), reason: try str("reason"), at: try date("at"))
        case "paused": return .paused(reason: try str("reason"), byOrganiser: v["by_organiser"]?.bool ?? false, at: try date("at"))
        case "resumed": return .resumed(at: try date("at"))
        case "cancelled": return .cancelled(at: try date("at"))
        case "finished": return .finished(at: try date("at"))
        default: throw .malformed("unknown record type \"\(t)\"")
        }
    }
}

extension CRC32 {
    /// Continues a finished CRC with one more byte.
    static func extend(_ crc: UInt32, byte: UInt8) -> UInt32 {
        var c = crc ^ 0xFFFF_FFFF
        var x = (c ^ UInt32(byte)) & 0xFF
        for _ in 0..<8 { x = (x & 1) != 0 ? 0xEDB8_8320 ^ (x >> 1) : x >> 1 }
        c = x ^ (c >> 8)
        return c ^ 0xFFFF_FFFF
    }
}
