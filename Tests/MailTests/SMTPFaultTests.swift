import XCTest
import Core
import TestSupport
@testable import Mail

/// SMTP servers that misbehave the way real ones do: each ending gets the outcome the engine can trust.
final class SMTPFaultTests: XCTestCase {
    private func send(_ script: [String: Any], user: String? = nil, password: String? = nil,
                      responseTimeout: Int = 30) async throws -> (DeliveryOutcome, ScriptedSMTPServer) {
        let server = try ScriptedSMTPServer.start(script)
        let smtp = Fixtures.smtp(port: server.port, user: user, password: password, responseTimeout: responseTimeout)
        let outcome = await smtp.send([Fixtures.message(1)])[0]
        await smtp.shutdown()
        return (outcome, server)
    }

    func testAServerThatRefusesTheSessionStopsTheRunInsteadOfFailingEveryAttendee() async throws {
        for greeting in ["554 5.7.1 Service unavailable; client host blocked", "554 no SMTP service here"] {
            let (outcome, server) = try await send(["greeting": greeting])
            defer { server.stop() }
            XCTAssertEqual(outcome.kind, "fatal", "a 554 greeting refuses every message alike: \(outcome)")
            XCTAssertTrue(outcome.reason!.contains("554"), outcome.reason!)
            XCTAssertEqual(server.deliveries().count, 0)
        }
        let (busy, server) = try await send(["greeting": "421 4.3.2 Too many connections, try later"])
        defer { server.stop() }
        XCTAssertEqual(busy.kind, "transient", "\(busy)")
    }

    func testHELORefusedIsFatal() async throws {
        let (outcome, server) = try await send(["EHLO": "502 5.5.1 EHLO not supported", "HELO": "550 5.7.1 Access denied"])
        defer { server.stop() }
        XCTAssertEqual(outcome.kind, "fatal", "\(outcome)")
    }

    func testMessageTooLargeIsPermanentWhetherRefusedAtMAILOrAfterTheDot() async throws {
        let (atMail, s1) = try await send(["MAIL": "552 5.3.4 Message size exceeds fixed limit"])
        defer { s1.stop() }
        XCTAssertEqual(atMail.kind, "permanent", "too large is this message's problem, not the sender's: \(atMail)")
        XCTAssertTrue(atMail.reason!.contains("5.3.4"), atMail.reason!)
        let (afterDot, s2) = try await send(["dot": "552 5.3.4 Message size exceeds fixed limit"])
        defer { s2.stop() }
        XCTAssertEqual(afterDot.kind, "permanent", "\(afterDot)")
    }

    func testGreylistingAndTooManyRecipientsAreTransient() async throws {
        for reply in ["450 4.2.0 <a1@example.org>: Recipient address rejected: Greylisted",
                      "552 Too many recipients (RFC 5321 4.5.3.1.10: means 452)",
                      "451 4.7.1 Please try again later", "452 4.5.3 Too many recipients"] {
            let (outcome, server) = try await send(["RCPT": reply])
            defer { server.stop() }
            XCTAssertEqual(outcome.kind, "transient", "\(reply): \(outcome)")
            XCTAssertEqual(server.deliveries().count, 0)
        }
    }

    func testMultiLineRepliesAndASlowBannerAreUnderstood() async throws {
        let (ok, s1) = try await send(["greeting": ["220-smtp.example.org ESMTP", "220-no UCE", "220 ready"],
                                       "dot": ["250-2.0.0 Ok", "250 2.0.0 queued as 4F2A"]])
        defer { s1.stop() }
        XCTAssertEqual(ok.kind, "sent", "\(ok)")
        let (slow, s2) = try await send(["greeting": ["delay_ms": 1500, "reply": "220 slow but fine"]])
        defer { s2.stop() }
        XCTAssertEqual(slow.kind, "sent", "\(slow)")
        let (rejected, s3) = try await send(["RCPT": ["550-5.1.1 The email account that you tried to reach does not exist.",
                                                      "550 5.1.1 Please try double-checking the recipient's email address"]])
        defer { s3.stop() }
        XCTAssertEqual(rejected.kind, "permanent", "\(rejected)")
        XCTAssertTrue(rejected.reason!.contains("550 5.1.1 Please try double-checking"), "the server's own words: \(rejected)")
    }

    func testReasonsQuoteTheServersRefusalNotTheGoodbyeAfterIt() async throws {
        for (script, words) in [(["MAIL": "553 5.7.1 Sender address rejected: not owned by user"], "553 5.7.1 Sender address rejected"),
                                (["RCPT": "550 5.1.1 <a1@example.org>: Recipient address rejected"], "550 5.1.1 <a1@example.org>"),
                                (["dot": "554 5.7.1 Message rejected as spam"], "554 5.7.1 Message rejected as spam")] {
            let (outcome, server) = try await send(script)
            defer { server.stop() }
            XCTAssertTrue(outcome.reason!.contains(words), "\(script): \(outcome)")
        }
    }

    func testDropsBeforeTheWholeMessageWasHandedOverAreTransient() async throws {
        for script: [String: Any] in [["MAIL": "drop"], ["RCPT": "drop"], ["DATA": "drop"], ["greeting": "drop"]] {
            let (outcome, server) = try await send(script)
            defer { server.stop() }
            XCTAssertEqual(outcome.kind, "transient", "\(script): \(outcome)")
        }
    }

    func testDropOrSilenceAfterTheFinalDotIsInDoubt() async throws {
        let (dropped, s1) = try await send(["dot": "drop"])
        defer { s1.stop() }
        XCTAssertEqual(dropped.kind, "inDoubt", "\(dropped)")
        XCTAssertEqual(s1.deliveries().count, 1, "the server had the whole message")
        let (silent, s2) = try await send(["dot": "hang"], responseTimeout: 1)
        defer { s2.stop() }
        XCTAssertEqual(silent.kind, "inDoubt", "\(silent)")
    }

    func testAServerThatAnswers250ThenClosesDeliversEachMessageExactlyOnce() async throws {
        let server = try ScriptedSMTPServer.start(["after_dot": "close"])
        defer { server.stop() }
        let smtp = Fixtures.smtp(port: server.port)
        var outcomes: [DeliveryOutcome] = []
        for n in 1...3 { outcomes += await smtp.send([Fixtures.message(n)]) }
        await smtp.shutdown()
        XCTAssertEqual(outcomes.map(\.kind), ["sent", "sent", "sent"])
        XCTAssertEqual(server.deliveries().map(\.rcpt), [["a1@example.org"], ["a2@example.org"], ["a3@example.org"]])
    }

    func testAUsernameWithAServerThatOffersNoAUTHIsFatalAndSendsNothing() async throws {
        let (outcome, server) = try await send(["ehlo": ["PIPELINING", "SIZE 10240000"]],
                                               user: "organiser", password: "s3cret-Pa55")
        defer { server.stop() }
        XCTAssertEqual(outcome.kind, "fatal", "the login was configured but could not be used: \(outcome)")
        XCTAssertTrue(outcome.reason!.contains("AUTH"), outcome.reason!)
        XCTAssertFalse(outcome.reason!.contains("s3cret-Pa55"))
        XCTAssertEqual(server.deliveries().count, 0, "never sent without the configured login")
    }

    func testAUsernameWithOnlyMechanismsLibcurlCannotUseIsFatalAndSendsNothing() async throws {
        let (outcome, server) = try await send(["ehlo": ["AUTH GSSAPI"]], user: "organiser", password: "s3cret-Pa55")
        defer { server.stop() }
        XCTAssertEqual(outcome.kind, "fatal", "\(outcome)")
        XCTAssertEqual(server.deliveries().count, 0)
    }

    func testAUsernameWithAServerThatOffersAUTHLogsIn() async throws {
        let (outcome, server) = try await send(["ehlo": ["PIPELINING", "AUTH PLAIN LOGIN"]],
                                               user: "organiser", password: "s3cret-Pa55")
        defer { server.stop() }
        XCTAssertEqual(outcome.kind, "sent", "\(outcome)")
    }

    func testAServerThatRepeatsTheCredentialsInItsRefusalNeverPutsThePasswordInAReason() async throws {
        for mechanisms in ["AUTH PLAIN", "AUTH LOGIN"] {
            let (outcome, server) = try await send(["ehlo": [mechanisms], "AUTH": "echo"], user: "organiser", password: "s3cret-Pa55")
            defer { server.stop() }
            XCTAssertEqual(outcome.kind, "fatal", "\(outcome)")
            let reason = try XCTUnwrap(outcome.reason)
            XCTAssertTrue(reason.contains("535"), reason)
            for secret in ["s3cret-Pa55", Data("s3cret-Pa55".utf8).base64EncodedString(),
                           Data("\0organiser\0s3cret-Pa55".utf8).base64EncodedString()] {
                XCTAssertFalse(reason.contains(secret), "\(mechanisms): \(reason)")
            }
        }
    }

    func testStartTLSMissingFromEHLOIsFatalAndNothingGoesOutInClear() async throws {
        let server = try ScriptedSMTPServer.start(["ehlo": ["PIPELINING", "AUTH PLAIN LOGIN"]])
        defer { server.stop() }
        let smtp = Fixtures.smtp(port: server.port, security: .starttls, user: "organiser", password: "s3cret-Pa55")
        let outcome = await smtp.send([Fixtures.message(1)])[0]
        await smtp.shutdown()
        XCTAssertEqual(outcome.kind, "fatal", "\(outcome)")
        XCTAssertEqual(server.deliveries().count, 0)
        let refusedTLS = try ScriptedSMTPServer.start(["ehlo": ["STARTTLS"], "STARTTLS": "454 4.7.0 TLS not available"])
        defer { refusedTLS.stop() }
        let again = await Fixtures.smtp(port: refusedTLS.port, security: .starttls).send([Fixtures.message(2)])[0]
        XCTAssertEqual(again.kind, "fatal", "\(again)")
        XCTAssertEqual(refusedTLS.deliveries().count, 0)
    }
}
