import XCTest
import Core
import TestSupport
@testable import Mail

/// A Mailjet-like API and the proxies in front of it misbehaving: nothing may be sent twice
/// or counted as sent when it was not, and no key may reach a reason.
final class MailjetFaultTests: XCTestCase {
    private func send(_ fault: String, count: Int = 2, timeout: Int? = nil) async throws -> ([DeliveryOutcome], MailjetStandIn) {
        let mj = try MailjetStandIn.start(auth: ("pub-key-123", "priv-key-456"), faults: ["*": fault])
        var settings = MailjetTransport.Settings(baseURL: mj.baseURL, publicKey: "pub-key-123", privateKey: "priv-key-456")
        if let timeout { settings.requestTimeoutSeconds = timeout }
        let t = MailjetTransport(settings: settings, connections: 1)
        let outcomes = await t.send((1...count).map { Fixtures.message($0) })
        await t.shutdown()
        return (outcomes, mj)
    }

    func testProxyErrorPagesAreTransientAndHonourRetryAfter() async throws {
        let (bad, m1) = try await send("502-html")
        defer { m1.stop() }
        XCTAssertEqual(bad.map(\.kind), ["transient", "transient"], "\(bad)")
        XCTAssertTrue(bad[0].reason!.contains("502"), bad[0].reason!)
        let (busy, m2) = try await send("503-html:42")
        defer { m2.stop() }
        guard case .transient(_, let after) = busy[0] else { return XCTFail("\(busy)") }
        XCTAssertEqual(after, 42)
        let (dated, m3) = try await send("503-date:120")
        defer { m3.stop() }
        guard case .transient(_, let afterDate) = dated[0] else { return XCTFail("\(dated)") }
        XCTAssertNotNil(afterDate, "Retry-After as an HTTP date")
        XCTAssertGreaterThan(afterDate ?? 0, 60)
        XCTAssertLessThanOrEqual(afterDate ?? 999, 121)
        XCTAssertEqual(m1.deliveries().count + m2.deliveries().count + m3.deliveries().count, 0)
    }

    func testAGatewayTimeoutIsInDoubtBecauseMailjetMayHaveAcceptedTheMessages() async throws {
        let (outcomes, mj) = try await send("504-html")
        defer { mj.stop() }
        XCTAssertEqual(outcomes.map(\.kind), ["inDoubt", "inDoubt"], "\(outcomes)")
        XCTAssertEqual(mj.deliveries().count, 2, "the stand-in did accept them: a retry would send them twice")
    }

    func testAnAnswerCutOffOrUnreadableAfterAcceptanceIsInDoubt() async throws {
        for fault in ["truncated", "garbage-200"] {
            let (outcomes, mj) = try await send(fault)
            defer { mj.stop() }
            XCTAssertEqual(outcomes.map(\.kind), ["inDoubt", "inDoubt"], "\(fault): \(outcomes)")
            XCTAssertEqual(mj.deliveries().count, 2)
        }
    }

    func testAnotherSuccessStatusStillReadsEachMessage() async throws {
        let (outcomes, mj) = try await send("202")
        defer { mj.stop() }
        XCTAssertEqual(outcomes.map(\.kind), ["sent", "sent"], "202 with per-message success: \(outcomes)")
        XCTAssertEqual(mj.deliveries().count, 2)
    }

    func testAResetAfterTheRequestBodyIsInDoubtAndTheLookupSaysNotFound() async throws {
        let mj = try MailjetStandIn.start(auth: ("pub-key-123", "priv-key-456"), faults: ["*": "reset"])
        defer { mj.stop() }
        let t = MailjetTransport(settings: .init(baseURL: mj.baseURL, publicKey: "pub-key-123", privateKey: "priv-key-456"), connections: 1)
        let outcomes = await t.send([Fixtures.message(1)])
        XCTAssertEqual(outcomes.map(\.kind), ["inDoubt"], "the request was sent; the client cannot know: \(outcomes)")
        let lookup = await t.lookUp(customID: "r1.a1")
        XCTAssertEqual(lookup, .notFound, "so the engine may resend it safely")
        await t.shutdown()
    }

    func testAVerySlowAnswerIsInDoubt() async throws {
        let (outcomes, mj) = try await send("latency:3000", count: 1, timeout: 1)
        defer { mj.stop() }
        XCTAssertEqual(outcomes.map(\.kind), ["inDoubt"], "\(outcomes)")
    }

    func testForbiddenAndRedirectAreFatalAndSendNothing() async throws {
        for fault in ["403", "redirect"] {
            let (outcomes, mj) = try await send(fault)
            defer { mj.stop() }
            XCTAssertEqual(outcomes.map(\.kind), ["fatal", "fatal"], "\(fault): \(outcomes)")
            XCTAssertEqual(mj.deliveries().count, 0)
        }
    }

    func testAnErrorThatEchoesTheCredentialsNeverPutsAKeyInAReason() async throws {
        let (outcomes, mj) = try await send("echo-auth")
        defer { mj.stop() }
        let basic = Data("pub-key-123:priv-key-456".utf8).base64EncodedString()
        for o in outcomes {
            let reason = try XCTUnwrap(o.reason)
            XCTAssertFalse(reason.contains("priv-key-456"), reason)
            XCTAssertFalse(reason.contains("pub-key-123"), reason)
            XCTAssertFalse(reason.contains(basic), reason)
        }
    }

    func testALookupThatFindsSeveralOrNoMessagesOrGarbage() async throws {
        let mj = try MailjetStandIn.start(auth: ("pub-key-123", "priv-key-456"), faults: ["r1.a9": "lookup-garbage"])
        defer { mj.stop() }
        let t = MailjetTransport(settings: .init(baseURL: mj.baseURL, publicKey: "pub-key-123", privateKey: "priv-key-456"), connections: 1)
        _ = await t.send([Fixtures.message(1)])
        _ = await t.send([Fixtures.message(1)])
        let several = await t.lookUp(customID: "r1.a1")
        guard case .found = several else { return XCTFail("two messages under one CustomID were still sent: \(several)") }
        let none = await t.lookUp(customID: "r1.a2")
        XCTAssertEqual(none, .notFound)
        let garbage = await t.lookUp(customID: "r1.a9")
        guard case .unknown = garbage else { return XCTFail("an unreadable answer must not say not-found: \(garbage)") }
        await t.shutdown()
    }

    func testALookupAnswerListingOnlyOtherMessagesDoesNotCountAsFound() {
        let r = CurlResult(code: 0, response: 200, error: "", uploadFinished: true, lastReply: nil)
        let others = #"{"Count":2,"Data":[{"ID":7,"CustomID":"r1.a2"},{"ID":8,"CustomID":"r1.a3"}],"Total":2}"#
        guard case .unknown = MailjetOutcome.lookUp(r, body: Data(others.utf8), customID: "r1.a1") else {
            return XCTFail("a filter the server ignored must not mark an unsent message as sent")
        }
        let mixed = #"{"Count":2,"Data":[{"ID":7,"CustomID":"r1.a2"},{"ID":9,"CustomID":"r1.a1"}],"Total":2}"#
        XCTAssertEqual(MailjetOutcome.lookUp(r, body: Data(mixed.utf8), customID: "r1.a1"), .found(messageId: "9"))
        let bare = #"{"Count":1,"Data":[{"ID":5}],"Total":1}"#
        XCTAssertEqual(MailjetOutcome.lookUp(r, body: Data(bare.utf8), customID: "r1.a1"), .found(messageId: "5"),
                       "items without a CustomID field are trusted to match the filter")
        XCTAssertEqual(MailjetOutcome.lookUp(r, body: Data(#"{"Count":0,"Data":[],"Total":0}"#.utf8), customID: "r1.a1"), .notFound)
    }

    func testA400WhoseBodyCannotBeReadIsInDoubtNotFailed() {
        let r = CurlResult(code: 0, response: 400, error: "", uploadFinished: true, lastReply: nil)
        let cut = #"{"Messages":[{"Status":"success","CustomID":"r1.a1","To":[{"Email":"a1@exa"#
        XCTAssertEqual(MailjetOutcome.classify(r, body: Data(cut.utf8), headers: [], count: 2).map(\.kind), ["inDoubt", "inDoubt"],
                       "a partly-failed call's answer, cut off: some messages were sent")
        let whole = #"{"ErrorIdentifier":"x","ErrorCode":"mj-0031","StatusCode":400,"ErrorMessage":"Request body is not valid JSON"}"#
        XCTAssertEqual(MailjetOutcome.classify(r, body: Data(whole.utf8), headers: [], count: 2).map(\.kind), ["permanent", "permanent"],
                       "a readable request-level 400 sent nothing")
        let odd = #"{"Messages":[{"Status":"success","To":[{"Email":"a","MessageID":1}]},{"CustomID":"r1.a2"}]}"#
        XCTAssertEqual(MailjetOutcome.classify(r, body: Data(odd.utf8), headers: [], count: 2).map(\.kind), ["sent", "inDoubt"],
                       "a result without a Status says nothing either way")
    }
}
