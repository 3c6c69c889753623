import XCTest
import Core
import TestSupport
@testable import Engine

/// The session file on disk: permissions, checksums, torn tails, locks.
final class SessionJournalTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000.25)

    func header(_ id: String = "r20261204-101500-abcd", members n: Int = 3) -> RunHeader {
        RunHeader(runID: id, created: t0, transportKind: "smtp", transportName: "smtp (mail.example.org:587)", fingerprint: "abc123",
                  messageDomain: "example.org",
                  members: (0..<n).map { RunMember(attendeeID: "a\($0)", name: "Zoë \"Zed\" Müller\\\($0)\n", email: "z\($0)@example.org") })
    }

    func testNewSessionIs0600AndRoundTrips() throws {
        let dir = TemporaryDirectory()
        let j = try SessionJournal.create(header: header(), in: dir.url)
        try j.append([.sending(entry: 0, attempt: 1, messageID: "r.a0@example.org", at: t0),
                      .sent(entry: 0, messageID: "250 OK id=1", note: nil, at: t0 + 1)])
        try j.append([.retrying(entry: 1, reason: "451 \"busy\"", attempt: 2, nextAttemptAt: t0 + 60.5, at: t0 + 2)])
        j.close()
        var st = stat()
        XCTAssertEqual(stat(j.url.path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        let loaded = try LoadedSession.load(j.url)
        XCTAssertNil(loaded.tornTail)
        XCTAssertEqual(loaded.header, header())
        XCTAssertEqual(loaded.records.count, 4)
        XCTAssertEqual(loaded.records[3], .retrying(entry: 1, reason: "451 \"busy\"", attempt: 2, nextAttemptAt: t0 + 60.5, at: t0 + 2))
        // Human-readable JSON lines, each with its checksum, naming the attendee.
        let text = try String(contentsOf: j.url, encoding: .utf8)
        let lines = text.split(separator: "\n")
        XCTAssertTrue(lines[1].hasPrefix("{\"t\":\"sending\",\"e\":0,\"id\":\"a0\",\"attempt\":1"), String(lines[1]))
        XCTAssertTrue(lines.allSatisfy { $0.contains(",\"crc\":\"") })
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any], "the header is plain JSON")
    }

    func testTornLastRecordIsIgnoredReportedAndCutOffBeforeTheNextAppend() throws {
        let dir = TemporaryDirectory()
        let j = try SessionJournal.create(header: header(), in: dir.url)
        try j.append([.sending(entry: 0, attempt: 1, messageID: "m0", at: t0)])
        j.close()
        let full = JournalRecord.sent(entry: 0, messageID: "x", note: nil, at: t0).line(members: header().members)
        let h = try FileHandle(forWritingTo: j.url)
        h.seekToEndOfFile()
        h.write(Data(full.utf8.prefix(25)))
        try h.close()

        let loaded = try LoadedSession.load(j.url)
        XCTAssertEqual(loaded.records.count, 2)
        let torn = try XCTUnwrap(loaded.tornTail)
        XCTAssertTrue(torn.contains("line 3"), torn)
        let again = try SessionJournal.open(loaded)
        try again.append([.failed(entry: 1, reason: "550", at: t0)])
        again.close()
        let reloaded = try LoadedSession.load(j.url)
        XCTAssertNil(reloaded.tornTail)
        XCTAssertEqual(reloaded.records.last, .failed(entry: 1, reason: "550", at: t0))
    }

    func testDamageInTheMiddleNamesTheLine() throws {
        let dir = TemporaryDirectory()
        let j = try SessionJournal.create(header: header(), in: dir.url)
        try j.append([.sending(entry: 0, attempt: 1, messageID: "m0", at: t0), .sent(entry: 0, messageID: "x", note: nil, at: t0),
                      .sending(entry: 1, attempt: 1, messageID: "m1", at: t0)])
        j.close()
        var text = try String(contentsOf: j.url, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"mid\":\"x\"", with: "\"mid\":\"y\"")
        try Data(text.utf8).write(to: j.url)
        XCTAssertThrowsError(try LoadedSession.load(j.url)) { error in
            let message = (error as? PassmailError)?.message ?? "\(error)"
            XCTAssertTrue(message.contains("line 3"), message)
            XCTAssertTrue(message.contains("checksum"), message)
        }
    }

    func testEmptyOrForeignFileIsNotASession() throws {
        let dir = TemporaryDirectory()
        let url = dir.write("x.session", "hello\n")
        XCTAssertThrowsError(try LoadedSession.load(url)) { XCTAssertTrue("\($0)".contains("line 1"), "\($0)") }
    }

    func testASecondProcessIsRefusedWithTheHoldersPID() throws {
        let dir = TemporaryDirectory()
        let lock = try RunLock.acquire(runID: "r1", in: dir.url)
        XCTAssertEqual(RunLock.holder(runID: "r1", in: dir.url), getpid())
        XCTAssertThrowsError(try RunLock.acquire(runID: "r1", in: dir.url)) { error in
            XCTAssertEqual((error as? PassmailError)?.message.hasPrefix("run r1 is being sent by process \(getpid())"), true, "\(error)")
            XCTAssertEqual((error as? PassmailError)?.exitCode, .tempFailure)
        }
        lock.release()
        XCTAssertNil(RunLock.holder(runID: "r1", in: dir.url))
        let again = try RunLock.acquire(runID: "r1", in: dir.url)
        again.release()
    }

    func testAFailingDiskMakesAppendThrowWithTheReason() throws {
        let dir = TemporaryDirectory()
        let j = try SessionJournal.create(header: header(), in: dir.url)
        SessionJournal.simulatedWriteErrno = ENOSPC
        defer { SessionJournal.simulatedWriteErrno = nil }
        XCTAssertThrowsError(try j.append([.finished(at: t0)])) {
            XCTAssertTrue("\($0)".contains("No space left on device"), "\($0)")
        }
        SessionJournal.simulatedWriteErrno = nil
        XCTAssertThrowsError(try j.append([.finished(at: t0)]), "after a failed write nothing more is appended by this process")
        j.close()
        let loaded = try LoadedSession.load(j.url)
        XCTAssertEqual(loaded.records.count, 1)
        XCTAssertNil(loaded.tornTail)
    }

    func testMessageIdentityIsStableAndSafe() {
        XCTAssertEqual(MessageIdentity.messageID(runID: "r1", attendeeID: "a17", domain: "example.org"), "r1.a17@example.org")
        XCTAssertEqual(MessageIdentity.sanitise("a b"), "a=20b")
        XCTAssertNotEqual(MessageIdentity.sanitise("a b"), MessageIdentity.sanitise("a=20b"))
        XCTAssertEqual(MessageIdentity.sanitise("zoë@x"), "zo=C3=AB=40x")
        XCTAssertEqual(MessageIdentity.domain(ofSender: "Team <team@Example.ORG>"), "example.org")
        XCTAssertTrue(MessageIdentity.newRunID().hasPrefix("r20"))
    }
}
