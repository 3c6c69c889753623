import Foundation
import XCTest
import Core
import TestSupport
@testable import Passes

/// Renders real passes and reads them back the way a person and a door scanner would.
final class IssuedPassTests: XCTestCase {
    func testPassShowsTheNameAndItsQRCodeScansToTheSignedToken() throws {
        let fx = try PassFixture()
        let issuer = try fx.issuer()
        let pass = try issuer.issue(for: attendee("Zoë", "Müller"))
        XCTAssertTrue(pass.pdf.starts(with: Data("%PDF-".utf8)))
        XCTAssertEqual(pass.fileName, "Pass - Zoë Müller.pdf")
        let url = try fx.save(pass)

        let text = try pdfText(url)
        XCTAssertTrue(text.contains("Zoë Müller"), text)
        XCTAssertTrue(text.contains("Acme GmbH"), text)
        XCTAssertTrue(text.contains("Open Source Summit 2027"), text)
        XCTAssertTrue(text.contains("VIP"), text)
        XCTAssertTrue(text.contains(pass.humanCode), text)
        try assertQRCode(url, decodesTo: pass.token)

        let claims = try PassVerifier(publicKey: issuer.publicKey).verify(pass.token)
        XCTAssertEqual(claims.attendeeID, "a-1")
        XCTAssertEqual(claims.eventID, "conf2027")
        XCTAssertEqual(claims.passType, "VIP")
    }
}
