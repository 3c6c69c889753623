import XCTest
import TestSupport

/// The whole program, run like an organiser would: secrets given in the environment never
/// land in any file passmail writes (database, session journals, outbox, passes).
final class SecretsEndToEndTests: XCTestCase {
    func testSMTPPasswordAndMailjetKeysNeverReachTheWorkspace() throws {
        guard FileManager.default.isExecutableFile(atPath: TestPaths.passmailBinary.path) else {
            throw XCTSkip("build the passmail product first (swift build --product passmail)")
        }
        let password = "Pw-9f3Kq-SECRET", wrong = "Wrong-77xZ-SECRET", pub = "PUB-4411-SECRET", priv = "PRIV-8822-SECRET"
        let smtp = try SMTPTestServer.start(auth: ("organiser", password), keepData: true)
        defer { smtp.stop() }
        let mj = try MailjetStandIn.start(auth: (pub, priv))
        defer { mj.stop() }

        let dir = TemporaryDirectory()
        let ws = dir.file("ws")
        XCTAssertEqual(try passmail(["init", ws.path]).status, 0)
        let tomlURL = ws.appendingPathComponent("passmail.toml")
        var toml = try String(contentsOf: tomlURL, encoding: .utf8)
        toml = toml.replacingOccurrences(of: "host = \"smtp.example.org\"", with: "host = \"127.0.0.1\"")
            .replacingOccurrences(of: "port = 587", with: "port = \(smtp.port)")
            .replacingOccurrences(of: "security = \"starttls\"", with: "security = \"none\"")
            .replacingOccurrences(of: "# username = \"passes@example.org\"", with: "username = \"organiser\"")
            .replacingOccurrences(of: "base_url = \"https://api.mailjet.com\"", with: "base_url = \"\(mj.baseURL)\"")
            .replacingOccurrences(of: "retry_base_seconds = 30", with: "retry_base_seconds = 0")
        try toml.write(to: tomlURL, atomically: true, encoding: .utf8)
        let csv = dir.write("people.csv", "id,first_name,last_name,email,pass_type\np1,Ann,Lee,ann@example.org,VIP\np2,Bo,Ng,bo@example.org,Speaker\np3,Cy,Oh,cy@example.org,Press\n")
        XCTAssertEqual(try passmail(["import", csv.path], workspace: ws).status, 0)

        // A wrong password first: the run pauses with the reason, which is recorded.
        let refused = try passmail(["send", "--all", "--yes", "--transport", "smtp"], workspace: ws,
                                   environment: ["PASSMAIL_SMTP_PASSWORD": wrong])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertFalse(refused.stderr.contains(wrong) || refused.stdout.contains(wrong))
        // Then the right one, over SMTP, and one attendee again over Mailjet.
        let sent = try passmail(["resume", "--yes"], workspace: ws, environment: ["PASSMAIL_SMTP_PASSWORD": password])
        let viaSMTP = smtp.deliveries().count
        XCTAssertEqual(viaSMTP, 3, sent.stdout + sent.stderr)
        let mailjet = try passmail(["send", "--ids", "p1", "--resend", "--yes", "--transport", "mailjet"], workspace: ws,
                                   environment: ["MJ_APIKEY_PUBLIC": pub, "MJ_APIKEY_PRIVATE": priv])
        XCTAssertEqual(mailjet.status, 0, mailjet.stderr)
        XCTAssertEqual(mj.deliveries().count, 1)
        let preview = try passmail(["preview", "p2", "--eml", dir.file("p2.eml").path], workspace: ws,
                                   environment: ["PASSMAIL_SMTP_PASSWORD": password, "MJ_APIKEY_PRIVATE": priv])
        XCTAssertEqual(preview.status, 0, preview.stderr)

        var scanned = 0
        for root in [ws, dir.url] {
            let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
            for case let url as URL in e where !url.hasDirectoryPath {
                let data = (try? Data(contentsOf: url)) ?? Data()
                scanned += 1
                for secret in [password, wrong, pub, priv] {
                    for form in [Data(secret.utf8), Data(Data(secret.utf8).base64EncodedString().utf8)] {
                        XCTAssertNil(data.range(of: form), "\(secret) found in \(url.path)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(scanned, 5, "database, journals and messages were scanned")
        for d in smtp.deliveries() {
            XCTAssertNil(d.data?.range(of: Data(password.utf8)), "the password is in a delivered message")
        }
    }
}
