import Foundation
import XCTest
import Core
import TestSupport
@testable import Passes

/// The code under the QR code: short, unambiguous when read aloud, the same on every copy of a pass.
final class HumanCodeTests: XCTestCase {
    func testCodeIsTwoGroupsOfFourWithoutLookalikes() throws {
        let fx = try PassFixture()
        let issuer = try fx.issuer()
        for i in 0..<200 {
            let code = issuer.humanCode(for: attendee("P", "\(i)", id: "id-\(i)"))
            XCTAssertEqual(code.count, 9)
            XCTAssertEqual(Array(code)[4], "-")
            XCTAssertTrue(code.allSatisfy { $0 == "-" || HumanCode.alphabet.contains($0) }, code)
            XCTAssertFalse(code.contains { "01IO".contains($0) }, code)
        }
    }

    func testCodeIsStableAcrossReissuesAndMatchesTheTemplateValue() throws {
        let fx = try PassFixture()
        let issuer = try fx.issuer()
        let zoe = attendee("Zoë", "Müller")
        let first = try issuer.issue(for: zoe, issuedAt: Date(timeIntervalSince1970: 1_800_000_000))
        let second = try issuer.issue(for: zoe, issuedAt: Date(timeIntervalSince1970: 1_800_086_400))
        XCTAssertNotEqual(first.token, second.token)
        XCTAssertEqual(first.humanCode, second.humanCode)
        XCTAssertEqual(issuer.humanCode(for: zoe), first.humanCode)
    }

    func testCodesDifferPerAttendeeAndPerKey() throws {
        let fx = try PassFixture()
        let other = try PassFixture()
        let issuer = try fx.issuer()
        let codes = Set((0..<500).map { issuer.humanCode(for: attendee("A", "B", id: "a-\($0)")) })
        XCTAssertEqual(codes.count, 500)
        XCTAssertNotEqual(try fx.issuer().humanCode(for: attendee("A", "B")), try other.issuer().humanCode(for: attendee("A", "B")))
    }

    func testTypedCodesAreNormalised() {
        XCTAssertEqual(HumanCode.normalise("k7qx 4pm2"), "K7QX-4PM2")
        XCTAssertEqual(HumanCode.normalise("K7QX-4PM2"), "K7QX-4PM2")
        XCTAssertNil(HumanCode.normalise("K7QX-4PM"))
        XCTAssertNil(HumanCode.normalise("K7QX-4PM0"))
    }
}
