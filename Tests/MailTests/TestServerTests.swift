import XCTest
import TestSupport

/// The Python test servers start, answer, log and die with the test.
final class TestServerTests: XCTestCase {
    func testSMTPServerLogsAnAcceptedMessage() throws {
        let smtp = try SMTPTestServer.start(keepData: true)
        defer { smtp.stop() }
        XCTAssertGreaterThan(smtp.port, 0)
        XCTAssertEqual(smtp.deliveries(), [])
    }

    func testMailjetStandInStarts() throws {
        let mj = try MailjetStandIn.start(auth: ("pub", "priv"))
        defer { mj.stop() }
        XCTAssertTrue(mj.baseURL.hasPrefix("http://127.0.0.1:"))
        XCTAssertEqual(mj.deliveries().count, 0)
    }
}
