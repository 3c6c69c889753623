import XCTest
import Core
import TestSupport
@testable import Mail

/// SMTP against a real server (aiosmtpd): every way an attempt can end is classified right.
final class SMTPTransportTests: XCTestCase {
    func testSendsSeveralMessagesOverOneReusedConnection() async throws {
        let server = try SMTPTestServer.start(keepData: true)
        defer { server.stop() }
        let smtp = Fixtures.smtp(port: server.port)
        var outcomes: [DeliveryOutcome] = []
        for n in 1...3 { outcomes += await smtp.send([Fixtures.message(n)]) }
        await smtp.shutdown()
        XCTAssertEqual(outcomes, (1...3).map { .sent(messageId: "r1.a\($0)@passmail.test") })
        let d = server.deliveries()
        XCTAssertEqual(d.map(\.rcpt), [["a1@example.org"], ["a2@example.org"], ["a3@example.org"]])
        XCTAssertEqual(d.map(\.mailFrom), Array(repeating: "team@example.org", count: 3))
        XCTAssertEqual(d.map(\.messageID), ["r1.a1@passmail.test", "r1.a2@passmail.test", "r1.a3@passmail.test"])
        XCTAssertEqual(Set(d.map(\.session)).count, 1, "one connection for all three messages")
        let raw = try XCTUnwrap(d.first?.data)
        XCTAssertTrue(String(decoding: raw, as: UTF8.self).contains("Subject: Your pass #1\r\n"))
    }

    func testAConnectionTheServerClosedWhileIdleIsReplacedTransparently() async throws {
        let server = try SMTPTestServer.start(idleTimeout: 0.5)
        defer { server.stop() }
        let smtp = Fixtures.smtp(port: server.port)
        let first = await smtp.send([Fixtures.message(1)])
        try await Task.sleep(nanoseconds: 1_200_000_000)
        let second = await smtp.send([Fixtures.message(2)])
        XCTAssertEqual((first + second).map(\.kind), ["sent", "sent"])
        XCTAssertEqual(Set(server.deliveries().map(\.session)).count, 2)
        await smtp.shutdown()
    }

    func testEachFaultIsClassified() async throws {
        let server = try SMTPTestServer.start()
        defer { server.stop() }
        let expected = ["421": "transient", "451": "transient", "452": "transient",
                        "550": "permanent", "554": "permanent", "535": "fatal"]
        var faults: [String: String] = [:]
        for (i, code) in expected.keys.sorted().enumerated() { faults["f\(i)@example.org"] = code }
        server.setFaults(faults)
        let smtp = Fixtures.smtp(port: server.port)
        for (i, code) in expected.keys.sorted().enumerated() {
            let outcome = await smtp.send([Fixtures.message(i, to: "f\(i)@example.org")])[0]
            XCTAssertEqual(outcome.kind, expected[code], "\(code): \(outcome)")
            XCTAssertTrue(outcome.reason?.contains(code) ?? false, "reason names the reply: \(outcome)")
        }
        // After all those failures the next message still goes through (fresh connection).
        let ok = await smtp.send([Fixtures.message(99)])
        XCTAssertEqual(ok, [.sent(messageId: "r1.a99@passmail.test")])
        XCTAssertEqual(server.deliveries().map(\.rcpt), [["a99@example.org"]])
        await smtp.shutdown()
    }

    func testRefusedSenderIsFatal() async throws {
        let server = try SMTPTestServer.start()
        defer { server.stop() }
        let r = SMTPOutcome.classify(CurlResult(code: 55, response: 550, error: "MAIL failed: 550", uploadFinished: false,
                                                lastReply: "550 5.7.1 Sender not authorised"),
                                     messageID: "m@x", sender: "team@example.org", server: "h:25", responseTimeout: 600)
        XCTAssertEqual(r.kind, "fatal")
        XCTAssertTrue(r.reason!.contains("Sender not authorised"), r.reason!)
    }

    func testClassificationTable() {
        func kind(_ code: Int, _ response: Int, uploaded: Bool = false, error: String = "") -> String {
            SMTPOutcome.classify(CurlResult(code: code, response: response, error: error, uploadFinished: uploaded, lastReply: nil),
                                 messageID: "m@x", sender: "s@x", server: "h:25", responseTimeout: 600).kind
        }
        XCTAssertEqual(kind(0, 250), "sent")
        XCTAssertEqual(kind(67, 535), "fatal", "login denied")
        XCTAssertEqual(kind(55, 530), "fatal", "authentication required")
        XCTAssertEqual(kind(60, 0), "fatal", "untrusted certificate")
        XCTAssertEqual(kind(64, 0), "fatal", "STARTTLS not offered")
        XCTAssertEqual(kind(3, 0), "fatal", "malformed URL")
        XCTAssertEqual(kind(55, 451), "transient")
        XCTAssertEqual(kind(8, 421, uploaded: true), "transient", "an explicit 4xx after the dot is not in doubt")
        XCTAssertEqual(kind(8, 554, uploaded: true), "permanent", "an explicit 5xx after the dot is not in doubt")
        XCTAssertEqual(kind(55, 550, error: "RCPT failed: 550"), "permanent")
        XCTAssertEqual(kind(55, 553, error: "MAIL failed: 553"), "fatal", "sender refused")
        XCTAssertEqual(kind(7, 0), "transient", "connection refused")
        XCTAssertEqual(kind(6, 0), "transient", "DNS")
        XCTAssertEqual(kind(28, 0), "transient", "timeout before anything was sent")
        XCTAssertEqual(kind(28, 354, uploaded: true), "inDoubt", "timeout waiting for the reply to the final dot")
        XCTAssertEqual(kind(56, 354, uploaded: true), "inDoubt", "connection lost after the final dot")
        XCTAssertEqual(kind(56, 250, uploaded: false), "transient", "connection lost before DATA")
    }

    func testConnectionDroppedAfterTheFinalDotIsInDoubt() async throws {
        let server = try SMTPTestServer.start(faults: ["lost@example.org": "drop-after-data"])
        defer { server.stop() }
        let smtp = Fixtures.smtp(port: server.port)
        let outcome = await smtp.send([Fixtures.message(1, to: "lost@example.org")])[0]
        XCTAssertEqual(outcome.kind, "inDoubt", "\(outcome)")
        XCTAssertEqual(server.deliveries().first?.fault, "drop-after-data", "the server did receive the whole message")
        let next = await smtp.send([Fixtures.message(2)])[0]
        XCTAssertEqual(next.kind, "sent")
        XCTAssertNotEqual(server.deliveries()[0].session, server.deliveries()[1].session, "fresh connection after a failure")
        await smtp.shutdown()
    }

    func testNoReplyToTheFinalDotWithinTheResponseTimeoutIsInDoubt() async throws {
        let server = try SMTPTestServer.start(faults: ["slow@example.org": "hang-after-data"])
        defer { server.stop() }
        let smtp = Fixtures.smtp(port: server.port, responseTimeout: 1)
        let outcome = await smtp.send([Fixtures.message(1, to: "slow@example.org")])[0]
        XCTAssertEqual(outcome.kind, "inDoubt", "\(outcome)")
        XCTAssertTrue(outcome.reason!.contains("no reply"), outcome.reason!)
        await smtp.shutdown()
    }

    func testConnectionRefusedBeforeSendingIsTransient() async throws {
        let port = freeLoopbackPort()
        let smtp = Fixtures.smtp(port: port)
        let outcome = await smtp.send([Fixtures.message(1)])[0]
        XCTAssertEqual(outcome.kind, "transient", "\(outcome)")
        XCTAssertTrue(outcome.reason!.contains("cannot connect to 127.0.0.1:\(port)"), outcome.reason!)
    }

    func testAuthentication() async throws {
        let server = try SMTPTestServer.start(auth: ("organiser", "s3cret-Pa55"))
        defer { server.stop() }
        let bad = Fixtures.smtp(port: server.port, user: "organiser", password: "wrong-Pa55")
        let refused = await bad.send([Fixtures.message(1)])[0]
        XCTAssertEqual(refused.kind, "fatal", "\(refused)")
        XCTAssertTrue(refused.reason!.contains("PASSMAIL_SMTP_PASSWORD"), refused.reason!)
        XCTAssertFalse(refused.reason!.contains("wrong-Pa55"))
        let none = await Fixtures.smtp(port: server.port).send([Fixtures.message(2)])[0]
        XCTAssertEqual(none.kind, "fatal", "no login where one is required (530): \(none)")
        let good = Fixtures.smtp(port: server.port, user: "organiser", password: "s3cret-Pa55")
        let sent = await good.send([Fixtures.message(3)])
        XCTAssertEqual(sent.map(\.kind), ["sent"])
        XCTAssertEqual(server.deliveries().map(\.rcpt), [["a3@example.org"]])
        await good.shutdown()
    }

    func testSTARTTLSRefusesAnUntrustedCertificateAndAcceptsItWithCAFile() async throws {
        let server = try SMTPTestServer.start(auth: ("organiser", "s3cret"), tls: true)
        defer { server.stop() }
        let untrusted = Fixtures.smtp(port: server.port, security: .starttls, host: "localhost", user: "organiser", password: "s3cret")
        let refused = await untrusted.send([Fixtures.message(1)])[0]
        XCTAssertEqual(refused.kind, "fatal", "\(refused)")
        XCTAssertTrue(refused.reason!.contains("ca_file"), refused.reason!)
        let ca = try Data(contentsOf: XCTUnwrap(server.tls).certificate)
        let trusted = Fixtures.smtp(port: server.port, security: .starttls, host: "localhost", user: "organiser", password: "s3cret", ca: ca)
        let sent = await trusted.send([Fixtures.message(2), Fixtures.message(3)])
        XCTAssertEqual(sent.map(\.kind), ["sent", "sent"])
        XCTAssertEqual(Set(server.deliveries().map(\.session)).count, 1)
        await trusted.shutdown()
    }

    func testImplicitTLS() async throws {
        let server = try SMTPTestServer.start(implicitTLS: true)
        defer { server.stop() }
        let ca = try Data(contentsOf: XCTUnwrap(server.tls).certificate)
        let smtp = Fixtures.smtp(port: server.port, security: .tls, host: "localhost", ca: ca)
        let sent = await smtp.send([Fixtures.message(1)])
        XCTAssertEqual(sent.map(\.kind), ["sent"])
        await smtp.shutdown()
    }

    func testFourConnectionsSendConcurrentlyAndEachIsReused() async throws {
        let server = try SMTPTestServer.start(latencyMs: 50)
        defer { server.stop() }
        let smtp = Fixtures.smtp(port: server.port, connections: 4)
        let outcomes = await withTaskGroup(of: [DeliveryOutcome].self) { group in
            for w in 0..<4 {
                group.addTask {
                    var out: [DeliveryOutcome] = []
                    for k in 0..<3 { out += await smtp.send([Fixtures.message(w * 10 + k)]) }
                    return out
                }
            }
            var all: [DeliveryOutcome] = []
            for await o in group { all += o }
            return all
        }
        await smtp.shutdown()
        XCTAssertEqual(outcomes.map(\.kind), Array(repeating: "sent", count: 12))
        let sessions = Set(server.deliveries().map(\.session))
        XCTAssertLessThanOrEqual(sessions.count, 4)
        XCTAssertEqual(server.deliveries().count, 12)
    }

    func testUnwritableMessageIsPermanentNotACrash() async throws {
        let smtp = Fixtures.smtp(port: 1)
        let outcome = await smtp.send([Fixtures.message(1, to: "bad\r\naddress")])[0]
        XCTAssertEqual(outcome.kind, "permanent", "\(outcome)")
    }
}
