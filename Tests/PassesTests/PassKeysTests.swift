import Foundation
import XCTest
import Core
import TestSupport
@testable import Passes

/// The signing key: created private, refused when exposed, overridable from the environment.
final class PassKeysTests: XCTestCase {
    private func mode(_ url: URL) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as! Int
    }

    func testGenerateCreatesAPrivateKeyOnlyItsOwnerCanReadAndAPublicKeyBeside() throws {
        let fx = try PassFixture()
        XCTAssertEqual(try mode(fx.workspace.signingKeyURL), 0o600)
        XCTAssertEqual(try mode(fx.workspace.publicKeyURL), 0o644)
        let pem = try String(contentsOf: fx.workspace.signingKeyURL, encoding: .utf8)
        XCTAssertTrue(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"), pem)
        let pub = try String(contentsOf: fx.workspace.publicKeyURL, encoding: .utf8)
        XCTAssertTrue(pub.hasPrefix("-----BEGIN PUBLIC KEY-----"), pub)
        XCTAssertEqual(try PassKeys.publicKey(at: fx.workspace.publicKeyURL).raw, try fx.issuer().publicKey.raw)
    }

    func testGenerateNeverReplacesAnExistingKey() throws {
        let fx = try PassFixture()
        let before = try Data(contentsOf: fx.workspace.signingKeyURL)
        XCTAssertThrowsError(try PassKeys.generate(for: fx.workspace)) { error in
            XCTAssertTrue("\(error)".contains("already exists"), "\(error)")
            XCTAssertEqual((error as? UserFacingError)?.exitCode, .cantCreate)
        }
        XCTAssertEqual(try Data(contentsOf: fx.workspace.signingKeyURL), before)
    }

    func testMissingKeyNamesTheFileAndHowToCreateOne() throws {
        let fx = try PassFixture(generateKey: false)
        XCTAssertThrowsError(try fx.issuer()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(fx.workspace.signingKeyURL.path), text)
            XCTAssertTrue(text.contains("passmail init"), text)
            XCTAssertTrue(text.contains("PASSMAIL_PASS_SIGNING_KEY"), text)
            XCTAssertEqual((error as? UserFacingError)?.exitCode, .noInput)
        }
    }

    func testKeyReadableByOthersIsRefusedLikeSSHDoes() throws {
        let fx = try PassFixture()
        for perms in [0o644, 0o640, 0o604] {
            chmod(fx.workspace.signingKeyURL.path, mode_t(perms))
            XCTAssertThrowsError(try fx.issuer()) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("too open"), text)
                XCTAssertTrue(text.contains("chmod 600"), text)
                XCTAssertEqual((error as? UserFacingError)?.exitCode, .config)
            }
        }
        chmod(fx.workspace.signingKeyURL.path, 0o400)
        XCTAssertNoThrow(try fx.issuer())
    }

    func testKeyInTheEnvironmentOverridesTheFile() throws {
        let fx = try PassFixture(generateKey: false)
        let envKey = try Ed25519PrivateKey.generate()
        let pem = String(decoding: try envKey.pemData(), as: UTF8.self)
        let issuer = try fx.issuer(environment: [Secrets.passSigningKey: pem])
        XCTAssertEqual(issuer.publicKey.raw, try envKey.publicKey().raw)
        let vk = try PassKeys.verificationKey(for: fx.workspace, environment: [Secrets.passSigningKey: pem])
        XCTAssertEqual(vk.raw, issuer.publicKey.raw)
    }

    func testKeyInTheEnvironmentMayUseEscapedNewlinesLikeCISecretsDo() throws {
        let fx = try PassFixture(generateKey: false)
        let envKey = try Ed25519PrivateKey.generate()
        let oneLine = String(decoding: try envKey.pemData(), as: UTF8.self).replacingOccurrences(of: "\n", with: "\\n")
        XCTAssertFalse(oneLine.contains("\n"))
        XCTAssertEqual(try fx.issuer(environment: [Secrets.passSigningKey: oneLine]).publicKey.raw, try envKey.publicKey().raw)
    }

    func testGarbageInTheEnvironmentIsNamedButNeverEchoed() throws {
        let fx = try PassFixture(generateKey: false)
        let secret = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXZhbHVlLW5vdC1hLWtleQ==\n-----END PRIVATE KEY-----\n"
        XCTAssertThrowsError(try fx.issuer(environment: [Secrets.passSigningKey: secret])) { error in
            XCTAssertTrue("\(error)".contains("PASSMAIL_PASS_SIGNING_KEY"), "\(error)")
            XCTAssertFalse("\(error)".contains("c2VjcmV0"), "the key material must not appear in messages")
        }
    }

    func testKeysOfOtherAlgorithmsAndEncryptedKeysAreRefusedWithoutPrompting() throws {
        let openssl = try requireTool("openssl", package: "openssl")
        let fx = try PassFixture(generateKey: false)
        let url = fx.workspace.signingKeyURL
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try runProcess(openssl, ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", url.path])
        chmod(url.path, 0o600)
        XCTAssertThrowsError(try fx.issuer()) { XCTAssertTrue("\($0)".contains("not an Ed25519 key"), "\($0)") }

        try FileManager.default.removeItem(at: url)
        try runProcess(openssl, ["genpkey", "-algorithm", "Ed25519", "-aes-256-cbc", "-pass", "pass:hunter2", "-out", url.path])
        chmod(url.path, 0o600)
        XCTAssertThrowsError(try fx.issuer()) { XCTAssertTrue("\($0)".contains("encrypted keys are not supported"), "\($0)") }
    }

    func testOpenSSLGeneratedKeyWorks() throws {
        let openssl = try requireTool("openssl", package: "openssl")
        let fx = try PassFixture(generateKey: false)
        let url = fx.workspace.signingKeyURL
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try runProcess(openssl, ["genpkey", "-algorithm", "Ed25519", "-out", url.path])
        chmod(url.path, 0o600)
        let issuer = try fx.issuer()
        // The verifier falls back to the signing key's public half when there is no public key file.
        let vk = try PassKeys.verificationKey(for: fx.workspace, environment: [:])
        XCTAssertNoThrow(try PassVerifier(publicKey: vk).verify(try issuer.token(for: attendee("A", "B"))))
    }

    func testPublicKeyFileThatDoesNotMatchTheSigningKeyIsCaughtBeforeAnyPassIsSent() throws {
        let fx = try PassFixture()
        try Ed25519PrivateKey.generate().publicKey().pemData().write(to: fx.workspace.publicKeyURL)
        XCTAssertThrowsError(try fx.issuer()) { error in
            XCTAssertTrue("\(error)".contains("does not match the pass signing key"), "\(error)")
        }
    }
}
