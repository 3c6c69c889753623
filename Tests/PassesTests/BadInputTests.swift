import Foundation
import XCTest
import Core
import TestSupport
@testable import Passes

/// Configuration and key-file mistakes an organiser can make, each with an error that says what to fix.
final class BadInputTests: XCTestCase {
    func testSizesParseCaseAndSpacingInsensitively() throws {
        XCTAssertEqual(try PassSize(parsing: "a6").width, 105 * PassSize.pointsPerMillimetre, accuracy: 0.01)
        XCTAssertEqual(try PassSize(parsing: " Badge ").height, 216)
        XCTAssertTrue(try PassSize(parsing: "badge").isLandscape)
        XCTAssertFalse(try PassSize(parsing: "A4").isLandscape)
        let custom = try PassSize(parsing: "100×150MM")
        XCTAssertEqual(custom.width, 100 * PassSize.pointsPerMillimetre, accuracy: 0.01)
        XCTAssertEqual(custom.height, 150 * PassSize.pointsPerMillimetre, accuracy: 0.01)
        XCTAssertEqual(try PassSize(parsing: "85.6 x 54 mm").width, 85.6 * PassSize.pointsPerMillimetre, accuracy: 0.01)
    }

    func testOutOfRangeSizeSaysTheLimits() {
        for bad in ["49x100 mm", "100x1001 mm", "0x0 mm", "-100x150 mm", "infxinf mm", "nanx100 mm"] {
            XCTAssertThrowsError(try PassSize(parsing: bad), bad) { error in
                XCTAssertTrue("\(error)".hasPrefix("pass.size: \"\(bad)\""), "\(error)")
            }
        }
    }

    func testEventIdMustBePrintable() throws {
        for bad in ["", "conf\n2027"] {
            let fx = try PassFixture()
            fx.config.event.id = bad
            XCTAssertThrowsError(try fx.issuer()) { XCTAssertTrue("\($0)".hasPrefix("event.id:"), "\($0)") }
        }
    }

    func testEmptyOrGarbageKeyFileIsNamed() throws {
        let fx = try PassFixture()
        for content in ["", "not a key at all\n", "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n"] {
            try Data(content.utf8).write(to: fx.workspace.signingKeyURL)
            chmod(fx.workspace.signingKeyURL.path, 0o600)
            XCTAssertThrowsError(try fx.issuer()) { error in
                XCTAssertTrue("\(error)".contains(fx.workspace.signingKeyURL.path), "\(error)")
                XCTAssertTrue("\(error)".contains("not a readable PEM private key"), "\(error)")
            }
        }
    }

    func testPublicKeyFilesThatAreMissingOrWrongAreNamed() throws {
        let dir = TemporaryDirectory("pub")
        XCTAssertThrowsError(try PassKeys.publicKey(at: dir.file("nope.pem"))) { error in
            XCTAssertTrue("\(error)".contains("nope.pem: public key not found"), "\(error)")
            XCTAssertEqual((error as? UserFacingError)?.exitCode, .noInput)
        }
        dir.write("junk.pem", "hello\n")
        XCTAssertThrowsError(try PassKeys.publicKey(at: dir.file("junk.pem"))) { error in
            XCTAssertTrue("\(error)".contains("junk.pem: not a PEM public key"), "\(error)")
        }
    }

    func testPrivateKeyFileWorksWhereAPublicKeyIsExpected() throws {
        let fx = try PassFixture()
        let fromPrivate = try PassKeys.publicKey(at: fx.workspace.signingKeyURL)
        XCTAssertEqual(fromPrivate.raw, try PassKeys.publicKey(at: fx.workspace.publicKeyURL).raw)
    }

    func testWorkspaceWithoutAnyKeyCannotVerify() throws {
        let fx = try PassFixture(generateKey: false)
        XCTAssertThrowsError(try PassKeys.verificationKey(for: fx.workspace, environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("--public-key"), "\(error)")
        }
    }
}
