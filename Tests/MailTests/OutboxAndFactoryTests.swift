import XCTest
import Core
import TestSupport
@testable import Mail

/// The default outbox transport and choosing a transport from passmail.toml and the environment.
final class OutboxAndFactoryTests: XCTestCase {
    func workspace(_ dir: TemporaryDirectory, _ edit: (inout PassmailConfig) -> Void = { _ in }) -> Workspace {
        var c = PassmailConfig()
        edit(&c)
        return Workspace(root: dir.url, config: c)
    }

    func testOutboxWritesOneEmlPerMessageNamedAfterTheCustomID() async throws {
        let dir = TemporaryDirectory()
        let t = try TransportFactory.make(workspace: workspace(dir), environment: [:])
        XCTAssertEqual(t.displayName, "outbox (outbox)")
        XCTAssertTrue(t.canLookUp)
        var m2 = Fixtures.message(2)
        m2.customID = "r1/../a:2"
        let outcomes = await t.send([Fixtures.message(1), m2])
        XCTAssertEqual(outcomes, [.sent(messageId: "r1.a1@passmail.test"), .sent(messageId: "r1.a2@passmail.test")])
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.file("outbox").path).sorted()
        XCTAssertEqual(files, ["r1.a1.eml", "r1_.._a_2-5266e9b9.eml"], "no temporary files left, no path escapes")
        let mode = try FileManager.default.attributesOfItem(atPath: dir.file("outbox/r1.a1.eml").path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600, "only the organiser can read messages carrying passes")
        let lint = try runProcess(URL(fileURLWithPath: "/usr/bin/python3"), [try TestPaths.sharedTool("mime-lint").path] + files.map { dir.file("outbox/\($0)").path })
        XCTAssertEqual(lint.status, 0, lint.stdout)
        let found = await t.lookUp(customID: "r1.a1")
        XCTAssertEqual(found, .found(messageId: "r1.a1@passmail.test"))
        let notFound = await t.lookUp(customID: "r1.a3")
        XCTAssertEqual(notFound, .notFound)
        // A resend of the same entry replaces its file.
        _ = await t.send([Fixtures.message(1)])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.file("outbox").path).count, 2)
    }

    func testAttendeesWhoseIdsDifferOnlyInUnsafeCharactersGetTheirOwnFiles() async throws {
        let dir = TemporaryDirectory()
        let t = try TransportFactory.make(workspace: workspace(dir), environment: [:])
        var zoe1 = Fixtures.message(1), zoe2 = Fixtures.message(2)
        zoe1.customID = "r1.Zoë-1"; zoe1.messageID = "r1.zoe-diaeresis@passmail.test"
        zoe2.customID = "r1.Zoé-1"; zoe2.messageID = "r1.zoe-acute@passmail.test"
        let outcomes = await t.send([zoe1, zoe2])
        XCTAssertEqual(outcomes.map(\.kind), ["sent", "sent"])
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.file("outbox").path)
        XCTAssertEqual(files.count, 2, "the second message must not overwrite the first: \(files)")
        let first = await t.lookUp(customID: "r1.Zoë-1")
        let second = await t.lookUp(customID: "r1.Zoé-1")
        XCTAssertEqual(first, .found(messageId: "r1.zoe-diaeresis@passmail.test"))
        XCTAssertEqual(second, .found(messageId: "r1.zoe-acute@passmail.test"))
    }

    func testOutboxThatCannotBeWrittenIsFatal() async throws {
        let dir = TemporaryDirectory()
        dir.write("blocker", "a file where the outbox folder should be")
        let t = OutboxTransport(directory: dir.file("blocker"), shownPath: "blocker")
        let outcome = await t.send([Fixtures.message(1)])[0]
        XCTAssertEqual(outcome.kind, "fatal", "\(outcome)")
    }

    func testSMTPConfigurationErrorsNameTheKeyOrVariable() throws {
        let dir = TemporaryDirectory()
        func error(_ env: [String: String] = [:], _ edit: (inout PassmailConfig) -> Void) -> String {
            do { _ = try TransportFactory.make(workspace: workspace(dir, edit), kind: .smtp, environment: env); return "ok" } catch {
                XCTAssertEqual((error as? UserFacingError)?.exitCode == .config || (error as? UserFacingError)?.exitCode == .noInput, true)
                return "\(error)"
            }
        }
        XCTAssertTrue(error { _ in }.contains("[smtp] host is not set"))
        for bad in ["smtp://smtp.example.org", "smtp.example.org:587", "smtp.example.org/x", "user@smtp.example.org"] {
            XCTAssertTrue(error { $0.smtp.host = bad }.contains("should be a bare host name"), bad)
        }
        XCTAssertTrue(error { $0.smtp.host = "smtp.example.org"; $0.smtp.security = .none }.contains("only allowed for localhost"))
        XCTAssertEqual(error { $0.smtp.host = "localhost"; $0.smtp.security = .none }, "ok")
        XCTAssertEqual(error { $0.smtp.host = "127.0.0.1"; $0.smtp.security = .none }, "ok")
        XCTAssertTrue(error { $0.smtp.host = "smtp.example.org"; $0.smtp.username = "me" }.contains("PASSMAIL_SMTP_PASSWORD is not"))
        XCTAssertTrue(error(["PASSMAIL_SMTP_PASSWORD": "pw"]) { $0.smtp.host = "smtp.example.org" }.contains("[smtp] username"))
        XCTAssertTrue(error { $0.smtp.host = "smtp.example.org"; $0.smtp.caFile = "certs/none.pem" }.contains("certs/none.pem: cannot read"))
        XCTAssertEqual(error(["PASSMAIL_SMTP_PASSWORD": "pw"]) { $0.smtp.host = "smtp.example.org"; $0.smtp.username = "me" }, "ok")
        XCTAssertTrue(error { $0.smtp.host = "smtp.example.org"; $0.smtp.port = 465 }.contains("set security = \"tls\""))
        XCTAssertTrue(error { $0.smtp.host = "smtp.example.org"; $0.smtp.security = .tls }.contains("port 587 expects STARTTLS"))
        XCTAssertEqual(error { $0.smtp.host = "smtp.example.org"; $0.smtp.port = 465; $0.smtp.security = .tls }, "ok")
    }

    func testCAFileFromTheConfigIsTrustedForSTARTTLS() async throws {
        let server = try SMTPTestServer.start(auth: ("organiser", "pw"), tls: true)
        defer { server.stop() }
        let dir = TemporaryDirectory()
        dir.write("certs/ca.pem", try String(contentsOf: XCTUnwrap(server.tls).certificate, encoding: .utf8))
        let t = try TransportFactory.make(workspace: workspace(dir) {
            $0.smtp.host = "localhost"; $0.smtp.port = server.port; $0.smtp.username = "organiser"; $0.smtp.caFile = "certs/ca.pem"
        }, kind: .smtp, environment: ["PASSMAIL_SMTP_PASSWORD": "pw"])
        XCTAssertEqual(t.displayName, "smtp (localhost:\(server.port))")
        let sent = await t.send([Fixtures.message(1)])
        XCTAssertEqual(sent.map(\.kind), ["sent"], "\(sent)")
        await t.shutdown()
        dir.write("certs/not.pem", "hello")
        XCTAssertThrowsError(try TransportFactory.make(workspace: workspace(dir) {
            $0.smtp.host = "localhost"; $0.smtp.caFile = "certs/not.pem"
        }, kind: .smtp, environment: [:])) { XCTAssertTrue("\($0)".contains("not a PEM certificate"), "\($0)") }
    }

    func testMailjetConfigurationErrors() throws {
        let dir = TemporaryDirectory()
        let keys = ["MJ_APIKEY_PUBLIC": "p", "MJ_APIKEY_PRIVATE": "q"]
        XCTAssertThrowsError(try TransportFactory.make(workspace: workspace(dir), kind: .mailjet, environment: [:])) {
            XCTAssertTrue("\($0)".contains("MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE"))
        }
        XCTAssertThrowsError(try TransportFactory.make(workspace: workspace(dir) { $0.mailjet.baseURL = "http://api.mailjet.com" }, kind: .mailjet, environment: keys)) {
            XCTAssertTrue("\($0)".contains("must use https"))
        }
        let t = try TransportFactory.make(workspace: workspace(dir) { $0.transport = .mailjet; $0.mailjet.baseURL = "http://127.0.0.1:9/" }, environment: keys)
        XCTAssertEqual(t.maxBatchSize, 50)
        XCTAssertEqual((t as? MailjetTransport)?.settings.baseURL, "http://127.0.0.1:9")
    }

    func testLoopbackHosts() {
        for h in ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"] { XCTAssertTrue(TransportFactory.isLoopback(h), h) }
        for h in ["127.0.0.1.evil.com", "smtp.example.org", "10.0.0.1", "localhost.example.org"] { XCTAssertFalse(TransportFactory.isLoopback(h), h) }
    }

    /// Secrets used by every transport never reach a file passmail writes nor any outcome text.
    func testSecretsNeverReachFilesOrReasons() async throws {
        let password = "Sm7p-S3cret-Value", pub = "MjPub-Secret-Value", priv = "MjPriv-Secret-Value"
        let dir = TemporaryDirectory()
        let smtpServer = try SMTPTestServer.start(auth: ("organiser", password), keepData: true)
        defer { smtpServer.stop() }
        let mj = try MailjetStandIn.start(auth: (pub, priv))
        defer { mj.stop() }
        var reasons: [String] = []
        let env = ["PASSMAIL_SMTP_PASSWORD": password, "MJ_APIKEY_PUBLIC": pub, "MJ_APIKEY_PRIVATE": priv]
        let outbox = try TransportFactory.make(workspace: workspace(dir), environment: env)
        reasons += await outbox.send([Fixtures.message(1)]).compactMap(\.reason)
        let smtp = try TransportFactory.make(workspace: workspace(dir) {
            $0.smtp.host = "127.0.0.1"; $0.smtp.port = smtpServer.port; $0.smtp.security = .none; $0.smtp.username = "organiser"
        }, kind: .smtp, environment: env)
        reasons += await smtp.send([Fixtures.message(2), Fixtures.message(3, to: "x\r\n@y")]).compactMap(\.reason)
        let badSMTP = try TransportFactory.make(workspace: workspace(dir) {
            $0.smtp.host = "127.0.0.1"; $0.smtp.port = smtpServer.port; $0.smtp.security = .none; $0.smtp.username = password
        }, kind: .smtp, environment: env)
        reasons += await badSMTP.send([Fixtures.message(4)]).compactMap(\.reason)
        let mailjet = try TransportFactory.make(workspace: workspace(dir) { $0.mailjet.baseURL = mj.baseURL }, kind: .mailjet, environment: env)
        reasons += await mailjet.send([Fixtures.message(5)]).compactMap(\.reason)
        XCTAssertEqual(smtpServer.deliveries().count, 1)
        XCTAssertEqual(mj.deliveries().count, 1)
        XCTAssertFalse(reasons.isEmpty)

        var texts = reasons
        for root in [dir.url, smtpServer.server.directory.url, mj.server.directory.url] {
            let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
            for case let url as URL in e where !url.hasDirectoryPath {
                texts.append(String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self))
            }
        }
        XCTAssertGreaterThan(texts.count, 4)
        for text in texts {
            for secret in [password, priv] {
                XCTAssertFalse(text.contains(secret), "a secret leaked into: \(text.prefix(200))")
                XCTAssertFalse(text.contains(Data(secret.utf8).base64EncodedString()), "a base64 secret leaked")
            }
        }
    }
}
