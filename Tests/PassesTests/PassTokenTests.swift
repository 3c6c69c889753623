import Foundation
import XCTest
import Core
import TestSupport
@testable import Passes

/// What a door scanner sees: valid passes pass, anything altered, cut off or foreign is refused with a reason.
final class PassTokenTests: XCTestCase {
    private let key = try! Ed25519PrivateKey.generate()
    private var verifier: PassVerifier { PassVerifier(publicKey: try! key.publicKey()) }

    private func token(attendee: String = "a-17", type: String = "VIP", event: String = "conf2027",
                       at seconds: TimeInterval = 1_800_000_000) throws -> String {
        let claims = PassClaims(keyID: try key.publicKey().keyID, eventID: TokenField.encode(event),
                                attendeeID: TokenField.encode(attendee), passType: TokenField.encode(type),
                                issuedAt: Date(timeIntervalSince1970: seconds))
        return try PassToken.sign(claims, with: key)
    }

    func testValidTokenSaysWhoseItIs() throws {
        let claims = try verifier.verify(try token())
        XCTAssertEqual(claims.attendeeID, "a-17")
        XCTAssertEqual(claims.eventID, "conf2027")
        XCTAssertEqual(claims.passType, "VIP")
        XCTAssertEqual(claims.issuedAt, Date(timeIntervalSince1970: 1_800_000_000))
        XCTAssertTrue(claims.matches(attendeeID: "a-17"))
    }

    func testTokenIsCompactPrintableASCII() throws {
        let t = try token(attendee: "zoe.mueller@example.org", type: "Speaker")
        XCTAssertTrue(t.hasPrefix("PM1."))
        XCTAssertTrue(t.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f }, t)
        XCTAssertLessThan(t.count, 200, t)
    }

    func testFlippingAnyCharacterIsRefused() throws {
        let t = Array(try token())
        for i in t.indices {
            var tampered = t
            tampered[i] = t[i] == "A" ? "B" : (t[i] == "." ? "x" : "A")
            XCTAssertThrowsError(try verifier.verify(String(tampered)), "flip at \(i) was accepted")
        }
    }

    func testEveryTruncationIsRefused() throws {
        let t = try token()
        for n in 0..<t.count {
            XCTAssertThrowsError(try verifier.verify(String(t.prefix(n))), "prefix of \(n) was accepted")
        }
    }

    func testTruncatedSignatureSaysToScanAgain() throws {
        let t = try token()
        XCTAssertThrowsError(try verifier.verify(String(t.dropLast(5)))) { error in
            guard case .truncated = error as? PassTokenError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("scan it again"))
        }
    }

    func testSignatureOfAnotherKeyIsForeign() throws {
        let foreign = PassVerifier(publicKey: try Ed25519PrivateKey.generate().publicKey())
        XCTAssertThrowsError(try foreign.verify(try token())) { error in
            guard case .foreignKey = error as? PassTokenError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("different key"))
        }
    }

    func testChangedPayloadIsRefusedAsAltered() throws {
        let t = try token()
        let parts = t.split(separator: ".")
        let forged = String(decoding: Base64URL.decode(parts[1])!, as: UTF8.self).replacingOccurrences(of: "VIP", with: "Staff")
        let tampered = "PM1.\(Base64URL.encode(Data(forged.utf8))).\(parts[2])"
        XCTAssertThrowsError(try verifier.verify(tampered)) { error in
            XCTAssertEqual(error as? PassTokenError, .badSignature)
        }
    }

    func testSomethingElseEntirelyIsNotAPass() {
        XCTAssertThrowsError(try verifier.verify("https://example.org/ticket/123")) {
            XCTAssertEqual($0 as? PassTokenError, .notAPassToken)
        }
        XCTAssertThrowsError(try verifier.verify("  ")) { XCTAssertEqual($0 as? PassTokenError, .empty) }
        XCTAssertThrowsError(try verifier.verify("PM2.abc.def")) {
            XCTAssertEqual($0 as? PassTokenError, .unsupportedVersion("PM2"))
        }
    }

    func testSurroundingWhitespaceFromAScannerIsIgnored() throws {
        XCTAssertNoThrow(try verifier.verify(" \(try token())\r\n"))
        XCTAssertNoThrow(try verifier.verify("\u{FEFF}\(try token())"), "byte order mark of a token file")
        XCTAssertNoThrow(try verifier.verify("QR-Code:\(try token())"), "zbarimg's label without --raw")
    }

    func testPassForAnotherEventIsRefusedWhenTheEventIsKnown() throws {
        var v = verifier
        v.expectedEventID = "other2027"
        XCTAssertThrowsError(try v.verify(try token())) {
            XCTAssertEqual($0 as? PassTokenError, .wrongEvent(tokenEventID: "conf2027", expected: "other2027"))
        }
    }

    func testLongOrUnusualIdsAreHashedButStillMatch() throws {
        let longID = "registration-2027-000000000000000000000000012345@tickets.example.org"
        for id in [longID, "#42", "line\nbreak", "日本語のとても長い識別子です日本語のとても長い識別子です"] {
            let claims = try verifier.verify(try token(attendee: id))
            XCTAssertTrue(claims.attendeeIDIsHashed, id)
            XCTAssertTrue(claims.matches(attendeeID: id), id)
            XCTAssertFalse(claims.matches(attendeeID: id + "x"), id)
            XCTAssertEqual(claims.attendeeID.count, 17)
        }
        let t = try token(attendee: longID, type: String(repeating: "Very Important Person ", count: 5),
                          event: String(repeating: "event", count: 20))
        XCTAssertLessThan(t.count, 250, "token stays small enough for a readable QR code")
    }

    func testBase64URLOnlyAcceptsTheCanonicalSpelling() {
        XCTAssertEqual(Base64URL.encode(Data([0xfb, 0xff])), "-_8")
        XCTAssertEqual(Base64URL.decode("-_8"), Data([0xfb, 0xff]))
        XCTAssertNil(Base64URL.decode("-_9"), "non-zero trailing bits decode to the same bytes in lenient decoders")
        XCTAssertNil(Base64URL.decode("-_8="), "no padding")
        XCTAssertNil(Base64URL.decode("+/8"), "base64url, not base64")
        XCTAssertNil(Base64URL.decode("A"))
        for n in 0..<70 {
            let bytes = Data((0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
            XCTAssertEqual(Base64URL.decode(Base64URL.encode(bytes)), bytes)
            XCTAssertEqual(Base64URL.encode(bytes), bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: ""))
        }
    }
}
