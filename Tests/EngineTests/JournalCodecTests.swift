import XCTest
import Core
@testable import Engine

/// The line codec with the names and reasons real rosters and servers produce.
final class JournalCodecTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000.123)

    func roundTrip(_ r: JournalRecord, members: [RunMember] = [], file: StaticString = #filePath, line: UInt = #line) throws {
        let text = r.line(members: members)
        XCTAssertFalse(text.contains("\n"), "one record, one line", file: file, line: line)
        let bytes = Array(text.utf8)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(bytes)), "plain JSON", file: file, line: line)
        let back = try bytes.withUnsafeBufferPointer { try JournalRecord.parse($0) }
        XCTAssertEqual(back, r, file: file, line: line)
    }

    func testAwkwardTextSurvives() throws {
        let names = ["Zoë Müller", "O'Brien \"Bob\"", "back\\slash", "tab\there", "line\nbreak", "nul\u{0}byte",
                     "emoji 👩‍💻 and 🇺🇦", "sep\u{2028}arator", "汉字 かな", "\u{1F600}", ""]
        let members = names.enumerated().map { RunMember(attendeeID: "id \($0.offset) ✓", name: $0.element, email: "x\($0.offset)@example.org") }
        try roundTrip(.header(RunHeader(runID: "r1", created: t0, transportKind: "smtp", transportName: "smtp (mail.example.org:587)",
                                        fingerprint: "ab", messageDomain: "example.org", resend: true, members: members)), members: members)
        for (i, n) in names.enumerated() {
            try roundTrip(.failed(entry: i, reason: "550 \(n)", at: t0), members: members)
            try roundTrip(.paused(reason: n, byOrganiser: i % 2 == 0, at: t0))
        }
        try roundTrip(.sent(entry: 0, messageID: "<a@b>", note: "marked sent by the organiser", at: t0), members: members)
        try roundTrip(.sent(entry: 0, messageID: "x", note: nil, at: t0), members: members)
        try roundTrip(.retrying(entry: 3, reason: "429 Too Many Requests", attempt: 4, nextAttemptAt: t0 + 3600.5, at: t0), members: members)
        try roundTrip(.pending(entry: 1, reason: "the provider never received it", at: t0), members: members)
        try roundTrip(.inDoubt(entry: 2, reason: RunMachine.interruptedReason, at: t0), members: members)
        for r in [JournalRecord.resumed(at: t0), .cancelled(at: t0), .finished(at: t0)] { try roundTrip(r) }
    }

    func testEscapedInputFromOtherWritersIsRead() throws {
        // \u escapes (including a surrogate pair) and spaces, as another JSON writer might produce.
        let body = #"{ "t" : "failed", "e" : 0, "reason" : "caf\u00e9 \ud83d\ude00 \/ \"q\"", "at" : 1.5 }"#
        let crc = CRC32.hex(CRC32.checksum(body.utf8))
        let line = String(body.dropLast()) + ",\"crc\":\"\(crc)\"}"
        let r = try Array(line.utf8).withUnsafeBufferPointer { try JournalRecord.parse($0) }
        XCTAssertEqual(r, .failed(entry: 0, reason: "café 😀 / \"q\"", at: Date(timeIntervalSince1970: 1.5)))
    }

    func testDamagedLinesAreRejectedWithAReason() {
        let good = JournalRecord.finished(at: t0).line(members: [])
        func problem(_ s: String) -> JournalRecord.LineProblem? {
            do { _ = try Array(s.utf8).withUnsafeBufferPointer { try JournalRecord.parse($0) }; return nil } catch { return error as? JournalRecord.LineProblem }
        }
        XCTAssertNil(problem(good))
        XCTAssertEqual(problem(good.replacingOccurrences(of: "finished", with: "finishes")), .checksum)
        XCTAssertEqual(problem(String(good.dropLast(3))), .malformed("no checksum at the end"))
        XCTAssertEqual(problem("{}"), .malformed("too short to be a record"))
        let unknown = #"{"t":"exploded","at":1}"#
        let line = String(unknown.dropLast()) + ",\"crc\":\"\(CRC32.hex(CRC32.checksum(unknown.utf8)))\"}"
        XCTAssertEqual(problem(line), .malformed("unknown record type \"exploded\""))
    }

    func testCRC32MatchesTheStandardCheckValue() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.extend(CRC32.checksum(Array("12345678".utf8)), byte: UInt8(ascii: "9")), 0xCBF4_3926)
    }

    func testTokenBucketNeverBanksMoreThanItsBurst() {
        var b = TokenBucket(ratePerMinute: 60)
        XCTAssertEqual(b.available(now: t0), 1)
        b.take(1, now: t0)
        XCTAssertEqual(b.available(now: t0 + 0.5), 0)
        XCTAssertEqual(b.nextTokenAt(now: t0 + 0.5), t0 + 1)
        XCTAssertEqual(b.available(now: t0 + 86_400), 1, "a long idle does not allow a burst")
        var h = TokenBucket(ratePerHour: 600)
        XCTAssertEqual(h.available(now: t0), 10, "a minute's worth")
    }

    func testThroughputIsOverTheLastMinute() {
        var m = ThroughputMeter(startedAt: t0)
        for k in 0..<30 { m.recordFinish(at: t0 + Double(k)) }
        XCTAssertEqual(m.perMinute(now: t0 + 30), 60, accuracy: 0.01)
        XCTAssertEqual(m.eta(remaining: 60, now: t0 + 30) ?? -1, 60, accuracy: 0.1)
        XCTAssertEqual(m.perMinute(now: t0 + 200), 0)
        XCTAssertNil(m.eta(remaining: 5, now: t0 + 200))
        XCTAssertEqual(m.eta(remaining: 0, now: t0 + 200), 0)
    }
}
