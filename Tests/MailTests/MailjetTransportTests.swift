import XCTest
import Core
import TestSupport
@testable import Mail

/// Mailjet Send API v3.1 against the local stand-in: documented shapes, partial failures, limits, lookups.
final class MailjetTransportTests: XCTestCase {
    func transport(_ mj: MailjetStandIn, pub: String = "pub-key-123", priv: String = "priv-key-456", sandbox: Bool = false) -> MailjetTransport {
        MailjetTransport(settings: .init(baseURL: mj.baseURL, publicKey: pub, privateKey: priv, sandbox: sandbox), connections: 2)
    }

    func start(_ faults: [String: String] = [:]) throws -> MailjetStandIn {
        try MailjetStandIn.start(auth: ("pub-key-123", "priv-key-456"), faults: faults)
    }

    func testSendsABatchWithCustomIDsMessageIDsAndAttachments() async throws {
        let mj = try start()
        defer { mj.stop() }
        let t = transport(mj)
        let outcomes = await t.send((1...3).map { Fixtures.message($0) })
        XCTAssertEqual(outcomes.map(\.kind), ["sent", "sent", "sent"])
        let d = mj.deliveries()
        XCTAssertEqual(d.map(\.customID), ["r1.a1", "r1.a2", "r1.a3"])
        XCTAssertEqual(d.map(\.messageID), ["<r1.a1@passmail.test>", "<r1.a2@passmail.test>", "<r1.a3@passmail.test>"])
        XCTAssertEqual(d.first?.attachments.first?.fileName, "Pass - Attendee 1.pdf")
        XCTAssertEqual(d.first?.attachments.first?.size, Fixtures.pdf.count)
        XCTAssertEqual(outcomes[0], .sent(messageId: String(d[0].id)), "the provider's id is recorded")
        await t.shutdown()
    }

    func testMoreThanFiftyMessagesAreSplitIntoCallsOfFifty() async throws {
        let mj = try start()
        defer { mj.stop() }
        let outcomes = await transport(mj).send((1...120).map { Fixtures.message($0) })
        XCTAssertEqual(outcomes.count, 120)
        XCTAssertTrue(outcomes.allSatisfy { $0.kind == "sent" })
        XCTAssertEqual(mj.deliveries().count, 120)
    }

    func testPartlyFailedCallReadsEachMessagesStatus() async throws {
        let mj = try start(["a2@example.org": "error"])
        defer { mj.stop() }
        let outcomes = await transport(mj).send((1...3).map { Fixtures.message($0) })
        XCTAssertEqual(outcomes.map(\.kind), ["sent", "permanent", "sent"])
        XCTAssertTrue(outcomes[1].reason!.contains("mj-0013"), outcomes[1].reason!)
        XCTAssertEqual(mj.deliveries().map(\.customID), ["r1.a1", "r1.a3"])
    }

    func testAnUnsendableAddressFailsAloneNotTheWholeCall() async throws {
        let mj = try start()
        defer { mj.stop() }
        let outcomes = await transport(mj).send([Fixtures.message(1), Fixtures.message(2, to: "zoë@exämple.org"), Fixtures.message(3)])
        XCTAssertEqual(outcomes.map(\.kind), ["sent", "permanent", "sent"])
        XCTAssertTrue(outcomes[1].reason!.contains("non-ASCII"), outcomes[1].reason!)
        XCTAssertEqual(mj.deliveries().map(\.customID), ["r1.a1", "r1.a3"])
    }

    func testWrongKeysAreFatal() async throws {
        let mj = try start()
        defer { mj.stop() }
        let outcomes = await transport(mj, priv: "not-the-key").send([Fixtures.message(1)])
        XCTAssertEqual(outcomes.map(\.kind), ["fatal"])
        XCTAssertTrue(outcomes[0].reason!.contains("MJ_APIKEY_PRIVATE"), outcomes[0].reason!)
        XCTAssertFalse(outcomes[0].reason!.contains("not-the-key"))
    }

    func testRateLimitIsTransientAndHonoursRetryAfter() async throws {
        let mj = try start(["*": "429:17"])
        defer { mj.stop() }
        let outcomes = await transport(mj).send([Fixtures.message(1), Fixtures.message(2)])
        XCTAssertEqual(outcomes.map(\.kind), ["transient", "transient"])
        guard case .transient(_, let after) = outcomes[0] else { return XCTFail() }
        XCTAssertEqual(after, 17)
        XCTAssertEqual(mj.deliveries().count, 0)
    }

    func testARequestLevelFaultKeyedByRecipientHitsTheWholeCall() async throws {
        let mj = try start(["a2@example.org": "no-response"])
        defer { mj.stop() }
        let t = transport(mj)
        let first = await t.send([Fixtures.message(1)])
        XCTAssertEqual(first.map(\.kind), ["sent"])
        let outcomes = await t.send([Fixtures.message(2), Fixtures.message(3)])
        XCTAssertEqual(outcomes.map(\.kind), ["inDoubt", "inDoubt"])
        XCTAssertEqual(mj.deliveries().map(\.customID), ["r1.a1", "r1.a2", "r1.a3"], "accepted although unanswered")
    }

    func testServerErrorIsTransient() async throws {
        let mj = try start(["*": "500"])
        defer { mj.stop() }
        let outcomes = await transport(mj).send([Fixtures.message(1)])
        XCTAssertEqual(outcomes.map(\.kind), ["transient"])
        mj.setFaults([:])
        let retried = await transport(mj).send([Fixtures.message(1)])
        XCTAssertEqual(retried.map(\.kind), ["sent"])
    }

    func testNoResponseAfterTheRequestIsInDoubtAndLookupSettlesIt() async throws {
        let mj = try start(["*": "no-response"])
        defer { mj.stop() }
        let t = transport(mj)
        let outcomes = await t.send([Fixtures.message(1), Fixtures.message(2)])
        XCTAssertEqual(outcomes.map(\.kind), ["inDoubt", "inDoubt"], "\(outcomes)")
        XCTAssertTrue(t.canLookUp)
        let found = await t.lookUp(customID: "r1.a1")
        XCTAssertEqual(found, .found(messageId: String(mj.deliveries()[0].id)))
        let missing = await t.lookUp(customID: "r1.a77")
        XCTAssertEqual(missing, .notFound)
        let wrongKeys = await transport(mj, priv: "nope").lookUp(customID: "r1.a1")
        guard case .unknown = wrongKeys else { return XCTFail("\(wrongKeys)") }
    }

    func testUnreachableAPIIsTransient() async throws {
        let t = MailjetTransport(settings: .init(baseURL: "http://127.0.0.1:\(freeLoopbackPort())", publicKey: "p", privateKey: "q"), connections: 1)
        let outcomes = await t.send([Fixtures.message(1)])
        XCTAssertEqual(outcomes.map(\.kind), ["transient"])
        let lookup = await t.lookUp(customID: "x")
        guard case .unknown = lookup else { return XCTFail("\(lookup)") }
    }

    func testSandboxModeIsSentAndNothingIsStored() async throws {
        let mj = try start()
        defer { mj.stop() }
        let t = transport(mj, sandbox: true)
        XCTAssertEqual(t.displayName, "mailjet (sandbox)")
        let outcomes = await t.send([Fixtures.message(1)])
        XCTAssertEqual(outcomes.map(\.kind), ["sent"])
        XCTAssertEqual(mj.deliveries().count, 0, "sandbox messages are validated, not delivered")
    }

    func testPayloadShape() throws {
        var m = Fixtures.message(1)
        m.replyTo = Mailbox(name: "Help\r\nBcc: x", address: "help@example.org")
        let json = try JSONSerialization.jsonObject(with: MailjetPayload.sendRequest([m], sandbox: true)) as! [String: Any]
        XCTAssertEqual(json["SandboxMode"] as? Bool, true)
        let e = (json["Messages"] as! [[String: Any]])[0]
        XCTAssertEqual(e["CustomID"] as? String, "r1.a1")
        XCTAssertEqual((e["From"] as? [String: String])?["Email"], "team@example.org")
        XCTAssertEqual((e["To"] as? [[String: String]])?.first?["Name"], "Attendee 1")
        XCTAssertEqual((e["ReplyTo"] as? [String: String])?["Name"], "Help Bcc: x")
        XCTAssertEqual((e["Headers"] as? [String: String])?["Message-ID"], "<r1.a1@passmail.test>")
        XCTAssertEqual(e["HTMLPart"] as? String, "<p>Hello 1</p>")
        let att = (e["Attachments"] as! [[String: String]])[0]
        XCTAssertEqual(att["ContentType"], "application/pdf")
        XCTAssertEqual(Data(base64Encoded: att["Base64Content"]!), Fixtures.pdf)
    }

    func testResponseClassificationRules() {
        let ok = CurlResult(code: 0, response: 400, error: "", uploadFinished: true, lastReply: nil)
        let body = #"{"Messages":[{"Status":"success","To":[{"Email":"a","MessageID":42}]},{"Status":"error","Errors":[{"StatusCode":500,"ErrorMessage":"later"}]},{"Status":"error","Errors":[{"StatusCode":401,"ErrorMessage":"keys"}]}]}"#
        XCTAssertEqual(MailjetOutcome.classify(ok, body: Data(body.utf8), headers: [], count: 3).map(\.kind), ["sent", "transient", "fatal"])
        XCTAssertEqual(MailjetOutcome.classify(ok, body: Data(body.utf8), headers: [], count: 2).map(\.kind), ["inDoubt", "inDoubt"],
                       "a result count that does not match cannot be trusted")
        let garbage = CurlResult(code: 0, response: 200, error: "", uploadFinished: true, lastReply: nil)
        XCTAssertEqual(MailjetOutcome.classify(garbage, body: Data("<html>".utf8), headers: [], count: 1).map(\.kind), ["inDoubt"])
        let notFound = CurlResult(code: 0, response: 404, error: "", uploadFinished: true, lastReply: nil)
        XCTAssertEqual(MailjetOutcome.classify(notFound, body: Data(), headers: [], count: 1).map(\.kind), ["fatal"])
        XCTAssertEqual(MailjetOutcome.retryAfter(["HTTP/1.1 429 Too Many\r\n", "retry-after: 3\r\n"]), 3)
        XCTAssertNil(MailjetOutcome.retryAfter(["Content-Type: x\r\n"]))
    }
}
