import Foundation
import Core

/// A run's session file: `sessions/<run-id>.session`, append-only JSON lines.
///
/// One record per transition, each with its CRC-32. `append` returns only
/// after the bytes are fsynced, which is what lets the controller promise that
/// no email leaves without its intent on disk. Created 0600; holds no secrets.
public final class SessionJournal: @unchecked Sendable {
    public let url: URL
    public let header: RunHeader
    private var fd: Int32
    private let lock = NSLock()
    /// Bytes known to be on disk: everything up to the last fsynced record.
    private var goodLength: off_t
    /// Set by the first failed append: after it, nothing more is written in this
    /// process, so a half-written line can never end up in the middle of the file.
    private var failure: PassmailError?
    /// Test hook: the errno the next appends fail with (simulates a full disk).
    nonisolated(unsafe) static var simulatedWriteErrno: Int32?

    private init(url: URL, header: RunHeader, fd: Int32) {
        self.url = url; self.header = header; self.fd = fd
        var st = stat()
        goodLength = fstat(fd, &st) == 0 ? st.st_size : 0
    }

    deinit { if fd >= 0 { Foundation.close(fd) } }

    public static func url(for runID: String, in sessions: URL) -> URL {
        sessions.appendingPathComponent("\(runID).session")
    }

    /// Writes a new session file holding only the header, atomically (a crash
    /// leaves either no run or a complete header), and opens it for appending.
    public static func create(header: RunHeader, in sessions: URL) throws -> SessionJournal {
        let url = url(for: header.runID, in: sessions)
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw PassmailError.cantCreate("\(url.path): a run with this id already exists")
        }
        let line = JournalRecord.header(header).line(members: header.members) + "\n"
        try AtomicFile.write(Data(line.utf8), to: url, mode: 0o600)
        return try open(url: url, header: header, validLength: nil)
    }

    /// Opens a loaded session for appending; a torn last record is cut off first
    /// so the next record starts on a clean line.
    public static func open(_ loaded: LoadedSession) throws -> SessionJournal {
        try open(url: loaded.url, header: loaded.header, validLength: loaded.tornTail == nil ? nil : loaded.validLength)
    }

    private static func open(url: URL, header: RunHeader, validLength: Int?) throws -> SessionJournal {
        let fd = Foundation.open(url.path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw PassmailError.io("\(url.path): cannot open for writing (\(String(cString: strerror(errno))))") }
        if let validLength {
            if ftruncate(fd, off_t(validLength)) != 0 || fsync(fd) != 0 {
                let reason = String(cString: strerror(errno))
                Foundation.close(fd)
                throw PassmailError.io("\(url.path): cannot cut off the damaged last record (\(reason))")
            }
        }
        return SessionJournal(url: url, header: header, fd: fd)
    }

    /// Appends records and fsyncs; throws (and writes nothing more) on any error.
    public func append(_ records: [JournalRecord]) throws {
        guard !records.isEmpty else { return }
        var text = ""
        for r in records { text += r.line(members: header.members); text += "\n" }
        try lock.withLock {
            guard fd >= 0 else { throw PassmailError.io("\(url.path): the session file is closed") }
            if let failure { throw failure }
            do {
                if let e = Self.simulatedWriteErrno { throw writeError(e) }
                try checkStillInPlace()
                var bytes = Array(text.utf8)
                let total = bytes.count
                var offset = 0
                try bytes.withUnsafeMutableBytes { buf in
                    while offset < total {
                        let n = Foundation.write(fd, buf.baseAddress! + offset, total - offset)
                        if n < 0 {
                            if errno == EINTR { continue }
                            throw writeError(errno)
                        }
                        offset += n
                    }
                }
                if fsync(fd) != 0 { throw writeError(errno) }
                goodLength += off_t(total)
            } catch let error as PassmailError {
                // Best effort: drop a partial line now; if this fails too, the next
                // load treats it as a torn last record.
                _ = ftruncate(fd, goodLength)
                failure = error
                throw error
            }
        }
    }

    /// The file at `url` must still be the one this process writes to. If it was
    /// deleted or replaced, the run is invisible to every other passmail (a second
    /// `send` would pick its attendees again), so nothing more may be sent.
    private func checkStillInPlace() throws {
        var mine = stat(), there = stat()
        guard fstat(fd, &mine) == 0 else { throw writeError(errno) }
        if stat(url.path, &there) != 0 || mine.st_ino != there.st_ino || mine.st_dev != there.st_dev {
            throw PassmailError.io("the session file \(url.path) was deleted or replaced while the run was going; "
                + "nothing more is sent. Attendees not yet sent are still unsent in the roster "
                + "(`passmail send --status unsent`); those in flight are in doubt (`passmail list --status in_doubt`)")
        }
    }

    private func writeError(_ code: Int32) -> PassmailError {
        PassmailError.io("cannot write the session file \(url.path): \(String(cString: strerror(code)))")
    }

    public func close() {
        lock.withLock {
            if fd >= 0 { Foundation.close(fd); fd = -1 }
        }
    }
}

/// A session file as read from disk.
public struct LoadedSession: Sendable {
    public var url: URL
    public var header: RunHeader
    /// Header first.
    public var records: [JournalRecord]
    /// Set when the last line was cut short by a crash; it was ignored.
    public var tornTail: String?
    /// Bytes up to the end of the last good record.
    public var validLength: Int

    /// Reads and checks every record. A damaged last line is ignored and
    /// reported in `tornTail`; damage anywhere else throws, naming the line.
    public static func load(_ url: URL) throws -> LoadedSession {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PassmailError.noInput("\(url.path): cannot read the session file (\(error.localizedDescription))")
        }
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> LoadedSession in
            let bytes = raw.bindMemory(to: UInt8.self)
            var records: [JournalRecord] = []
            var torn: String?
            var start = 0
            var lineNumber = 0
            var validLength = 0
            let n = bytes.count
            while start < n {
                lineNumber += 1
                var end = start
                while end < n && bytes[end] != 0x0A { end += 1 }
                let complete = end < n
                let isLast = !complete || end + 1 >= n
                let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
                do throws(JournalRecord.LineProblem) {
                    guard complete else { throw JournalRecord.LineProblem.malformed("the line has no end") }
                    records.append(try JournalRecord.parse(line))
                    validLength = end + 1
                } catch {
                    let why: String
                    switch error {
                    case .checksum: why = "checksum mismatch (the record was damaged or edited)"
                    case .malformed(let m): why = m
                    }
                    if isLast && lineNumber > 1 {
                        torn = "\(url.lastPathComponent) line \(lineNumber): last record incomplete (\(why)); ignored — it was cut short by a crash"
                    } else {
                        throw PassmailError.data("\(url.path) line \(lineNumber): \(why)")
                    }
                }
                start = end + 1
            }
            guard case .header(let header)? = records.first else {
                throw PassmailError.data("\(url.path) line 1: not a passmail session (no run header)")
            }
            return LoadedSession(url: url, header: header, records: records, tornTail: torn, validLength: validLength)
        }
    }
}
