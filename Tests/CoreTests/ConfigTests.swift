import XCTest
@testable import Core

final class ConfigTests: XCTestCase {
    func testDefaultsWhenEmpty() throws {
        let c = try PassmailConfig.parse("", file: "passmail.toml")
        XCTAssertEqual(c.transport, .outbox)
        XCTAssertEqual(c.send.concurrency, 4)
        XCTAssertEqual(c.smtp.responseTimeoutSeconds, 600)
    }

    func testReadsEverySection() throws {
        let text = """
        # a comment
        [event]
        id = "techconf-2027"
        name = "TechConf 2027"   # trailing comment
        date = "12–14 March 2027"

        [pass]
        size = "badge"
        colors = { VIP = "#d4af37", "Press pass" = "#222222" }

        [sender]
        name = "TechConf Team"
        email = "team@techconf.example"

        [transport]
        kind = "smtp"

        [smtp]
        host = "smtp.example.org"
        port = 2_525
        security = "tls"

        [send]
        concurrency = 8
        retry_base_seconds = 1.5
        """
        let c = try PassmailConfig.parse(text, file: "passmail.toml")
        XCTAssertEqual(c.event.name, "TechConf 2027")
        XCTAssertEqual(c.event.date, "12–14 March 2027")
        XCTAssertEqual(c.pass.colors["VIP"], "#d4af37")
        XCTAssertEqual(c.pass.colors["Press pass"], "#222222")
        XCTAssertEqual(c.transport, .smtp)
        XCTAssertEqual(c.smtp.port, 2525)
        XCTAssertEqual(c.smtp.security, .tls)
        XCTAssertEqual(c.send.concurrency, 8)
        XCTAssertEqual(c.send.retryBaseSeconds, 1.5)
    }

    func testErrorsNameFileLineAndKey() {
        let text = "[smtp]\nhost = \"x\"\nport = \"twenty-five\"\nsecurity = \"ssl\"\n[transport]\nknd = \"smtp\"\n"
        XCTAssertThrowsError(try PassmailConfig.parse(text, file: "/w/passmail.toml")) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("/w/passmail.toml:3: smtp.port: expected a whole number"), message)
            XCTAssertTrue(message.contains("/w/passmail.toml:4: smtp.security: \"ssl\" is not one of"), message)
            XCTAssertTrue(message.contains("/w/passmail.toml:6: transport.knd: unknown setting"), message)
            XCTAssertEqual((error as? UserFacingError)?.exitCode, .config)
        }
    }

    func testSyntaxErrorNamesLine() {
        XCTAssertThrowsError(try PassmailConfig.parse("[event]\nname = \"unterminated\n", file: "p.toml")) { error in
            XCTAssertEqual(String(describing: error), "p.toml:2: unterminated string (missing closing \")")
        }
        XCTAssertThrowsError(try PassmailConfig.parse("[event]\nname = TechConf\n", file: "p.toml")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("p.toml:2: `event.name`: `TechConf` is not a valid value"))
        }
    }

    func testSecretsAreRefusedInTheFile() {
        XCTAssertThrowsError(try PassmailConfig.parse("[smtp]\npassword = \"hunter2\"\n", file: "p.toml")) { error in
            XCTAssertTrue(String(describing: error).contains("PASSMAIL_SMTP_PASSWORD"))
            XCTAssertFalse(String(describing: error).contains("hunter2"))
        }
    }

    func testMultilineAndEscapes() throws {
        let doc = try TOMLDocument(parsing: "a = \"\"\"\nline1\nline2\"\"\"\nb = 'C:\\path'\nc = \"tab\\there \\u00e9\"\nd = [1, 2,\n  3, # comment\n]\n", file: "t")
        XCTAssertEqual(doc.values["a"]?.kind, .string("line1\nline2"))
        XCTAssertEqual(doc.values["b"]?.kind, .string("C:\\path"))
        XCTAssertEqual(doc.values["c"]?.kind, .string("tab\there é"))
        if case .array(let items)? = doc.values["d"]?.kind { XCTAssertEqual(items.count, 3) } else { XCTFail() }
    }

    func testDuplicateKeyIsAnError() {
        XCTAssertThrowsError(try TOMLDocument(parsing: "[a]\nx = 1\nx = 2\n", file: "t")) { error in
            XCTAssertEqual(String(describing: error), "t:3: key `a.x` is defined twice")
        }
    }

    func testSearchFoldingIgnoresCaseAndAccents() {
        XCTAssertEqual(SearchText.fold("Zoë MÜLLER"), "zoe muller")
        XCTAssertEqual(SearchText.fold("Ångström"), "angstrom")
    }

    func testWorkspaceResolutionOrder() {
        let env = ["PASSMAIL_WORKSPACE": "/env/ws"]
        XCTAssertEqual(Workspace.resolveRoot(flag: "/flag/ws", environment: env, currentDirectory: "/cwd").path, "/flag/ws")
        XCTAssertEqual(Workspace.resolveRoot(flag: nil, environment: env, currentDirectory: "/cwd").path, "/env/ws")
        XCTAssertEqual(Workspace.resolveRoot(flag: nil, environment: [:], currentDirectory: "/cwd").path, "/cwd")
    }

    func testMailjetLookupGraceDefaultsToFiveMinutesAndIsChecked() throws {
        XCTAssertEqual(try PassmailConfig.parse("", file: "p.toml").mailjet.lookupGraceSeconds, 300)
        XCTAssertEqual(try PassmailConfig.parse("[mailjet]\nlookup_grace_seconds = 0\n", file: "p.toml").mailjet.lookupGraceSeconds, 0)
        XCTAssertThrowsError(try PassmailConfig.parse("[mailjet]\nlookup_grace_seconds = -1\n", file: "p.toml")) { error in
            XCTAssertTrue(String(describing: error).contains("p.toml:2: mailjet.lookup_grace_seconds: -1 is out of range"), "\(error)")
        }
    }
}
